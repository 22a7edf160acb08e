"""One web page started before the window exists, for the first map pane to adopt.

Chromium starts a renderer process for a page's first local file, and that start (some
hundreds of milliseconds) would otherwise begin only when the map pane asks for its page,
after the project is open and the window built. Started first, on a local file, the process
is ready by then.

The page loads the map frame the window drew last (``reports.map_frames``): Leaflet, its
plugins and the app's script, with the map itself made only when the pane hands the page
its data. The project is read meanwhile (``opening.py``), so by the time the window shows,
the frame is parsed and drawing the map is one call. With no frame kept (a first start) the
page loads a blank local file, which still starts the renderer.

That call need not wait for the window: ``fill_early`` makes the map as soon as the project
is read, and the renderer draws it (on the other core) while the window is built and first
painted. A page not yet shown has no size, so the map is made at the size the window's map
had last time (``map_size``), held until the view shows and gives it its real one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage

from ..paths import resource
from ..reports.map_frames import warm_frame
from .map_bridge import BRIDGE_NAME, MapBridge

if TYPE_CHECKING:                        # the data stack is not loaded when the page starts
    from ..reports.map_html import MapPage
    from .map_prepare import PreparedMap


@dataclass(eq=False)
class EarlyMap:
    """The map ``fill_early`` asked the page to make, and whether it made it."""
    prepared: "PreparedMap"
    made: bool | None = None              # None until the page answers
    waiting: list[Callable[[bool], None]] = field(default_factory=list)

    def when_made(self, then: Callable[[bool], None]) -> None:
        """``then(made)`` once the page has answered (now, if it has)."""
        if self.made is None:
            self.waiting.append(then)
        else:
            then(self.made)

    def answered(self, result: Any) -> None:    # noqa: ANN401 — whatever the script returned
        self.made = result is True
        waiting, self.waiting = self.waiting, []
        for then in waiting:
            then(self.made)


@dataclass(eq=False)
class WarmPage:
    page: QWebEnginePage
    # set on the page before it loads, so the map's script finds Qt's transport when it
    # connects (which it does when the map is made, after the bridge is registered)
    channel: QWebChannel
    frame_key: str | None                 # the map frame it loads; None: a blank page
    loaded: bool | None = field(default=None)   # None while loading, then whether it loaded
    early: EarlyMap | None = None         # the map made before a pane adopted the page
    # registered by fill_early, before the map it makes connects; else by the adopting pane
    bridge: MapBridge | None = None

    def finished(self, ok: bool) -> None:
        self.loaded = ok


_waiting: list[WarmPage] = []


def start() -> None:
    """Create the page and load the last map frame, or a blank local file, into it (call
    once the QApplication exists)."""
    if _waiting:
        return
    page = QWebEnginePage()
    channel = QWebChannel(page)
    page.setWebChannel(channel)
    frame = warm_frame()
    warm = WarmPage(page, channel, frame[0] if frame else None)
    page.loadFinished.connect(warm.finished)
    if frame is not None:
        page.load(QUrl.fromLocalFile(str(frame[1])))
    else:
        try:
            blank = resource("web", "blank.html")
        except FileNotFoundError:        # resources not installed: still start Chromium's processes
            page.load(QUrl("about:blank"))
        else:
            page.load(QUrl.fromLocalFile(str(blank)))
    _waiting.append(warm)


def start_script(page: "MapPage", held: tuple[int, int] | None = None) -> str:
    """The script that makes ``page``'s map in a warm frame (its ``pcnStart``), answering
    true, or false when the frame cannot; ``held``: the size to make it at, the page having
    none yet (``pcnHoldSize``)."""
    needed = "typeof window.pcnStart!=='function'"
    hold = ""
    if held is not None:
        needed += "||typeof window.pcnHoldSize!=='function'"
        hold = f"window.pcnHoldSize({int(held[0])},{int(held[1])});"
    return (f"(function(){{if({needed}){{return false;}}document.title={json.dumps(page.title)};"
            f"{hold}window.pcnStart({page.spec_json});return true;}})()")


def fill_early(prepared: "PreparedMap", size: tuple[int, int] | None) -> bool:
    """Make ``prepared``'s map in the waiting page now, at ``size`` (the map view's width and
    height) until its view shows. False, and nothing asked of the page, when the page holds
    another frame (or none), failed to load, or no size is known."""
    warm = _waiting[-1] if _waiting else None
    if (warm is None or warm.early is not None or warm.loaded is False or size is None
            or warm.frame_key != prepared.page.frame_key):
        return False
    early = warm.early = EarlyMap(prepared)
    warm.bridge = MapBridge(warm.channel)        # the early map's clicks: the pane takes it over
    warm.channel.registerObject(BRIDGE_NAME, warm.bridge)
    script = start_script(prepared.page, size)

    def make(ok: bool = True) -> None:
        if ok:
            warm.page.runJavaScript(script, 0, early.answered)
        else:
            early.answered(False)

    if warm.loaded is None:
        warm.page.loadFinished.connect(make, Qt.ConnectionType.SingleShotConnection)
    else:
        make()
    return True


def adopt() -> WarmPage | None:
    """The started page, once (None when none was started or it was taken)."""
    return _waiting.pop() if _waiting else None


def discard() -> None:
    """Delete a page no pane adopted (a window with no map)."""
    while _waiting:
        _waiting.pop().page.deleteLater()
