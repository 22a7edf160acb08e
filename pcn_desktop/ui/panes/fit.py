"""Columns as wide as their heading and every value need, so nothing is elided ("Sta",
"Kirkgate M…") on a 1366x768 laptop or under presentation-mode type.

A full fit (every row) runs when the rows are replaced or the type changes; after an edit
only the changed cells are measured, and a column only ever widens then, so a move among
6,500 practices costs a few measurements, not a pass over the table.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView


def text_margin(view: QTableView) -> int:
    """Pixels Qt's item delegate keeps free either side of a cell's text."""
    return view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1


def header_need(view: QTableView, column: int, fm: QFontMetrics | None = None) -> int:
    """Width the heading needs: its text, the style's margins and the sort arrow."""
    header = view.horizontalHeader()
    text = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "")
    fm = fm or QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return fm.horizontalAdvance(text) + 2 * margin + arrow + margin + 4


def cell_need(view: QTableView, text: object, padding: int = 0, fm: QFontMetrics | None = None) -> int:
    """Width a cell showing ``text`` needs in ``view``."""
    if text is None or text == "":
        return 0
    fm = fm or QFontMetrics(view.font())
    return fm.horizontalAdvance(str(text)) + 2 * text_margin(view) + 2 * padding + 2


def widest(texts: Iterable[object], fm: QFontMetrics) -> str:
    """The text of ``texts`` that ``fm`` draws widest. Measuring 7,000 practice names one by
    one took a fifth of a second at every reload; a text of printable ASCII is no wider than
    its length times the font's widest glyph, so, longest first, the measuring stops once no
    shorter text could be wider. Any other text (a symbol drawn from another font) is measured."""
    best, best_width = "", -1
    plain: list[str] = []
    for text in map(str, texts):
        if text.isascii() and text.isprintable():
            plain.append(text)
        elif (width := fm.horizontalAdvance(text)) > best_width:
            best, best_width = text, width
    glyph = max(1, fm.maxWidth())
    for text in sorted(plain, key=len, reverse=True):
        if len(text) * glyph <= best_width:
            break
        if (width := fm.horizontalAdvance(text)) > best_width:
            best, best_width = text, width
    return best


def source_of(view: QTableView) -> QAbstractItemModel:
    """The model under the view's sort proxy: its columns are the view's, and its change
    signals name only the rows that changed (a proxy's span every row between them)."""
    model = view.model()
    return model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model


class ColumnFitter(QObject):
    """Keeps ``view``'s visible columns wide enough for their text (see the module doc).
    ``paddings`` maps a column to the extra padding its delegate draws with."""

    def __init__(self, view: QTableView, paddings: dict[int, int] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.paddings = dict(paddings or {})
        # columns narrowed on purpose (``GiveWay``'s name columns), whose width their holder
        # sets: neither an edit nor a refit widens them for a frame, pushing the state off the
        # edge, before they are narrowed back
        self.held: set[int] = set()
        model = source_of(view)
        view.horizontalHeader().setStretchLastSection(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        model.modelReset.connect(self.fit)
        model.rowsInserted.connect(self._rows_inserted)
        model.dataChanged.connect(self._data_changed)
        # new type (presentation mode, a changed system font): the widths no longer hold
        view.installEventFilter(self)
        view.horizontalHeader().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self.fit()
        return False

    def _columns(self) -> list[int]:
        """The columns this fitter sizes: the visible ones not held by another."""
        return [c for c in range(self.view.model().columnCount())
                if not self.view.isColumnHidden(c) and c not in self.held]

    def _needs(self, col: int, rows: range) -> int:
        model = source_of(self.view)
        text_at = getattr(model, "display_text", None)
        if text_at is None:
            display = Qt.ItemDataRole.DisplayRole
            text_at = lambda r, c: model.data(model.index(r, c), display)   # noqa: E731
        # measured once per distinct text: network names and states repeat down a column
        texts = {text_at(r, col) for r in rows}
        texts.discard(None)
        texts.discard("")
        if not texts:
            return 0
        return cell_need(self.view, widest(texts, QFontMetrics(self.view.font())), self.paddings.get(col, 0))

    def need(self, column: int, rows: range | None = None) -> int:
        """The width ``column`` needs for its heading and the text of ``rows`` (every row)."""
        fm = QFontMetrics(self.view.horizontalHeader().font())
        if rows is None:
            rows = range(source_of(self.view).rowCount())
        return max(header_need(self.view, column, fm), self._needs(column, rows))

    def fit(self) -> None:
        """Every visible column to its widest text over all rows (and its heading)."""
        rows = range(source_of(self.view).rowCount())
        for col in self._columns():
            self.view.setColumnWidth(col, self.need(col, rows))

    def widen(self, first: int, last: int) -> None:
        for col in self._columns():
            need = self._needs(col, range(first, last + 1))
            if need > self.view.columnWidth(col):
                self.view.setColumnWidth(col, need)

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            self.widen(first, last)

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        self.widen(top_left.row(), bottom_right.row())
