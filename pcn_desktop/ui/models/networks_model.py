"""The networks table: each network's live total against the minimum and a state badge.

Totals and states are cached per network and recomputed only for the networks an edit
touched; created and dissolved networks become inserted and removed rows, never a reset.
The rows are kept in name order (a created network goes in at its place, a renamed one
moves), the view's default sort, which its proxy then shows without sorting.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import (QMimeData, QModelIndex, QPersistentModelIndex, Qt,
                            Signal)
from PySide6.QtGui import QColor

from ...domain.rules.engine import RULES
from ..document import Document
from .base import DocumentTableModel
from .practices_model import PRACTICE_MIME

COLUMNS = ("Network", "Code", "Practices", "List size", "Against minimum", "State")
NAME, CODE, COUNT, SIZE, MARGIN, STATE = range(6)
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
RATIO_ROLE = Qt.ItemDataRole.UserRole + 3      # list size / minimum, for the bar delegate

ERROR_COLOUR, WARNING_COLOUR, OK_COLOUR = QColor("#c62828"), QColor("#b26a00"), QColor("#2e7d32")

Index = QModelIndex | QPersistentModelIndex


class NetworksModel(DocumentTableModel):
    COLUMNS = COLUMNS

    practicesDropped = Signal(list, str)      # practice codes, target network id

    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._cache: dict[str, tuple[int, int, int, int]] = {}   # id -> (members, size, errors, warnings)
        self._global_nets: set[str] = set()
        if document is not None:
            self.set_document(document)

    def reload(self) -> None:
        assert self.document is not None
        document = self.document
        self.beginResetModel()
        self._ids = [n.id for n in document.project.sorted_networks()]
        self._reindex()
        self._cache = {nid: self._compute(nid) for nid in self._ids}
        self._global_nets = self._global_finding_networks()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row = {nid: i for i, nid in enumerate(self._ids)}

    def _compute(self, nid: str) -> tuple[int, int, int, int]:
        assert self.document is not None
        errors, warnings = self.document.network_state(nid)
        return (len(self.document.project.members(nid)), self.document.network_size(nid), errors, warnings)

    def on_changed(self, touched: frozenset[str] | None) -> None:
        if touched is None:
            self.reload()
            return
        networks = self.document.project.networks
        for nid in [n for n in self._ids if n in touched and n not in networks]:
            row = self._row[nid]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._cache.pop(nid, None)
            self._reindex()
            self.endRemoveRows()
        for nid in sorted(n for n in touched if n in networks and n not in self._row):
            row = bisect_left([self._order_key(n) for n in self._ids], self._order_key(nid))
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, nid)
            self._reindex()
            self._cache[nid] = self._compute(nid)
            self.endInsertRows()
        for nid in sorted(n for n in touched if n in self._row):
            self._move_into_place(nid)        # a rename
        # project-wide findings (e.g. double membership) can name untouched networks too
        now_global = self._global_finding_networks()
        for nid in touched | now_global | self._global_nets:
            if nid in self._row:
                self._cache[nid] = self._compute(nid)
                row = self._row[nid]
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._global_nets = now_global

    def _order_key(self, nid: str) -> tuple[str, str]:
        net = self.document.project.networks[nid]
        return net.name.lower(), net.code         # as Project.sorted_networks orders them

    def _move_into_place(self, nid: str) -> None:
        row = self._row[nid]
        key = self._order_key(nid)
        if (row == 0 or self._order_key(self._ids[row - 1]) <= key) and \
                (row + 1 == len(self._ids) or key <= self._order_key(self._ids[row + 1])):
            return                                  # still between its neighbours: most edits
        place = bisect_left([self._order_key(n) for i, n in enumerate(self._ids) if i != row], key)
        # Qt names the row the moved one goes before, counted before the move
        if self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), place if place < row else place + 1):
            self._ids.insert(place, self._ids.pop(row))
            self._reindex()
            self.endMoveRows()

    def natural_order(self) -> tuple[int, Qt.SortOrder]:
        """The rows are in name order, always (see the module doc)."""
        return NAME, Qt.SortOrder.AscendingOrder

    def _global_finding_networks(self) -> set[str]:
        return {f.network_id for f in self.document.current_findings
                if f.network_id and not RULES[f.rule].per_network}

    # --- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def header_text(self, section: int) -> str:
        if section == MARGIN and self.document is not None:
            return f"± {self.document.settings.minimum_list:,}"
        return COLUMNS[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.document is None:
            return None
        nid = self._ids[index.row()]
        if role == ID_ROLE:
            return nid
        net = self.document.project.networks[nid]
        members, size, errors, warnings = self._cache[nid]
        minimum = self.document.settings.minimum_list
        col = index.column()
        if role == RATIO_ROLE:
            return size / minimum if minimum else 1.0
        if role == SORT_ROLE:
            return (net.name.lower(), net.code, members, size, size - minimum, (-errors, -warnings))[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(index.row(), col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == STATE:
                return ERROR_COLOUR if errors else WARNING_COLOUR if warnings else OK_COLOUR
            if col == MARGIN and size < minimum and not net.exemption:
                return ERROR_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COUNT, SIZE, MARGIN):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            found = self.document.findings.for_network(nid)
            return "\n".join(f.message for f in found) or f"{net.name}: no findings"
        if role == Qt.ItemDataRole.AccessibleTextRole and col == STATE:
            return _badge_text(errors, warnings)
        return None

    def display_text(self, row: int, column: int) -> Any:
        if self.document is None:
            return None
        nid = self._ids[row]
        net = self.document.project.networks[nid]
        members, size, errors, warnings = self._cache[nid]
        if column == NAME:
            return net.name
        if column == CODE:
            return net.code
        if column == COUNT:
            return str(members)
        if column == SIZE:
            return f"{size:,}"
        if column == MARGIN:
            margin = size - self.document.settings.minimum_list
            text = f"{margin:+,}".replace("-", "\u2212")
            return text + (" exempt" if net.exemption and margin < 0 else "")
        if column == STATE:
            return _badge_text(errors, warnings)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDropEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [PRACTICE_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return data.hasFormat(PRACTICE_MIME) and parent.isValid()

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        codes = [c for c in bytes(data.data(PRACTICE_MIME)).decode("utf-8").splitlines() if c]
        self.practicesDropped.emit(codes, self._ids[parent.row()])
        return False      # the move is a command; the practices model is not asked to delete rows

    # --- lookups ---------------------------------------------------------------------------
    def row_of(self, network_id: str) -> int:
        return self._row.get(network_id, -1)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def cached(self, network_id: str) -> tuple[int, int, int, int]:
        return self._cache[network_id]


def _badge_text(errors: int, warnings: int) -> str:
    if errors:
        return f"\u2716 {errors} error{'s' if errors != 1 else ''}"      # warnings: in the tooltip
    if warnings:
        return f"\u26a0 {warnings} warning{'s' if warnings != 1 else ''}"
    return "\u2714 OK"
