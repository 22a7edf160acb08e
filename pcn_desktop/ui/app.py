"""Start the window: ``run(project_path, screenshot, presentation) -> exit status``.

With no project the window opens an untitled copy of the shipped sample CCG (Save then asks
for a file name, so the shipped file is never written). ``screenshot`` opens the window,
waits until the panes and the map have drawn, saves a PNG of the window and exits.

Start-up order matters for how soon the window is drawn: the plain-Python data stack is
imported before PySide6 (``preload.py`` says why); then the QApplication and a first web page
are created before the window's own modules are imported (``startup.py``), so Chromium's
processes start while those load; the map pane is given its document first of the panes,
so its page loads while the rest of the window is built.
"""
from __future__ import annotations

import gc
import os
import sys

# Chromium refuses to run as root with its sandbox on; set before QtWebEngine loads.
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from .preload import preload  # noqa: E402

preload()      # the data stack before PySide6, which would read every one of its sources
gc.freeze()    # and out of the collector's way (see run)

import PySide6.QtWebEngineWidgets  # noqa: E402,F401 — must be imported before the QApplication exists
from PySide6.QtCore import QCoreApplication, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from .. import __version__  # noqa: E402


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(sys.argv[:1])
    app.setApplicationName("PCN Desktop")
    app.setOrganizationName("PCN Desktop")
    app.setApplicationVersion(__version__)
    return app


def run(project_path: str | None, screenshot: str | None = None, presentation: bool = False,
        screenshot_pane: str = "window", scenario: str | None = None) -> int:
    app = application()
    from . import web_warmup                # noqa: PLC0415
    web_warmup.start()                      # starts Chromium's processes while we import
    from . import startup                   # noqa: PLC0415 — deliberately after the warm-up
    # What the imports made lives as long as the app: frozen, the collector's passes (the
    # window's own collect-and-freeze of the project among them) no longer walk it all.
    gc.freeze()
    from ..tempfiles import sweep_stale  # noqa: PLC0415
    from .failures import install_excepthook, report_open_failure  # noqa: PLC0415
    install_excepthook(unattended=bool(screenshot))
    sweep_stale()                           # map folders left by a killed session
    try:
        document = startup.open_document(project_path)
    except startup.ProjectFileError as exc:
        report_open_failure(str(exc), unattended=bool(screenshot))
        return 2
    except OSError as exc:                 # unreadable: permissions, a locked or offline share
        report_open_failure(f"{exc.filename or project_path}: cannot be read ({exc.strerror or exc})",
                            unattended=bool(screenshot))
        return 2
    except startup.ProjectLocked as exc:       # the user chose neither a copy nor "open anyway"
        print(f"pcn-desktop: not opened: {exc}", file=sys.stderr)
        return 2
    if scenario:
        try:
            document.open_scenario(scenario)
        except ValueError as exc:       # UnknownScenario, which lists the known ones
            known = ", ".join(getattr(exc, "known", []))
            print(f"pcn-desktop: {project_path or 'the sample'}: no scenario {scenario!r} (scenarios: {known})",
                  file=sys.stderr)
            return 2
    window = startup.MainWindow(document, presentation=presentation)
    window.show()
    web_warmup.discard()
    if screenshot:
        startup.screenshot_when_drawn(window, screenshot, screenshot_pane)
        status = app.exec()
        window.document.stack.setClean()   # a screenshot run never prompts
        window.close()
        return status
    QTimer.singleShot(0, lambda: startup.offer_recovery(window))
    return app.exec()
