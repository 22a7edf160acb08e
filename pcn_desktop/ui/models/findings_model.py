"""Every rule finding, one row each. After an edit only the findings that went away are
removed and the new ones inserted at the end of their severity's rows, so a move among
thousands of findings costs a few rows, not a reset, and the rows stay in severity order
(the view's default sort, which its proxy then shows without sorting)."""
from __future__ import annotations

from bisect import bisect_right
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...domain.findings import Finding, Severity
from ..document import Document
from .base import DocumentTableModel
from .networks_model import ERROR_COLOUR, WARNING_COLOUR

COLUMNS = ("Severity", "Finding", "Network", "Practice", "Rule")
SEVERITY, MESSAGE, NETWORK, PRACTICE, RULE = range(5)     # the message first: it says the most
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


def finding_key(f: Finding) -> tuple[Any, ...]:
    # value may be unhashable in principle; the message already carries the figure
    return (f.rule, f.severity, f.network_id, f.network, f.practice, f.area, f.message)


class FindingsModel(DocumentTableModel):
    COLUMNS = COLUMNS

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self._rows: list[Finding] = []
        if document is not None:
            self.set_document(document)

    def reload(self) -> None:
        assert self.document is not None
        document = self.document
        self.beginResetModel()
        self._rows = sorted(document.all_findings(), key=lambda f: f.severity.rank)   # stable
        self.endResetModel()

    def on_changed(self, touched: frozenset[str] | None) -> None:
        if touched is None:
            self.reload()
            return
        new = self.document.all_findings()
        wanted = {finding_key(f): f for f in new}
        have = {finding_key(f) for f in self._rows}
        gone = [i for i, f in enumerate(self._rows) if finding_key(f) not in wanted]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        added: dict[int, list[Finding]] = {}
        for k, f in wanted.items():
            if k not in have:
                added.setdefault(f.severity.rank, []).append(f)
        # the most severe last, so that each insertion leaves the positions found before it
        ranks = [f.severity.rank for f in self._rows]
        for rank in sorted(added, reverse=True):
            start = bisect_right(ranks, rank)
            group = added[rank]
            self.beginInsertRows(QModelIndex(), start, start + len(group) - 1)
            self._rows[start:start] = group
            self.endInsertRows()

    def natural_order(self) -> tuple[int, Qt.SortOrder]:
        """The rows are in severity order, always (see the module doc)."""
        return SEVERITY, Qt.SortOrder.AscendingOrder

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        f = self._rows[index.row()]
        col = index.column()
        if role == FINDING_ROLE:
            return f
        if role == SORT_ROLE:
            return (f.severity.rank, f.message, f.network, f.practice, f.rule)[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(index.row(), col)
        if role == Qt.ItemDataRole.ToolTipRole:
            # The whole message and its rule, wherever the pane is too narrow to show them.
            return f"{f.message}\n\n{f.severity.value.capitalize()} · rule {f.rule}"
        if role == Qt.ItemDataRole.ForegroundRole and col == SEVERITY:
            return {Severity.ERROR: ERROR_COLOUR, Severity.WARNING: WARNING_COLOUR}.get(f.severity)
        return None

    def display_text(self, row: int, column: int) -> Any:
        f = self._rows[row]
        return (f.severity.value.capitalize(), f.message, f.network, f.practice, f.rule)[column]

    def finding_at(self, row: int) -> Finding:
        return self._rows[row]


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs, so removal is one signal per run."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs
