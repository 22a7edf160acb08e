"""Read the project for the window in a worker thread while Qt's loop runs Chromium's start.

Chromium's browser side runs on the Qt main thread: a page it has been asked to load makes
progress only while that thread is in Qt's event loop. The start therefore asks for its
first page (``web_warmup``) and then, instead of importing the data stack and reading the
project on the main thread, does that in a worker and waits in the event loop; the map
frame loads and its scripts are parsed in the renderer meanwhile, on the other core.

The worker's imports are the bulk of the start's (the app's plain-Python packages, with
what they use; numpy and shapely are loaded already, before Chromium starts: see ``app.py``):
``preload_plainly`` makes them out of PySide6's sight (``plain_imports.py``).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, TypeVar

from PySide6.QtCore import QEventLoop, QMetaObject, Qt

from .plain_imports import plain_imports

T = TypeVar("T")


def in_worker(work: Callable[[], T]) -> T:
    """``work()`` in a worker thread, Qt's event loop running here until it returns; its
    exception, if it raises one, is raised here."""
    box: dict[str, object] = {}
    loop = QEventLoop()

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 — handed to the main thread as it is
            box["error"] = exc
        finally:
            # queued: delivered once the loop runs, even if the work ends before it starts
            QMetaObject.invokeMethod(loop, "quit", Qt.ConnectionType.QueuedConnection)

    thread = threading.Thread(target=run, name="pcn-open", daemon=True)
    thread.start()
    loop.exec()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def preload_plainly() -> None:
    """``preload()`` with Python's own import function (see ``plain_imports.py``)."""
    with plain_imports():
        from .preload import preload  # noqa: PLC0415 — it imports the rule modules' registry
        preload()


def sweep_in_background() -> None:
    """Remove map folders a killed session left in the temp folder, off the start's path:
    listing a crowded temp folder takes tens of milliseconds, and nothing waits for it."""
    from ..tempfiles import sweep_stale  # noqa: PLC0415
    threading.Thread(target=sweep_stale, name="pcn-sweep", daemon=True).start()


def read_for_window(project_path: str | Path | None):  # noqa: ANN201 — reading.OpenedProject
    """What the window opens: the project read (its lock taken), its findings and its map's
    page worked out. A file someone else has open raises ProjectLocked: the window then asks
    the user."""
    preload_plainly()
    from .reading import read_project, read_sample, with_findings, with_map  # noqa: PLC0415
    opened = read_project(project_path) if project_path else read_sample()
    return with_map(with_findings(opened))
