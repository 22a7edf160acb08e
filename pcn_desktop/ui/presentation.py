"""Presentation mode, for a projector in a workshop room: larger type, and a layout for it.

Larger type alone pushes the properties' fields and the tables' last columns off the
edge, so the mode also rearranges: the room needs the map, the networks and the findings;
the practice list, the properties form, the funding pane and the status bar are for
whoever edits, and are hidden until the mode is left (which puts every pane back where it
was). Columns are refitted to the new type so no heading or figure is cut.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget

from .layout import networks_width
from .models.networks_model import CODE
from .panes.fit import ColumnFitter

SCALE = 1.5
FINDINGS_ROWS = 3        # whole findings a room can read at once, above the detail line
MAP_SHARE = 0.45         # of the window's height, the least the map keeps
HIDDEN = ("practices", "properties", "funding")   # what a room does not need (and the code column)
_base_point_size: float | None = None


def _scale_type(window: QMainWindow, on: bool) -> None:
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
    row_height = int(QFontMetrics(font).height() * 1.5)
    for view in window.findChildren(QTableView):
        view.verticalHeader().setDefaultSectionSize(row_height)
    for fitter in window.findChildren(ColumnFitter):
        fitter.fit()


def presentation_sizes(window: QMainWindow) -> None:
    """The networks table whole where it fits in half the window; the findings a third.
    Once the new type has reached the tables (their columns refit on its FontChange)."""
    QTimer.singleShot(0, window, lambda: _resize_docks(window))


def _resize_docks(window: QMainWindow) -> None:
    w, h = window.width(), window.height()
    # a room reads each network's size and state: where the whole table does not fit beside
    # the map, the practice count (also on the map) gives way rather than the state
    left = min(int(w * 0.55), networks_width(window))
    window.resizeDocks([window.docks["networks"]], [left], Qt.Orientation.Horizontal)
    asked = int(h * 0.3)
    window.resizeDocks([window.docks["findings"]], [asked], Qt.Orientation.Vertical)
    # At the larger type the pane's filter, heading, scroll bar and detail line took most of
    # a third of a 768-line screen, leaving one finding cut through its letters. What the
    # table is short of three whole rows is found by laying the window out (what the asked
    # height becomes depends on the tab bar beside the pane), then added.
    window.layout().activate()
    view = window.findings_pane.view
    short = FINDINGS_ROWS * view.verticalHeader().defaultSectionSize() - view.viewport().height()
    if short > 0:
        most = asked + max(0, window.map_pane.height() - int(h * MAP_SHARE))
        window.resizeDocks([window.docks["findings"]], [min(asked + short, most)], Qt.Orientation.Vertical)


def set_presentation(window: QMainWindow, on: bool) -> None:
    if on == (getattr(window, "presentation_state", None) is not None):
        return
    if on:
        # A window opened in presentation mode with no layout kept has not been sized yet: its
        # state then would bring back unsized panes (the networks' names cut, on screen and
        # at every start after, since closing keeps the layout left to). Empty: the default
        # sizes, worked out when the mode is left.
        window.presentation_state = window.saveState() if window.layout_known else QByteArray()
        _scale_type(window, True)
        for key in HIDDEN:
            window.docks[key].hide()
        window.statusBar().hide()
        window.docks["networks"].show()
        window.docks["networks"].raise_()
        window.docks["findings"].show()
        # ODS codes mean nothing to a room; the names, sizes and states do
        window.networks_pane.give_way.force_hidden(CODE, True)
        if window.isVisible():          # else the window's first showEvent sizes them
            presentation_sizes(window)
    else:
        state: QByteArray = window.presentation_state
        window.presentation_state = None
        _scale_type(window, False)
        if state.isEmpty():
            window.set_compact(window.compact)
        else:
            window.restoreState(state)
        window.networks_pane.give_way.force_hidden(CODE, False)
        window.statusBar().show()
    window.map_pane.view.setZoomFactor(1.25 if on else 1.0)   # the map keeps room for its shapes
    window.statusBar().showMessage("Presentation mode on" if on else "Presentation mode off", 3000)
