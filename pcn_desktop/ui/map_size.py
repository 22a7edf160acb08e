"""The size the window's map view had, kept for the next start to make its map at before the
window shows (``web_warmup.fill_early``). Kept per screen size and per mode (a projector's
presentation mode lays the map out otherwise), as the window's own layout is."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

from .settings import app_settings

KEY = "map/viewSize"


def _screen() -> QSize | None:
    screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else None


def _where(screen: QSize | None, presentation: bool) -> str:
    where = f"{screen.width()}x{screen.height()}" if screen is not None else "unknown"
    return f"{'presentation' if presentation else 'window'}-{where}"


def expected(presentation: bool, screen: QSize | None = None) -> tuple[int, int] | None:
    """The map view's size the last time the window opened on this screen in this mode."""
    value = app_settings().value(f"{KEY}/{_where(screen or _screen(), presentation)}")
    try:
        width, height = (int(part) for part in str(value).split("x"))
    except (TypeError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def remember(size: QSize, presentation: bool, screen: QSize | None = None) -> None:
    if size.width() > 0 and size.height() > 0:
        app_settings().setValue(f"{KEY}/{_where(screen or _screen(), presentation)}",
                                f"{size.width()}x{size.height()}")
