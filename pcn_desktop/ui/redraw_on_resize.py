"""Redraw a picture drawn for its widget's size, once the widget stops changing size."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

SETTLE_MS = 150        # a drag of a splitter or a window edge sends a resize per step


class RedrawOnResize(QObject):
    """Call ``draw`` ``SETTLE_MS`` after ``widget``'s last resize, when ``wanted()`` says the
    picture it shows no longer fits (nothing to draw yet, or already drawn for this size)."""

    def __init__(self, widget: QWidget, draw: Callable[[], None], wanted: Callable[[], bool]) -> None:
        super().__init__(widget)
        self._wanted = wanted
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(draw)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._wanted():
            self._timer.start()
        return False
