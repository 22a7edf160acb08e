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

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.header_text(section)
        return None

    def header_text(self, section: int) -> str:
        return self.COLUMNS[section]
