"""Long work off the UI thread: a QRunnable running a plain function, with progress and Cancel.

The function receives a ``Progress`` to report to and to ask whether the user cancelled;
it runs on QThreadPool and its result or exception comes back to the UI thread by signal.
"""
from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside a task when the user pressed Cancel."""


class Progress:
    """Given to the task function: ``progress(done, total, text)`` reports, and raises
    ``Cancelled`` once the user has cancelled, so long loops stop at their next report."""

    def __init__(self, signals: "TaskSignals") -> None:
        self._signals = signals
        self.cancelled = False

    def __call__(self, done: int, total: int = 0, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self._signals.progress.emit(int(done), int(total), text)

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)       # exception, traceback text
    cancelled = Signal()


class Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.progress = Progress(self.signals)
        self.setAutoDelete(False)       # the caller keeps it until its signals have been handled
        self.returned = False           # set as run() ends: only then may the Task be dropped

    def cancel(self) -> None:
        self.progress.cancelled = True

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 — every failure is reported to the user
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            if self.progress.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.finished.emit(result)
        finally:
            self.returned = True


_running: set[Task] = set()


def start(task: Task, finished: Callable[[Any], None] | None = None,
          failed: Callable[[Exception, str], None] | None = None) -> Task:
    """Run on the global pool, connecting the handlers first: a signal emitted before its
    connection is lost, and a quick task can finish before the caller's next line runs.

    A reference is kept until run() has returned on its thread (its signals arrive before
    that, so dropping it on the first signal could delete a running QRunnable); finished
    tasks are let go the next time one starts."""
    if finished is not None:
        task.signals.finished.connect(finished)
    if failed is not None:
        task.signals.failed.connect(failed)
    for done in [t for t in _running if t.returned]:
        _running.discard(done)
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def run_with_progress(parent: QWidget, title: str, fn: Callable[[Progress], Any],
                      on_done: Callable[[Any], None], on_error: Callable[[Exception, str], None],
                      fresh_thread: bool = False) -> Task:
    """Start ``fn`` in the pool behind a modal progress dialog with a Cancel button; with
    ``fresh_thread``, on a thread of its own (work that reprojects: see ``start_thread``)."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAccessibleName(f"{title} progress")
    task = Task(fn)
    dialog.canceled.connect(task.cancel)

    def progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done if total else 0)
        if text:
            dialog.setLabelText(text)

    def finish(result: Any) -> None:
        dialog.reset()
        on_done(result)

    def fail(exc: Exception, text: str) -> None:
        dialog.reset()
        on_error(exc, text)

    task.signals.progress.connect(progress)
    task.signals.cancelled.connect(dialog.reset)
    return (start_thread if fresh_thread else start)(task, finish, fail)


def start_thread(task: Task, finished: Callable[[Any], None] | None = None,
                 failed: Callable[[Exception, str], None] | None = None) -> Task:
    """Like ``start``, but on a new Python thread instead of the shared pool. For work that
    reprojects (pyproj keeps per-thread state): run a second time on a reused pool thread, it
    crashed the process, while a fresh thread per task has never done so."""
    import threading  # noqa: PLC0415

    if finished is not None:
        task.signals.finished.connect(finished)
    if failed is not None:
        task.signals.failed.connect(failed)
    for done in [t for t in _running if t.returned]:
        _running.discard(done)
    _running.add(task)
    threading.Thread(target=task.run, name="pcn-task", daemon=True).start()
    return task
