"""The practices table: code, name, list size, network, status — one row per practice.

Rows keep a cached network id so an edit can find the rows it affects without a scan:
the members of the touched networks now, plus the rows that were in them before.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt

from ..document import Document
from .base import DocumentTableModel

PRACTICE_MIME = "application/x-pcn-practice-codes"
COLUMNS = ("Code", "Name", "List size", "Network", "Status")
CODE, NAME, SIZE, NETWORK, STATUS = range(5)
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class PracticesModel(DocumentTableModel):
    COLUMNS = COLUMNS

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self._codes: list[str] = []
        self._row: dict[str, int] = {}
        self._net: list[str | None] = []            # cached network id per row
        self._rows_of_net: dict[str | None, set[int]] = {}
        if document is not None:
            self.set_document(document)

    def reload(self) -> None:
        self.beginResetModel()
        project = self.document.project if self.document else None
        self._codes = sorted(project.practices) if project else []
        self._row = {c: i for i, c in enumerate(self._codes)}
        self._net = [self._network_id(c) for c in self._codes]
        self._rows_of_net = {}
        for i, nid in enumerate(self._net):
            self._rows_of_net.setdefault(nid, set()).add(i)
        self.endResetModel()

    def _network_id(self, code: str) -> str | None:
        assert self.document is not None
        ids = self.document.project.networks_of(code)
        return ids[0] if ids else None

    def on_changed(self, touched: frozenset[str] | None) -> None:
        if touched is None or set(self.document.project.practices) != set(self._row):
            self.reload()
            return
        project = self.document.project
        rows: set[int] = set()
        for nid in touched:
            rows |= self._rows_of_net.get(nid, set())
            rows |= {self._row[c] for c in project.members(nid) if c in self._row}
        for row in sorted(rows):
            new = self._network_id(self._codes[row])
            old = self._net[row]
            if new != old:
                self._rows_of_net.get(old, set()).discard(row)
                self._rows_of_net.setdefault(new, set()).add(row)
                self._net[row] = new
            # Only the network column can change through a network edit (a move, a rename);
            # naming just that cell spares the sorted proxy a re-sort unless it sorts on it.
            # One signal per row: the rows of a network are scattered through the code order.
            cell = self.index(row, NETWORK)
            self.dataChanged.emit(cell, cell)

    def natural_order(self) -> tuple[int, Qt.SortOrder]:
        """The rows are in code order, always (a reload sorts them; no row is inserted)."""
        return CODE, Qt.SortOrder.AscendingOrder

    # --- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._codes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.document is None:
            return None
        code = self._codes[index.row()]
        col = index.column()
        if role == CODE_ROLE:
            return code
        if role == SORT_ROLE and col == SIZE:
            return self.document.practice_size(code)
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole):
            return self.display_text(index.row(), col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == NETWORK and self._net[index.row()] is None:
            return Qt.GlobalColor.darkRed
        return None

    def display_text(self, row: int, column: int) -> Any:
        if self.document is None:
            return None
        code = self._codes[row]
        project = self.document.project
        if column == CODE:
            return code
        if column == NAME:
            return project.practices[code].name
        if column == SIZE:
            return f"{self.document.practice_size(code):,}"
        if column == NETWORK:
            nid = self._net[row]
            return project.networks[nid].name if nid in project.networks else "(unassigned)"
        if column == STATUS:
            return "Closed" if project.is_closed(code) else project.practices[code].status.label
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [PRACTICE_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        codes = sorted({self._codes[i.row()] for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(PRACTICE_MIME, "\n".join(codes).encode("utf-8"))
        mime.setText("\n".join(codes))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    # --- lookups for the window ------------------------------------------------------------
    def row_of(self, code: str) -> int:
        return self._row.get(code, -1)

    def code_at(self, row: int) -> str:
        return self._codes[row]

    def network_id_at(self, row: int) -> str | None:
        return self._net[row]
