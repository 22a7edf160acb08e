"""Practices pane: a filter box over the sortable practices table; rows drag onto networks."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QVBoxLayout, QWidget
from PySide6.QtCore import Qt

from ..models.practices_model import CODE, NAME, NETWORK, SORT_ROLE, STATUS, PracticesModel
from .fit import ColumnFitter
from .give_way import GiveWay
from .table import SortProxy, make_table, select_source_row, selected_source_rows


class PracticesPane(QWidget):
    practiceSelected = Signal(str)

    def __init__(self, model: PracticesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._syncing = False
        self.proxy = SortProxy(SORT_ROLE, self)
        self.proxy.setSourceModel(model)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by code, name, network or status")
        self.filter.setAccessibleName("Filter practices")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_text_filter)
        self.view = make_table(self.proxy, "Practices table", self)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.fitter = ColumnFitter(self.view)
        # in a narrow pane the status (a closed practice is also a finding) and the code go
        # before the name, the list size or the network
        self.give_way = GiveWay(self.view, self.fitter, (STATUS, CODE), shrink=(NAME, NETWORK))
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def add_actions(self, actions: list[QAction]) -> None:
        self.view.addActions(actions)

    def _on_current(self, current, _previous) -> None:  # noqa: ANN001 — Qt indexes
        if current.isValid() and not self._syncing:
            self.practiceSelected.emit(self.model.code_at(self.proxy.mapToSource(current).row()))

    def select_practice(self, code: str) -> bool:
        row = self.model.row_of(code)
        if row >= 0 and not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self.filter.clear()          # the filter hid it: show everything rather than fail
        self._syncing = True          # selecting from elsewhere must not echo back
        try:
            return select_source_row(self.view, self.proxy, row)
        finally:
            self._syncing = False

    def selected_codes(self) -> list[str]:
        return [self.model.code_at(r) for r in selected_source_rows(self.view, self.proxy)]
