"""Columns that give way when a table's pane is too narrow for all of them.

At 1366x768 with Windows' 125% scaling (1093x614 logical pixels) the networks pane has about
500 px: its six columns need over 600, and the state of each network ("2 errors") was the
column pushed off the edge. The optional columns (a practice count, an ODS code) are hidden
instead, least needed first, while the rest would not fit, and come back as soon as the pane
is wide enough for them: a wider dock, a bigger window, smaller type.

When even without them the columns do not fit (all England's 1,251 network names, the
longest 40 characters, in a laptop's pane), the name columns (``shrink``) narrow by what is
missing, each in proportion to what it can spare, so the longest names end in "…" (their
tooltip, and the properties pane, give them whole) rather than the state of every network
falling off the pane's edge.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView

from .fit import ColumnFitter, header_need, source_of


class GiveWay(QObject):
    def __init__(self, view: QTableView, fitter: ColumnFitter, optional: tuple[int, ...],
                 shrink: tuple[int, ...] = ()) -> None:
        super().__init__(view)
        self.view = view
        self.fitter = fitter
        self.optional = optional              # in the order they give way
        self.shrink = shrink                  # narrowed, eliding, once they all have
        self.forced: set[int] = set()         # hidden whatever the room (presentation mode's codes)
        self._needs: dict[int, int] = {}      # each optional or name column's full width
        self._pending = False
        model = source_of(view)
        model.modelReset.connect(self._measure_again)
        model.rowsRemoved.connect(self._measure_again)
        # methods, not lambdas: Qt drops a connection when its receiver goes
        model.rowsInserted.connect(self._inserted)
        model.dataChanged.connect(self._data_changed)
        view.horizontalHeader().sectionResized.connect(self._later)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._later()
        elif event.type() == QEvent.Type.FontChange:      # new type: every width changes
            self._measure_again()
        return False

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._rows_changed(first, last)

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        self._rows_changed(top_left.row(), bottom_right.row())

    def _measure_again(self, *_args: object) -> None:
        self._needs.clear()
        self._later()

    def _rows_changed(self, first: int, last: int) -> None:
        """After an edit only its rows are measured (a move among 6,500 practices is one row)."""
        grown = False
        for column, need in self._needs.items():
            wider = self.fitter.need(column, range(first, last + 1))
            if wider > need:
                self._needs[column] = wider
                grown = True
        if grown:
            self._later()

    def _later(self, *_args: object) -> None:
        # resizes come in bursts while a dock is dragged: one decision after each burst
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.update)

    def need(self, column: int) -> int:
        if column not in self._needs:
            self._needs[column] = self.fitter.need(column)
        return self._needs[column]

    def full_width(self) -> int:
        """The width of every column but the forced-hidden ones (what the pane would need),
        the shrinking column at its full width."""
        header = self.view.horizontalHeader()
        kept = sum(self.need(c) if c in self.shrink else header.sectionSize(c) for c in range(header.count())
                   if c not in self.optional and not header.isSectionHidden(c))
        return kept + self.optional_width()

    def _narrowest(self, column: int) -> int:
        """How far a name column may narrow: its heading, and ten characters of name."""
        fm = QFontMetrics(self.view.font())
        return max(header_need(self.view, column), 10 * fm.averageCharWidth())

    def optional_width(self) -> int:
        """The width of the optional columns not forced hidden (what giving way can free)."""
        return sum(self.need(c) for c in self.optional if c not in self.forced)

    def force_hidden(self, column: int, hidden: bool) -> None:
        (self.forced.add if hidden else self.forced.discard)(column)
        self.update()

    def update(self) -> None:
        self._pending = False
        room = self.view.viewport().width()
        width = self.full_width()
        gone: list[int] = []
        for column in self.optional:
            if width <= room:
                break
            if column not in self.forced:
                gone.append(column)
                width -= self.need(column)
        for column in self.optional:
            hidden = column in self.forced or column in gone
            if hidden != self.view.isColumnHidden(column):
                self.view.setColumnHidden(column, hidden)
                if not hidden:
                    self.view.setColumnWidth(column, self.need(column))
        shown = [c for c in self.shrink if not self.view.isColumnHidden(c)]
        spare = {c: max(0, self.need(c) - self._narrowest(c)) for c in shown}
        missing, sparable = max(0, width - room), sum(spare.values())
        for column in shown:
            cut = min(spare[column], -(-missing * spare[column] // sparable)) if missing and sparable else 0
            wanted = self.need(column) - cut
            (self.fitter.held.add if cut else self.fitter.held.discard)(column)
            if self.view.columnWidth(column) != wanted:
                self.view.setColumnWidth(column, wanted)
