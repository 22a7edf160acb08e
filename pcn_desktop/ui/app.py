"""Start the window: ``run(project_path, screenshot, presentation) -> exit status``.

With no project the window opens an untitled copy of the shipped sample CCG (Save then asks
for a file name, so the shipped file is never written). ``screenshot`` opens the window,
waits until the panes and the map have drawn, saves a PNG of the window and exits.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

# Chromium refuses to run as root with its sandbox on; set before QtWebEngine loads.
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

import PySide6.QtWebEngineWidgets  # noqa: E402,F401 — must be imported before the QApplication exists
from PySide6.QtCore import QCoreApplication, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from .. import __version__  # noqa: E402
from ..domain.model import Project  # noqa: E402
from ..paths import resource  # noqa: E402
from ..store import ProjectFileError  # noqa: E402
from .autosave import Autosaver, pending_recovery  # noqa: E402
from .document import Document  # noqa: E402
from .main_window import MainWindow  # noqa: E402

SCREENSHOT_TIMEOUT_MS = 30_000
SETTLE_MS = 150
PANES = ("window", "map", "findings", "networks", "practices", "properties")


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(sys.argv[:1])
    app.setApplicationName("PCN Desktop")
    app.setOrganizationName("PCN Desktop")
    app.setApplicationVersion(__version__)
    return app


def sample_document() -> Document:
    """An untitled copy of the sample CCG (or an empty project when it is not installed)."""
    path = resource("sample", "sample_ccg.pcnproj") if _has_resources() else None
    if path is not None and path.is_file():
        document = Document.open(path, untitled=True)
        document.project.name = document.project.name or "Sample CCG"
        return document
    return Document(Project())


def _has_resources() -> bool:
    try:
        resource()
    except FileNotFoundError:
        return False
    return True


def open_document(project_path: str | None) -> Document:
    if project_path:
        return Document.open(project_path)
    return sample_document()


def offer_recovery(window: MainWindow) -> None:
    found = pending_recovery()
    if found is None:
        return
    path, origin = found
    answer = QMessageBox.question(
        window, "Recover unsaved work",
        f"PCN Desktop closed without saving changes{' to ' + origin if origin else ''}. "
        "Restore them from the recovery file?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    if answer == QMessageBox.StandardButton.Yes:
        try:
            document = Document.open(path, untitled=True)
        except ProjectFileError as exc:
            QMessageBox.warning(window, "Recovery failed", str(exc))
            return
        if origin:
            document.path = Path(origin)
            document.pathChanged.emit()
        window.set_document(document)
        document.mark_dirty()
    Autosaver.discard()


def screenshot_when_drawn(window: MainWindow, out: str, pane: str = "window",
                          timeout_ms: int = SCREENSHOT_TIMEOUT_MS) -> None:
    """Save a PNG once the map has drawn (or at the timeout), then quit with 0 (1 on timeout)."""
    app = QApplication.instance()

    def grab(status: int) -> None:
        if getattr(grab, "done", False):
            return
        grab.done = True  # type: ignore[attr-defined]
        app.processEvents()
        target = window if pane == "window" else pane_widget(window, pane)
        ok = target.grab().save(out)
        if not ok:
            print(f"pcn-desktop: could not write {out}", file=sys.stderr)
        elif status:
            print(f"pcn-desktop: the map had not drawn after {timeout_ms / 1000:g} s; "
                  f"saved {out} anyway", file=sys.stderr)
        app.exit(status if ok else 1)

    # Leaflet's layers exist once drawn fires; a short settle lets Chromium composite them
    window.map_pane.drawn.connect(lambda: QTimer.singleShot(SETTLE_MS, lambda: grab(0)))
    window.map_pane.renderFailed.connect(lambda _m: grab(1))
    QTimer.singleShot(timeout_ms, lambda: grab(1))


def pane_widget(window: MainWindow, pane: str):  # noqa: ANN201 — a QWidget
    if pane == "map":
        return window.map_pane
    return window.docks[pane]


def run(project_path: str | None, screenshot: str | None = None, presentation: bool = False,
        screenshot_pane: str = "window") -> int:
    app = application()
    try:
        document = open_document(project_path)
    except ProjectFileError as exc:
        print(f"pcn-desktop: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(document, presentation=presentation)
    window.show()
    if screenshot:
        screenshot_when_drawn(window, screenshot, screenshot_pane)
        status = app.exec()
        window.document.stack.setClean()   # a screenshot run never prompts
        window.close()
        return status
    QTimer.singleShot(0, lambda: offer_recovery(window))
    return app.exec()
