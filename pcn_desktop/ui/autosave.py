"""Autosave to a recovery file every N minutes while the project is dirty, one per window
instance, and on start offer back the recovery files of instances that did not close cleanly.

Each running instance has its own folder under ``<local data>/recovery/`` (``%LOCALAPPDATA%``
on Windows, never the roaming profile), holding the recovery project, the path it came from
and a lock file held while the instance runs. A second window therefore never overwrites the
first one's recovery file, and a clean exit removes only its own. A folder whose lock is free
(its instance was killed or crashed) is offered at the next start.
"""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QLockFile, QObject, QTimer

from ..paths import local_data_dir
from ..store import save_project
from ..store.database import display_url
from .settings import autosave_minutes
from .workers import Progress, Task, start

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document

PROJECT_NAME = "recovery.pcnproj"
ORIGIN_NAME = "origin.txt"
LOCK_NAME = "instance.lock"


def recovery_root() -> Path:
    return local_data_dir() / "recovery"


@dataclass
class Recovery:
    folder: Path
    origin: str                     # the project it was saved from ('' when untitled)
    lock: QLockFile                 # held by this process from the moment it is found

    @property
    def path(self) -> Path:
        return self.folder / PROJECT_NAME

    def discard(self) -> None:
        self.lock.unlock()
        shutil.rmtree(self.folder, ignore_errors=True)


class Autosaver(QObject):
    def __init__(self, get_document: Callable[[], "Document"], minutes: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.get_document = get_document
        self.folder = recovery_root() / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.lock: QLockFile | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(int((minutes or autosave_minutes()) * 60_000))
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self._task: Task | None = None
        self.saved_revision: int | None = None

    @property
    def recovery_path(self) -> Path:
        return self.folder / PROJECT_NAME

    def _claim_folder(self) -> None:
        """Create this instance's folder and hold its lock for as long as the instance runs."""
        if self.lock is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self.folder / LOCK_NAME))
        lock.setStaleLockTime(0)            # stale only when its process is gone, never by age
        lock.tryLock(0)
        self.lock = lock

    def save_now(self) -> None:
        """Write the recovery file off the UI thread; an edit during the write makes it retry."""
        document = self.get_document()
        if not document.dirty or self._task is not None:
            return
        self._claim_folder()
        project = document.project
        revision = project.revision
        origin = display_url(document.path) if document.path else ""   # a URL without any password
        folder = self.folder

        def work(_progress: Progress) -> int:
            # a side copy: the session's link to its own file or database stays as it was
            save_project(project, folder / PROJECT_NAME, track=False)
            (folder / ORIGIN_NAME).write_text(origin, encoding="utf-8")
            return revision

        def done(saved: int) -> None:
            self._task = None
            self.saved_revision = saved

        def failed(_exc: Exception, _trace: str) -> None:
            self._task = None            # most likely an edit mid-write; the next tick retries

        self._task = start(Task(work), done, failed)

    def wait(self) -> None:
        from PySide6.QtCore import QThreadPool
        QThreadPool.globalInstance().waitForDone()

    def discard(self) -> None:
        """This instance's project was saved or closed cleanly: its recovery file goes."""
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None
        shutil.rmtree(self.folder, ignore_errors=True)


def pending_recoveries() -> list[Recovery]:
    """Recovery files left by instances that are no longer running, newest first.

    Each one returned is locked by this process (so two windows starting together never
    both offer it); one older than its saved project is removed instead of offered."""
    root = recovery_root()
    if not root.is_dir():
        return []
    found: list[tuple[float, Recovery]] = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        lock = QLockFile(str(folder / LOCK_NAME))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue                               # its window is still open
        project = folder / PROJECT_NAME
        info = folder / ORIGIN_NAME
        origin = info.read_text(encoding="utf-8").strip() if info.is_file() else ""
        recovery = Recovery(folder, origin, lock)
        if not project.is_file():
            recovery.discard()
            continue
        if origin and os.path.exists(origin) and os.path.getmtime(origin) >= os.path.getmtime(project):
            recovery.discard()                     # the project was saved after the recovery file
            continue
        found.append((os.path.getmtime(project), recovery))
    return [r for _, r in sorted(found, key=lambda item: -item[0])]
