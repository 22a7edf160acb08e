"""The map pane: the offline Leaflet map (``reports.map_html.render_map``) in a QWebEngineView,
talking to the window both ways.

Map -> window: a QWebChannel bridge object; the page's script calls its slots with a code.
Window -> map: after an edit the pane restyles the touched practices and networks with
``runJavaScript``; a full re-render (in a worker, debounced) is the fallback when the page
cannot take an incremental update, and the answer to a whole-project change.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from ..domain.findings import Finding
from ..domain.model import Project
from ..reports.map_html import BACKGROUND, keep_warm_frame
from ..tempfiles import owned_temp_dir
from .map_bridge import BRIDGE_NAME, MapBridge
from .map_prepare import PreparedMap, prepare_map, small_enough_at_once
from .map_updates import can_update, select_script, update_payload, update_script
from .document import Document
from .workers import Progress, Task, start
from . import web_warmup

RERENDER_DELAY_MS = 1500
# How often to ask the page whether its map has drawn: each asking is one short script, and
# the window (and a screenshot) waits on the answer. Given up after about ten seconds.
DRAWN_POLL_MS = 10
DRAWN_POLLS = 10_000 // DRAWN_POLL_MS
UNPAINTED = 0xFFFFFF         # what the view shows where the page has not painted yet
FRAME_POLL_MS = 5           # how often to look again for a frame the page has been asked for
# two animation frames from now: the second starts once the first, with the layout pending
# when it was asked for, has been made
FRAMES_JS = ("(function(){window.pcnFramed=false;requestAnimationFrame(function(){"
             "requestAnimationFrame(function(){window.pcnFramed=true;});});return true;})()")
# Leaflet draws vector layers as SVG paths (or canvas) inside its overlay pane: a generic
# "has drawn" test that does not depend on how the map module names its layers.
# While Leaflet animates the first fit-to-bounds its SVG is drawn for the old view, so the
# check also waits for the map (window.pcnMap when the page names it) to stop moving, and
# for a view loaded before it had a size to make its opening fit (window.pcnFitPending), or
# a map made before its view was shown to be given its real size (window.pcnSizeHeld), and
# for the page and the map to have the view's present size.
DRAWN_JS = ("(function(w,h){var p=document.querySelectorAll('.leaflet-overlay-pane path,"
            " .leaflet-overlay-pane canvas');var m=window.pcnMap;"
            "if(window.pcnFitPending||window.pcnSizeHeld)return 0;"
            "if(Math.abs(innerWidth-w)>1||Math.abs(innerHeight-h)>1)return 0;"
            "if(m){var c=m.getContainer(),s=m.getSize();if(s.x!==c.clientWidth||s.y!==c.clientHeight)return 0;}"
            "if(m&&(m._animatingZoom||(m._panAnim&&m._panAnim._inProgress)))return 0;"
            "return p.length;})")


def drawn_script(view: QWebEngineView) -> str:
    """DRAWN_JS for the view's present size: a page still laid out for another size (the
    window's layout settling, presentation mode zooming it) has not drawn yet."""
    zoom = view.zoomFactor() or 1.0
    return f"{DRAWN_JS}({view.width() / zoom:.2f},{view.height() / zoom:.2f})"


@dataclass(frozen=True)
class Rendered:
    """A map page worked out (``prepared``: the page and what restyling starts from) and the
    file it is written to when it has to be loaded."""
    path: Path
    prepared: PreparedMap

    def written(self) -> Path:
        """The page's file, written first if it is not yet."""
        if not self.path.exists():
            self.path.write_text(self.prepared.page.html, encoding="utf-8")
        return self.path


def write_page(project: Project, findings: list[Finding], out: Path, revision: int,
               prepared: PreparedMap | None = None, now: bool = True) -> Rendered:
    """The page for ``out`` (``prepared`` when it was worked out already), written now or,
    with ``now`` False, only when it has to be loaded (``Rendered.written``): a page drawn by
    filling the warm frame is never read from its file."""
    if prepared is None or prepared.revision != revision:
        prepared = prepare_map(project, findings, revision)
    rendered = Rendered(out, prepared)
    if now:
        rendered.written()
    keep_warm_frame(prepared.page)          # the frame the next start loads before it has a project
    return rendered


