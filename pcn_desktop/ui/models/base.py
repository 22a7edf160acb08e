"""What every table over the open document shares: following the document's changes and
naming its columns. Subclasses load their rows in ``reload`` and update them in ``on_changed``."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..document import Document

Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    COLUMNS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.document: Document | None = None
        self._haystacks: dict[int, str] = {}       # row -> row_haystack, until the row changes
        for signal in (self.modelReset, self.rowsInserted, self.rowsRemoved, self.rowsMoved, self.layoutChanged):
            signal.connect(self._forget_haystacks)
        self.dataChanged.connect(self._forget_changed_haystacks)

    def set_document(self, document: Document) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self.on_changed)
        self.document = document
        document.changed.connect(self.on_changed)
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def on_changed(self, touched: frozenset[str] | None) -> None:
        raise NotImplementedError

    def display_text(self, row: int, column: int) -> Any:
        """What the view shows at (row, column): ``data``'s DisplayRole, asked without making
        a QModelIndex (the column fitter asks it of every row, 35,000 cells for all England's
        practices, and each index made costs more than the text)."""
        return self.data(self.index(row, column), Qt.ItemDataRole.DisplayRole)

    def row_haystack(self, row: int) -> str:
        """Every column's text of ``row``, case-folded, one per line: what the filter box
        searches (``panes.table.SortProxy``). Kept until the row changes: asking each of 7,000
        rows' five cells through Qt at every keystroke took a tenth of a second."""
        found = self._haystacks.get(row)
        if found is None:
            texts = (self.display_text(row, c) for c in range(self.columnCount()))
            found = self._haystacks[row] = "\n".join(str(t) for t in texts if t not in (None, "")).casefold()
        return found

    def _forget_haystacks(self, *_args: object) -> None:
        self._haystacks.clear()

    def _forget_changed_haystacks(self, top_left: QModelIndex, bottom_right: QModelIndex, *_args: object) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._haystacks.pop(row, None)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.header_text(section)
        return None

    def header_text(self, section: int) -> str:
        return self.COLUMNS[section]
