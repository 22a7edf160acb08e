"""Where the panes go for the screen the window opens on.

A wide screen (1920x1080) has room for everything side by side: practices and networks on
the left, the properties and funding on the right, findings under the map. On a laptop
(1366x768, or 1920x1080 at 150% Windows scaling, which Qt reports as 1280x720 logical
pixels) that leaves the map a postage stamp and cuts every table; there the panes that are
edited one at a time share one tabbed column on the left (networks raised), so the map,
the networks table and the findings with their detail line are all visible at once.
Sizes are logical pixels throughout, so display scaling is respected as Qt applies it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt

if TYPE_CHECKING:
    from .main_window import MainWindow

COMPACT_BELOW = QSize(1600, 950)     # logical pixels of the screen's available area
LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
TABBED_LEFT = ("networks", "practices", "properties", "funding")


def compact_for(size: QSize) -> bool:
    return size.width() < COMPACT_BELOW.width() or size.height() < COMPACT_BELOW.height()


def screen_size(window: "MainWindow") -> QSize | None:
    screen = window.screen()
    return screen.availableGeometry().size() if screen is not None else None


def compact_screen(window: "MainWindow") -> bool:
    """Whether the screen the window is on wants the compact layout (none known: the wide)."""
    available = screen_size(window)
    return available is not None and compact_for(available)


def fit_to_screen(widget, width: int, height: int) -> None:  # noqa: ANN001 — a QWidget
    """Size a dialog at ``width`` x ``height``, or less where its screen has less room: the
    comparison (1180x820) and agreements (1100x800) dialogs ran off the bottom of a
    1366x768 laptop's screen, their last rows under the task bar."""
    screen = (widget.parentWidget() or widget).screen()
    if screen is not None:
        room = screen.availableGeometry().size()
        width, height = min(width, int(room.width() * 0.96)), min(height, int(room.height() * 0.94))
    widget.resize(width, height)


def initial_size(available: QSize | None) -> QSize:
    """Most of the screen, never more than it has: a window bigger than a 1366x768 laptop
    at 125% (1093x614 logical) would put its own edges off screen."""
    if available is None:
        return QSize(1400, 900)
    width = min(available.width(), max(1000, int(available.width() * 0.94)))
    height = min(available.height(), max(600, int(available.height() * 0.92)))
    return QSize(width, height)


def arrange(window: "MainWindow", compact: bool) -> None:
    """Put the docks where ``compact`` (or wide) wants them; sizes follow in ``default_sizes``."""
    docks = window.docks
    for dock in docks.values():
        window.removeDockWidget(dock)
    if compact:
        for key in TABBED_LEFT:
            window.addDockWidget(LEFT, docks[key])
            docks[key].show()
        for key in TABBED_LEFT[1:]:
            window.tabifyDockWidget(docks[TABBED_LEFT[0]], docks[key])
        window.addDockWidget(BOTTOM, docks["findings"])
        docks["findings"].show()
        # the findings sit under the map only: the tabbed column keeps the full height
        window.setCorner(Qt.Corner.BottomLeftCorner, LEFT)
        docks["networks"].raise_()
    else:
        window.addDockWidget(LEFT, docks["practices"])
        window.addDockWidget(LEFT, docks["networks"])
        window.splitDockWidget(docks["practices"], docks["networks"], Qt.Orientation.Vertical)
        window.addDockWidget(RIGHT, docks["properties"])
        window.addDockWidget(RIGHT, docks["funding"])
        window.tabifyDockWidget(docks["properties"], docks["funding"])
        window.addDockWidget(BOTTOM, docks["findings"])
        for dock in docks.values():
            dock.show()
        docks["properties"].raise_()
    if "history" in docks:                  # the team's History, a tab beside the findings
        window.addDockWidget(BOTTOM, docks["history"])
        window.tabifyDockWidget(docks["findings"], docks["history"])
        docks["history"].show()
        docks["findings"].raise_()
    window.setCorner(Qt.Corner.BottomLeftCorner, LEFT)
    window.setCorner(Qt.Corner.BottomRightCorner, RIGHT)


def table_width(view, columns: int | None = None) -> int:  # noqa: ANN001 — a QTableView
    """Width that shows every visible column of ``view`` (or ``columns`` px of them) with no
    horizontal scrolling."""
    header = view.horizontalHeader()
    if columns is None:
        columns = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    return columns + view.verticalScrollBar().sizeHint().width() + 2 * view.frameWidth() + 12


def networks_width(window: "MainWindow", essential: bool = False) -> int:
    """Width the networks pane needs to show every column it can (none given way), or with
    ``essential`` only those that never give way."""
    pane = window.networks_pane
    gone = pane.give_way.optional_width() if essential else 0
    return table_width(pane.view, pane.give_way.full_width() - gone)


def default_sizes(window: "MainWindow", compact: bool) -> None:
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    w, h = window.width(), window.height()
    if compact:
        # the networks table whole where it fits in half the window; else what never gives
        # way (name, size, margin, state) up to 58% of it (a 1366x768 laptop at 150%)
        room = max(int(w * 0.5), min(networks_width(window, essential=True), int(w * 0.58)))
        left = min(room, max(int(w * 0.36), networks_width(window)))
        window.resizeDocks([window.docks["networks"]], [left], horizontal)
        window.resizeDocks([window.docks["findings"]], [max(150, int(h * 0.3))], vertical)
        return
    window.resizeDocks([window.docks["practices"], window.docks["properties"]],
                       [max(590, int(w * 0.34)), max(330, int(w * 0.2))], horizontal)
    window.resizeDocks([window.docks["practices"], window.docks["networks"]], [h // 2, h // 2], vertical)
    window.resizeDocks([window.docks["findings"]], [max(200, int(h * 0.27))], vertical)
