"""What the window does when something fails outside a pane's own handling.

A project given on the command line (or by a double-click on a .pcnproj) that cannot be
opened is a dialog naming the file and the reason, not a silent exit. An unexpected error
is logged in full to the config folder (crashlog.py) and shown as a short, non-modal note:
a modal traceback would block an unattended run (a screenshot in CI, a scheduled job),
so offscreen runs only print the line.
"""
from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from ..crashlog import one_line, write_crash_log

_UNATTENDED_PLATFORMS = ("offscreen", "minimal", "vnc")
_notes: list[QMessageBox] = []      # non-modal notes are kept alive until closed


def interactive(unattended: bool = False) -> bool:
    """True when a person can see and close a dialog (not offscreen, not a --screenshot run)."""
    if unattended:
        return False
    return QGuiApplication.platformName() not in _UNATTENDED_PLATFORMS


def report_open_failure(message: str, unattended: bool = False) -> None:
    print(f"pcn-desktop: {message}", file=sys.stderr)
    if interactive(unattended):
        QMessageBox.critical(None, "PCN Desktop: cannot open the project", message)


def install_excepthook(unattended: bool = False) -> None:
    """Route any uncaught error of the window (slots included) to the log and a short note."""
    def hook(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, trace)
            return
        exc.__traceback__ = trace
        line = one_line(exc, write_crash_log(exc, "window"))
        print(f"pcn-desktop: {line}", file=sys.stderr)
        if interactive(unattended):
            show_note(line)

    sys.excepthook = hook


def show_note(line: str) -> QMessageBox:
    note = QMessageBox(QMessageBox.Icon.Warning, "PCN Desktop: something went wrong",
                       "An operation failed unexpectedly. Your project is unchanged on disk; "
                       "save your work under a new name if in doubt.\n\n" + line)
    note.setModal(False)
    note.finished.connect(lambda _r, n=note: _notes.remove(n) if n in _notes else None)
    _notes.append(note)
    note.show()
    return note