class MapPane(QWidget):
    drawn = Signal()             # the page has loaded and Leaflet has drawn its layers
    renderFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.view = QWebEngineView(self)
        # the page started before the window (see web_warmup): its renderer is running and,
        # after a first start, it holds the map frame the first page may be drawn in
        self._warm = web_warmup.adopt()
        if self._warm is not None:
            self._warm.page.setParent(self.view)
            self.view.setPage(self._warm.page)
            self.channel = self._warm.channel
            self.channel.setParent(self)
        else:
            self.channel = QWebChannel(self)
            self.view.page().setWebChannel(self.channel)
        if self._warm is not None and self._warm.bridge is not None:
            self.bridge = self._warm.bridge      # registered already: the map made early calls it
            self.bridge.setParent(self)
        else:
            self.bridge = MapBridge(self)
            self.channel.registerObject(BRIDGE_NAME, self.bridge)
        self.view.setAccessibleName("Map of practices and networks")
        settings = self.view.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        self.view.loadFinished.connect(self._on_loaded)
        self.frame_starts = 0                       # pages drawn by filling the warm frame
        # while a warm frame waits for its spec, its own load is not the map's
        self._filling = self._warm is not None and self._warm.frame_key is not None
        self.status = QLabel("Drawing the map…", self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setAccessibleName("Map status")
        self.status.setWordWrap(True)
        layout = QStackedLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.view)
        self._layout = layout
        # removed with the pane or at exit (a child widget never gets a closeEvent)
        self._dir, self._remove_dir = owned_temp_dir(self)
        self._serial = 0
        self._task: Task | None = None
        self._pending = False
        self.is_drawn = False
        self.layer_count = 0
        self.colours: dict[str, str] = {}
        self.shown: dict[str, str | None] = {}      # practice -> network id as the page draws it
        self.outlines: dict[str, Any] = {}          # network id -> the boundary geometry drawn
        self.outline_renders = 0                    # re-renders asked for by moved boundaries
        self.incremental_updates = 0
        self._polls = 0
        self._rerender = QTimer(self)
        self._rerender.setSingleShot(True)
        self._rerender.setInterval(RERENDER_DELAY_MS)
        self._rerender.timeout.connect(self.render)

    def closeEvent(self, event: Any) -> None:   # noqa: ANN401 — Qt event
        self._remove_dir()
        super().closeEvent(event)

    # --- rendering -------------------------------------------------------------------------
    def set_document(self, document: Document) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self._on_changed)
        self.document = document
        document.changed.connect(self._on_changed)
        self.render()

    def render(self) -> None:
        """Render the HTML in a worker; edits made meanwhile trigger one more render."""
        if self.document is None:
            return
        if self._task is not None:
            self._pending = True
            return
        self._serial += 1
        out = self._dir / f"map-{self._serial}.html"
        document = self.document
        revision = document.project.revision
        findings = list(document.current_findings)
        if self._serial == 1 and small_enough_at_once(document.project):
            prepared, document.first_map = document.first_map, None    # worked out by the start
            self._on_rendered(write_page(document.project, findings, out, revision, prepared, now=False))
            return

        def work(progress: Progress) -> Rendered:
            progress(0, 0, "Drawing the map")
            return write_page(document.project, findings, out, revision)

        self._task = start(Task(work), self._on_rendered, self._on_failed)

    def _on_rendered(self, result: Rendered) -> None:
        self._task = None
        drawn = result.prepared
        if self._pending or drawn.revision != self.document.project.revision:
            self._pending = False
            self.render()                 # an edit landed while drawing: draw again
            if drawn.revision != self.document.project.revision and self.is_drawn:
                return                    # keep showing the current page until then
        self.is_drawn = False
        self._polls = 0
        self.colours, self.shown, self.outlines = drawn.colours, drawn.shown, drawn.outlines
        # Leaflet fits its bounds to the size the page has while loading: a hidden view
        # (size 0) gives NaN coordinates, so the view is shown before the load starts
        self._layout.setCurrentWidget(self.view)
        warm, self._warm = self._warm, None
        if warm is not None and warm.frame_key == drawn.page.frame_key and warm.loaded is not False:
            self._fill_frame(warm, result)
        else:
            self._filling = False
            self.view.load(QUrl.fromLocalFile(str(result.written())))

    def _fill_frame(self, warm: web_warmup.WarmPage, result: Rendered) -> None:
        """Draw the page by handing the warm frame its spec (see web_warmup); the written
        page is loaded instead if the frame cannot take it."""
        serial = self._serial
        self._filling = True
        script = web_warmup.start_script(result.prepared.page)

        def filled(ok: Any) -> None:
            if serial != self._serial:
                return                    # a newer page is on its way
            self._filling = False
            if ok is True:
                self.frame_starts += 1
                self._on_loaded(True)
            else:
                self.view.load(QUrl.fromLocalFile(str(result.written())))

        def fill(ok: bool = True) -> None:
            if serial != self._serial:
                return
            if not ok:
                filled(False)
                return
            # after the window has shown and laid out, so that the map is made at its size
            QTimer.singleShot(0, self, lambda: self.view.page().runJavaScript(script, 0, filled))

        early = warm.early
        if early is not None and early.prepared is result.prepared:
            early.when_made(filled)       # the start made this map while the window was built
        elif warm.loaded is None:
            warm.page.loadFinished.connect(fill, Qt.ConnectionType.SingleShotConnection)
        else:
            fill()

    def _on_failed(self, exc: Exception, _trace: str) -> None:
        self._task = None
        if self._pending or (self.document and isinstance(exc, RuntimeError)):
            # most likely an edit changed the project mid-render (dict changed size): retry
            self._pending = False
            self.render()
            return
        self.status.setText(f"The map could not be drawn: {exc}")
        self._layout.setCurrentWidget(self.status)
        self.renderFailed.emit(str(exc))

    def _on_loaded(self, ok: bool) -> None:
        if self._filling:
            return                        # the warm frame itself has loaded: its map comes with fill
        if not ok:
            self.status.setText("The map page failed to load.")
            self._layout.setCurrentWidget(self.status)
            return
        self._layout.setCurrentWidget(self.view)
        self._drop_pages_before(self._serial)
        self._poll_drawn()

    def _drop_pages_before(self, serial: int) -> None:
        """Delete the pages written for renders before ``serial`` (the one now shown or on its
        way). Each re-render writes a page (tens of MB for all of England), and a workshop's
        session re-renders after every move that shifts a boundary: kept, they filled the temp
        folder until the window closed. A page still open elsewhere goes next time."""
        for page in self._dir.glob("map-*.html"):
            number = page.stem.removeprefix("map-")
            if number.isdigit() and int(number) < serial:
                try:
                    page.unlink()
                except OSError:
                    pass

    def _poll_drawn(self) -> None:
        def answer(count: Any) -> None:
            self._polls += 1
            if isinstance(count, (int, float)) and count > 0:
                self.layer_count = int(count)
                self.is_drawn = True
                self.drawn.emit()
            elif self._polls < DRAWN_POLLS:   # then give up quietly: the page is shown anyway
                QTimer.singleShot(DRAWN_POLL_MS, self, self._poll_drawn)   # dropped if the pane goes
        self.view.page().runJavaScript(drawn_script(self.view), 0, answer)

    def after_frames(self, then: Callable[[], None], limit_ms: int = 1_000) -> None:
        """``then()`` once the page has made two more animation frames (or after ``limit_ms``):
        a frame made after whatever layout is pending, so a grab after it cannot catch one laid
        out for the view's previous size or zoom (presentation mode resizes the map's view once
        the window first shows, and the last frame shown was still laid out for the old size)."""
        page = self.view.page()
        page.runJavaScript(FRAMES_JS, 0, lambda _ok: None)
        waited = [0]

        def poll() -> None:
            def answer(done: Any) -> None:
                if done is True or waited[0] >= limit_ms:
                    then()
                else:
                    waited[0] += FRAME_POLL_MS
                    QTimer.singleShot(FRAME_POLL_MS, self, poll)
            page.runJavaScript("window.pcnFramed===true", 0, answer)
        poll()

    def frame_shows_map(self) -> bool:
        """Whether the view's last composited frame shows the drawn page, not a blank one:
        ``drawn`` says Leaflet has made its layers, and Chromium shows them a frame or two
        later. Looks for the map's paper colour and a few others (areas, circles, controls)
        in a sparse sample of pixels, and for no band across the view still unpainted."""
        image = self.view.grab().toImage()
        w, h = image.width(), image.height()
        if w < 8 or h < 8:
            return False
        paper = QColor(BACKGROUND).rgb() & 0xFFFFFF
        seen: set[int] = set()
        papers = 0
        for y in range(h // 40, h, max(1, h // 20)):
            row = {image.pixel(x, y) & 0xFFFFFF for x in range(w // 40, w, max(1, w // 20))}
            if row == {UNPAINTED}:
                # a band across the whole view the page has not painted: the view was made
                # taller (the window settling its size) and the frame is still the old one
                return False
            seen |= row
            papers += paper in row
        return papers > 0 and len(seen) >= 4

    # --- incremental updates -----------------------------------------------------------------
    def _on_changed(self, touched: frozenset[str] | None) -> None:
        if touched is None:
            self.render()
            return
        project = self.document.project
        if not self.is_drawn or not can_update(self.colours, project, touched):
            self._rerender.start()        # debounced: a burst of edits draws once
            return
        if self._outlines_moved(touched):
            # boundaries followed the edit (or its undo): polygons are redrawn once edits
            # settle; the practices are restyled at once below
            self.outline_renders += 1
            self._rerender.start()
        payload = update_payload(project, touched, self.shown, self.colours, self.document.current_findings)

        def applied(ok: Any) -> None:
            if ok is True:
                self.incremental_updates += 1
            else:                         # the page could not take it: redraw once things settle
                self._rerender.start()
        self.view.page().runJavaScript(update_script(payload), 0, applied)

    def _outlines_moved(self, touched: frozenset[str]) -> bool:
        boundaries = self.document.project.boundaries
        for nid in touched:
            b = boundaries.get(nid)
            if (b.geometry if b is not None else None) is not self.outlines.get(nid):
                return True
        return False

    def highlight(self, kind: str, code: str) -> None:
        """Show the selected practice or network on the map (no-op before it has drawn)."""
        if self.is_drawn:
            self.view.page().runJavaScript(select_script(kind, code), 0)
