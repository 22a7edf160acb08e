"""Autosave to a recovery file in the config dir every N minutes while the project is dirty,
and on start offer to restore a recovery file newer than the project it came from."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, QTimer

from ..store import save_project
from ..store.database import display_url
from .settings import autosave_minutes, recovery_info_path, recovery_path
from .workers import Progress, Task, start

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document


class Autosaver(QObject):
    def __init__(self, get_document: Callable[[], "Document"], minutes: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.get_document = get_document
        self.timer = QTimer(self)
        self.timer.setInterval(int((minutes or autosave_minutes()) * 60_000))
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self._task: Task | None = None
        self.saved_revision: int | None = None

    def save_now(self) -> None:
        """Write the recovery file off the UI thread; an edit during the write makes it retry."""
        document = self.get_document()
        if not document.dirty or self._task is not None:
            return
        project = document.project
        revision = project.revision
        origin = display_url(document.path) if document.path else ""   # a URL without any password

        def work(_progress: Progress) -> int:
            # a side copy: the session's link to its own file or database stays as it was
            save_project(project, recovery_path(), track=False)
            recovery_info_path().write_text(origin, encoding="utf-8")
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

    @staticmethod
    def discard() -> None:
        """The project was saved or closed cleanly: no recovery needed."""
        for path in (recovery_path(), recovery_info_path()):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def pending_recovery() -> tuple[Path, str] | None:
    """(recovery file, the project path it belongs to or '') when one is worth offering."""
    path = recovery_path()
    if not path.is_file():
        return None
    info = recovery_info_path()
    origin = info.read_text(encoding="utf-8").strip() if info.is_file() else ""
    if origin and os.path.exists(origin) and os.path.getmtime(origin) >= os.path.getmtime(path):
        return None                      # the project was saved after the recovery file
    return path, origin
