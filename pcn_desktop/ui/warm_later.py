"""What a first edit would otherwise wait for, got ready once the window has opened.

A move in a project whose boundaries follow registrations re-dissolves the touched
networks and stores them in WGS84 (``geo.crs``): the first time, that imported pyproj and
made PROJ's transformer on the UI thread, 60-90 ms of the first drag at a workshop. Here
pyproj is imported on a thread of its own a moment after the window opens, and the UI
thread's transformer made once it has loaded (a transformer belongs to the thread that made
it: ``geo.crs``), while nobody is dragging yet.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .workers import Progress, Task, start_thread

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

WARM_AFTER_MS = 1_500       # after the start's own work: the map drawn, the panes painted


def warm_reprojection(window: "MainWindow") -> Task | None:
    """Import pyproj off the UI thread, then make the UI thread's BNG -> WGS84 transformer;
    nothing for a project without small areas (no boundary is dissolved from areas there)."""
    if not window.document.project.areas:
        return None

    def load(_progress: Progress) -> None:
        import pyproj  # noqa: F401,PLC0415 — imported here so that no edit waits for it

    def ready(_result: object) -> None:
        from ..geo.crs import BNG, WGS84, prepare  # noqa: PLC0415
        prepare(BNG, WGS84)

    # a failure here is only a warm-up missed: the edit that needs pyproj reports its own
    return start_thread(Task(load), ready, lambda _exc, _trace: None)
