"""One web page started before the window exists, for the first map pane to adopt.

Chromium starts a renderer process for a page's first local file, and that start (some
hundreds of milliseconds) would otherwise begin only when the map pane asks for its page,
after the project is open and the window built. Started first, on a local file, the process
is ready by then, and the map page, also a local file, loads in it.
"""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage

from ..paths import resource

_waiting: list[QWebEnginePage] = []


def start() -> None:
    """Create the page and load a blank local file into it (call once the QApplication exists)."""
    if _waiting:
        return
    page = QWebEnginePage()
    try:
        blank = resource("web", "blank.html")
    except FileNotFoundError:        # resources not installed: still start Chromium's processes
        page.load(QUrl("about:blank"))
    else:
        page.load(QUrl.fromLocalFile(str(blank)))
    _waiting.append(page)


def adopt() -> QWebEnginePage | None:
    """The started page, once (None when none was started or it was taken)."""
    return _waiting.pop() if _waiting else None


def discard() -> None:
    """Delete a page no pane adopted (a window with no map)."""
    while _waiting:
        _waiting.pop().deleteLater()
