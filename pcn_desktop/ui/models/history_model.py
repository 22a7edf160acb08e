"""The History pane's rows: the audit log's entries that pass its filter, newest first.

The log only grows while a project is open, so after an edit the few new entries go in at
the top; the whole list is rebuilt only when the filter changes or the log is replaced (an
import, a team member's save merged in, another project). Rebuilding on every edit made each
one cost more than the last: after 600 changes a move took 110 ms, most of it the History
table refilling its 4,700 cells.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...domain.history import HistoryFilter, filtered, scenario_of
from ...domain.model import AuditEntry

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("When", "Who", "Scenario", "What", "Old", "New")


def cells(entry: AuditEntry) -> tuple[str, ...]:
    return (f"{entry.when:%Y-%m-%d %H:%M:%S}", entry.who, scenario_of(entry), entry.what, entry.old, entry.new)


class HistoryModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditEntry] = []       # shown, newest first
        self._log: list[AuditEntry] | None = None
        self._read = 0                            # how many of the log's entries are taken in
        self._last: AuditEntry | None = None      # the last of them, to tell growth from replacement
        self._filter: HistoryFilter | None = None

    def show(self, log: list[AuditEntry], keep: HistoryFilter) -> None:
        """Show ``log``'s entries that ``keep`` keeps: only the new ones are added when the same
        log has only grown since under the same filter."""
        grown = (log is self._log and keep == self._filter and len(log) >= self._read
                 and (self._read == 0 or log[self._read - 1] is self._last))
        if grown:
            new = filtered(log[self._read:], keep)
            if new:
                self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
                self.entries[0:0] = new
                self.endInsertRows()
        else:
            self.beginResetModel()
            self.entries = filtered(log, keep)
            self.endResetModel()
        self._log, self._filter, self._read = log, keep, len(log)
        self._last = log[-1] if log else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN401 — Qt's variant
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            return cells(self.entries[index.row()])[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: ANN401
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None
