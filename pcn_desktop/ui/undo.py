"""QUndoCommand adapter over the Qt-free commands in ``pcn_desktop.domain.commands``.

redo/undo call the domain command's do/undo and then tell the document which networks were
touched, so totals, findings and the map follow every step of undo and redo alike.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..domain.commands import Command

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document


class DomainUndoCommand(QUndoCommand):
    def __init__(self, document: "Document", command: Command, already_done: bool = False) -> None:
        super().__init__(command.label)
        self.document = document
        self.command = command
        # The document runs do() before pushing, so a refused edit raises to the caller
        # instead of vanishing inside QUndoStack.push; the first redo then has nothing to do.
        self._skip_redo = already_done

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            touched = self.command.touched
        else:
            try:
                touched = self.command.do(self.document.project)
            except (KeyError, ValueError) as exc:
                # re-applied after a reload, on a project others changed: say so, go on
                errors = getattr(self.document, "reapply_errors", None)
                if errors is None:
                    raise
                errors.append(f"{self.command.label}: {str(exc).strip(chr(39) + chr(34))}")
                touched = set()
        self.document.after_edit(touched)

    def undo(self) -> None:
        touched = self.command.undo(self.document.project)
        self.document.after_edit(touched)
