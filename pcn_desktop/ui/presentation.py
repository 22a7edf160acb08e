"""Presentation mode: larger type everywhere for a projector, and back."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget

SCALE = 1.5
_base_point_size: float | None = None


def set_presentation(window: QMainWindow, on: bool) -> None:
    global _base_point_size
    app = QApplication.instance()
    font = app.font()
    if _base_point_size is None:
        _base_point_size = font.pointSizeF()
    size = _base_point_size * (SCALE if on else 1.0)
    factor = size / font.pointSizeF()           # relative to what is on screen now
    font.setPointSizeF(size)
    app.setFont(font)
    # widgets given their own font (a bold heading) do not follow the application font
    for widget in window.findChildren(QWidget):
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            own = widget.font()
            own.setPointSizeF(size)
            widget.setFont(own)
    row_height = int(QFontMetrics(font).height() * 1.5)
    for view in window.findChildren(QTableView):
        view.verticalHeader().setDefaultSectionSize(row_height)
        header = view.horizontalHeader()
        for col in range(header.count() - 1):      # the last column stretches
            view.setColumnWidth(col, int(view.columnWidth(col) * factor))
    window.map_pane.view.setZoomFactor(1.25 if on else 1.0)   # the map keeps room for its shapes
    window.statusBar().showMessage("Presentation mode on" if on else "Presentation mode off", 3000)
