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
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QUrl
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage

from ..paths import resource
from ..reports.map_frames import warm_frame


@dataclass(eq=False)
class WarmPage:
    page: QWebEnginePage
    # set on the page before it loads, so the map's script finds Qt's transport when it
    # connects (which it does when the map is made, after the pane registered its bridge)
    channel: QWebChannel
    frame_key: str | None                 # the map frame it loads; None: a blank page
    loaded: bool | None = field(default=None)   # None while loading, then whether it loaded

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


def adopt() -> WarmPage | None:
    """The started page, once (None when none was started or it was taken)."""
    return _waiting.pop() if _waiting else None


def discard() -> None:
    """Delete a page no pane adopted (a window with no map)."""
    while _waiting:
        _waiting.pop().page.deleteLater()
