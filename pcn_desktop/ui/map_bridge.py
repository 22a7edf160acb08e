"""The object the map page's script calls on the page's web channel (``maps/pcn_map.js``).

Its own small module because the page the window's start makes before any window exists
(``web_warmup``) registers it: a map made in that page before the pane adopts it connects
to the channel at once, and must find the bridge there.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

BRIDGE_NAME = "pcnBridge"        # the name maps/pcn_map.js looks for on the web channel


class MapBridge(QObject):
    """Registered on the page's web channel; the map's script calls ``select(kind, code)``."""

    practiceSelected = Signal(str)    # ODS code
    networkSelected = Signal(str)     # the network's key (ODS code, else name)
    areaSelected = Signal(str)

    @Slot(str, str)
    def select(self, kind: str, code: str) -> None:
        signal = {"practice": self.practiceSelected, "network": self.networkSelected,
                  "area": self.areaSelected}.get(kind)
        if signal is not None:
            signal.emit(code)
