"""Presentation mode: larger type everywhere for a projector, and back."""
from __future__ import annotations

from PySide6.QtCore import Qt
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
    font.setPointSizeF(size)
    app.setFont(font)
    # widgets given their own font (a bold heading) do not follow the application font
    for widget in window.findChildren(QWidget):
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            own = widget.font()
            own.setPointSizeF(size)
            widget.setFont(own)
    for view in window.findChildren(QTableView):
        view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.4))
    window.map_pane.view.setZoomFactor(SCALE if on else 1.0)
    window.statusBar().showMessage("Presentation mode on" if on else "Presentation mode off", 3000)
