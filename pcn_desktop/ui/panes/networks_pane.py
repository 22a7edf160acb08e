"""Networks pane: each network's total with a bar against the minimum and a state badge;
practices dropped on a row are moved into that network."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QVBoxLayout, QWidget)

from ..models.networks_model import CODE, COUNT, NAME, RATIO_ROLE, SIZE, SORT_ROLE, NetworksModel
from .fit import ColumnFitter
from .give_way import GiveWay
from .table import SortProxy, make_table, select_source_row


class TotalBarDelegate(QStyledItemDelegate):
    """The list size drawn over a bar: full width = 1.5x the minimum, a tick at the minimum."""

    SCALE = 1.5
    PADDING = 7            # the bar's inset plus the figure's own, each side

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        ratio = index.data(RATIO_ROLE) or 0.0
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        r: QRect = option.rect.adjusted(3, 4, -3, -4)
        filled = int(r.width() * min(ratio / self.SCALE, 1.0))
        colour = QColor("#81c784") if ratio >= 1.0 else QColor("#ef9a9a")
        painter.fillRect(QRect(r.left(), r.top(), filled, r.height()), colour)
        tick = r.left() + int(r.width() / self.SCALE)
        painter.setPen(QColor("#424242"))
        painter.drawLine(tick, r.top() - 2, tick, r.bottom() + 2)
        painter.setPen(option.palette.color(option.palette.ColorRole.Text))
        # left-aligned, so the figure sits clear of the tick at the minimum
        painter.drawText(r.adjusted(4, 0, -4, 0), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         str(index.data(Qt.ItemDataRole.DisplayRole)))
        painter.restore()


class NetworksPane(QWidget):
    networkSelected = Signal(str)

    def __init__(self, model: NetworksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._syncing = False
        self.proxy = SortProxy(SORT_ROLE, self)
        self.proxy.setSourceModel(model)
        self.view = make_table(self.proxy, "Networks table", self)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setItemDelegateForColumn(SIZE, TotalBarDelegate(self.view))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.fitter = ColumnFitter(self.view, {SIZE: TotalBarDelegate.PADDING})
        # in a narrow pane the count and the code go before the size, its margin or the state
        self.give_way = GiveWay(self.view, self.fitter, (COUNT, CODE), shrink=(NAME,))
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        hint = QLabel("Drag practices onto a network to move them.", self)
        hint.setAccessibleName("Networks hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(hint)
        layout.addWidget(self.view)

    def add_actions(self, actions: list[QAction]) -> None:
        self.view.addActions(actions)

    def _on_current(self, current, _previous) -> None:  # noqa: ANN001 — Qt indexes
        if current.isValid() and not self._syncing:
            self.networkSelected.emit(self.model.id_at(self.proxy.mapToSource(current).row()))

    def select_network(self, network_id: str) -> bool:
        self._syncing = True
        try:
            return select_source_row(self.view, self.proxy, self.model.row_of(network_id))
        finally:
            self._syncing = False

    def current_network(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.id_at(self.proxy.mapToSource(index).row())
