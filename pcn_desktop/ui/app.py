"""Start the window: ``run(project_path, screenshot, presentation) -> exit status``.

With no project the window opens an untitled copy of the shipped sample CCG (Save then asks
for a file name, so the shipped file is never written). ``screenshot`` opens the window,
waits until the panes and the map have drawn, saves a PNG of the window and exits.

Start-up order matters for how soon the window is drawn. numpy and shapely load their
native libraries first, then the QApplication and a first web page, holding the map frame
the window drew last (``web_warmup.py``); then the rest of the data stack is imported and
the project read and checked in a worker thread while Qt's loop runs Chromium's start
(``opening.py``), so the frame is parsed by the time the window is built; the map is then
drawn by handing that frame the project's layers.
"""
from __future__ import annotations

import gc
import os
import sys

# Chromium refuses to run as root with its sandbox on; set before QtWebEngine loads.
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

# numpy (with its OpenBLAS) and shapely (with GEOS) load their native libraries here, on
# the main thread, before Chromium starts. Loaded instead in the opening worker while
# Chromium's start ran on the main thread, one start in about 250 ended in a segfault in the
# main thread's event loop, the worker inside numpy's import. Done first, the start takes no
# longer: the worker has that much less to do while Chromium starts.
import numpy  # noqa: E402,F401
import shapely  # noqa: E402,F401

from .plain_imports import plain_imports  # noqa: E402 — plain Python, before PySide6
from .startup_log import mark  # noqa: E402

import PySide6.QtWebEngineWidgets  # noqa: E402,F401 — must be imported before the QApplication exists
from PySide6.QtCore import QCoreApplication, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from .. import __version__  # noqa: E402
from ..crashlog import record_native_crashes  # noqa: E402


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
    # The start makes tens of thousands of lasting objects (modules, the project, the window)
    # and a few hundred unreachable ones: the collector's passes over them cost tens of
    # milliseconds of every start to free almost nothing.
    # It runs again once the window is up (the command line turns it off before Qt loads).
    gc.disable()
    record_native_crashes()                 # a crash in Qt or Chromium leaves each thread's stack
    started = None
    try:
        mark("Qt imported")
        app = application()
        with plain_imports():                   # everything the start imports (see plain_imports.py)
            started = _start(project_path, screenshot, presentation, scenario)
    finally:
        gc.enable()
        if started is None or isinstance(started, int):
            _drop_waiting_page()
    if isinstance(started, int):
        return started
    window = started
    from . import startup                   # noqa: PLC0415 — imported by _start
    if screenshot:
        startup.screenshot_when_drawn(window, screenshot, screenshot_pane)
        status = app.exec()
        window.document.stack.setClean()   # a screenshot run never prompts
        window.close()
        return status
    QTimer.singleShot(0, lambda: startup.offer_recovery(window))
    from .warm_later import WARM_AFTER_MS, warm_reprojection  # noqa: PLC0415
    QTimer.singleShot(WARM_AFTER_MS, lambda: warm_reprojection(window))
    return app.exec()


def _drop_waiting_page() -> None:
    """The page started for a window that did not open goes now, with its renderer, rather
    than whenever the QApplication ends (a test, or a script, may go on using it)."""
    from PySide6.QtCore import QEvent  # noqa: PLC0415
    from . import web_warmup  # noqa: PLC0415
    web_warmup.discard()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _start(project_path: str | None, screenshot: str | None, presentation: bool,
           scenario: str | None):  # noqa: ANN202 — the shown MainWindow, or an exit status
    from . import opening, web_warmup       # noqa: PLC0415
    web_warmup.start()                      # Chromium's processes start, the last map frame loads
    mark("web page started")
    from .failures import install_excepthook, report_open_failure  # noqa: PLC0415
    install_excepthook(unattended=bool(screenshot))
    try:
        opened = opening.in_worker(lambda: opening.read_for_window(project_path))
    except BaseException as exc:            # noqa: BLE001 — sorted out below, on this thread
        opened, failure = None, exc
    else:
        failure = None
    mark("project read and checked")
    if opened is not None and opened.map is not None and not scenario and not presentation:
        # the map is made in the waiting page while the window is built and first painted
        from .map_size import expected  # noqa: PLC0415
        if web_warmup.fill_early(opened.map, expected()):
            mark("map asked for early")
    from . import startup                   # noqa: PLC0415 — the window's modules, after the worker's
    # What the imports made lives as long as the app: frozen, the collector's passes (the
    # window's own collect-and-freeze of the project among them) no longer walk it all.
    gc.freeze()
    try:
        if isinstance(failure, startup.ProjectLocked):
            document = startup.open_document(project_path)   # asks the user, then reads again
        elif failure is not None:
            raise failure
        else:
            document = startup.Document.from_opened(opened)
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
    mark("window built")
    window.show()
    web_warmup.discard()
    opening.sweep_in_background()
    return window
