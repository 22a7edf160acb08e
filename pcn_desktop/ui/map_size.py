"""The size the window's map view had, kept for the next start to make its map at before the
window shows (``web_warmup.fill_early``). Kept per screen size, as the window's own layout
is. Presentation mode keeps none: it zooms the page once the window is built, so its start
draws the map once shown instead."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

from .settings import app_settings

KEY = "map/viewSize"


def _screen() -> QSize | None:
    screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else None


def _key(screen: QSize | None) -> str:
    return f"{KEY}/{screen.width()}x{screen.height()}" if screen is not None else f"{KEY}/unknown"


def expected(screen: QSize | None = None) -> tuple[int, int] | None:
    """The map view's size the last time the window opened on this screen."""
    value = app_settings().value(_key(screen or _screen()))
    try:
        width, height = (int(part) for part in str(value).split("x"))
    except (TypeError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def remember(size: QSize, screen: QSize | None = None) -> None:
    if size.width() > 0 and size.height() > 0:
        app_settings().setValue(_key(screen or _screen()), f"{size.width()}x{size.height()}")
