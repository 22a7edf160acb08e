"""What the window needs to start: the document to open, the recovery offer, the screenshot.

Kept apart from ``app.py`` so that ``app.run`` can start Chromium's processes before the
window's modules are loaded (the plain-Python data stack under them is already loaded by
then: see ``preload.py``).
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ..store import ProjectFileError, ProjectLocked
from .autosave import pending_recoveries
from .document import Document
from .main_window import MainWindow
from .map_pane import FRAME_POLL_MS
from .png_file import write_png
from .reading import as_target, read_sample
from .startup_log import mark

SCREENSHOT_TIMEOUT_MS = 30_000
SETTLE_MAX_MS = 1_000       # how long to look for the drawn map on screen before grabbing whatever is shown


def sample_document() -> Document:
    """An untitled copy of the sample CCG (or an empty project when it is not installed)."""
    return Document.from_opened(read_sample())


def open_document(project_path: str | None) -> Document:
    if project_path:
        from .team import ask_about_lock  # noqa: PLC0415
        return Document.open(project_path, when_locked=ask_about_lock)
    return sample_document()


def offer_recovery(window: MainWindow) -> None:
    """Offer back each recovery file of a window that did not close cleanly, newest first;
    whatever the answer, it is not offered again."""
    for recovery in pending_recoveries():
        origin = recovery.origin
        answer = QMessageBox.question(
            window, "Recover unsaved work",
            f"PCN Desktop closed without saving changes{' to ' + origin if origin else ''}. "
            "Restore them from the recovery file?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            try:
                document = Document.open(recovery.path, untitled=True)
            except ProjectFileError as exc:
                QMessageBox.warning(window, "Recovery failed", str(exc))
                recovery.discard()
                continue
            if origin:
                document.path = as_target(origin)
                document.pathChanged.emit()
            window.set_document(document)
            document.mark_dirty()
            recovery.discard()
            break                        # one restored project per window
        recovery.discard()


def screenshot_when_drawn(window: MainWindow, out: str, pane: str = "window",
                          timeout_ms: int = SCREENSHOT_TIMEOUT_MS) -> None:
    """Save a PNG once the map has drawn (or at the timeout), then quit with 0 (1 on timeout)."""
    app = QApplication.instance()

    def grab(status: int) -> None:
        if getattr(grab, "done", False):
            return
        grab.done = True  # type: ignore[attr-defined]
        if pane in window.docks:              # a tab in the compact layout: bring it forward
            window.docks[pane].raise_()
        app.processEvents()
        target = window if pane == "window" else pane_widget(window, pane)
        ok = write_png(target.grab().toImage(), out)
        mark("screenshot saved")
        if not ok:
            print(f"pcn-desktop: could not write {out}", file=sys.stderr)
        elif status:
            print(f"pcn-desktop: the map had not drawn after {timeout_ms / 1000:g} s; "
                  f"saved {out} anyway", file=sys.stderr)
        app.exit(status if ok else 1)

    # Leaflet's layers exist once drawn fires; Chromium composites them a frame or two later
    def when_on_screen(waited: int = 0) -> None:
        if window.map_pane.frame_shows_map() or waited >= SETTLE_MAX_MS:
            grab(0)
        else:
            QTimer.singleShot(FRAME_POLL_MS, lambda: when_on_screen(waited + FRAME_POLL_MS))

    def when_drawn() -> None:
        mark("map drawn")
        if window.map_pane.view.zoomFactor() != 1.0:
            # a zoomed page (presentation mode) is laid out again as the window first sizes
            # its panes: grabbed at once, the map showed laid out for the old width, cut off
            window.map_pane.after_frames(when_on_screen)
        else:
            when_on_screen()

    window.map_pane.drawn.connect(when_drawn)
    window.map_pane.renderFailed.connect(lambda _m: grab(1))
    QTimer.singleShot(timeout_ms, lambda: grab(1))


def pane_widget(window: MainWindow, pane: str):  # noqa: ANN201 — a QWidget
    if pane == "map":
        return window.map_pane
    return window.docks[pane]
