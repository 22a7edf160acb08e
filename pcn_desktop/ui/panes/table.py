"""A sortable, filterable table view over a source model, shared by the panes."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


class SortProxy(QSortFilterProxyModel):
    """Sorts on the model's sort role (numbers as numbers), filters on any column's text.

    A sort the source model keeps its rows in already (its ``natural_order()``: the practices
    by code, the findings by severity, the networks by name) is shown in the source's order,
    with no comparison made: each comparison asks the Python model for two values, and
    sorting all England's 7,000 practices that way took most of a second every time the rows
    were reloaded. The source is a ``DocumentTableModel`` (its ``row_haystack`` is what the
    text filter searches)."""

    def __init__(self, sort_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(sort_role)
        self.setDynamicSortFilter(True)
        self._needle = ""                       # the text filter, case-folded

    def set_text_filter(self, text: str) -> None:
        """Show the rows any of whose cells contains ``text``, whatever its case (every row
        when it is empty). Searched in the source model's ``row_haystack``, one Python call
        per row, rather than Qt asking the model for each cell."""
        self.change_rows_filter(lambda: setattr(self, "_needle", text.casefold()))

    def change_rows_filter(self, change: Callable[[], None]) -> None:
        """``change()`` to what ``filterAcceptsRow`` decides by, then the rows filtered again."""
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        return not self._needle or self._needle in self.sourceModel().row_haystack(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        natural = getattr(self.sourceModel(), "natural_order", None)
        if column >= 0 and natural is not None and natural() == (column, order):
            super().sort(-1, order)            # the source's order is this sort
        else:
            super().sort(column, order)


def make_table(proxy: QSortFilterProxyModel, name: str, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(proxy)
    view.setAccessibleName(name)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    # fixed row heights: with 6,500 rows, per-row size hints would cost a full pass per change
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def select_source_row(view: QTableView, proxy: QSortFilterProxyModel, row: int) -> bool:
    """Select and scroll to a source-model row; False if the filter hides it."""
    if row < 0:
        return False
    source = proxy.sourceModel().index(row, 0)
    index = proxy.mapFromSource(source)
    if not index.isValid():
        return False
    view.selectRow(index.row())
    view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
    return True


def selected_source_rows(view: QTableView, proxy: QSortFilterProxyModel) -> list[int]:
    rows = {proxy.mapToSource(i).row() for i in view.selectionModel().selectedRows()}
    return sorted(rows)


def current_source_row(view: QTableView, proxy: QSortFilterProxyModel) -> int:
    index: QModelIndex = view.currentIndex()
    return proxy.mapToSource(index).row() if index.isValid() else -1
