"""Where map frames are kept, and which one the window's next start loads before it has a project.

A frame is folium's page for one set of layers (``map_html.page_shell``), cached in the
config folder. The window's map pane also keeps a "warm" copy of the frame it last drew:
the same page with its map made only when ``pcnStart(spec)`` is called. The next start
loads that copy while the project is still being read, so Leaflet and its plugins are
parsed by the time the window shows, and the map is drawn by handing the page its data.
Plain file handling, nothing heavier: the start reads this before anything else.
"""
from __future__ import annotations

from pathlib import Path

from ..paths import config_dir
from ..textfiles import replace_atomically

POINTER = "warm-frame.txt"       # names the frame the next start loads


def frames_dir() -> Path:
    return config_dir() / "map-pages"


def warm_path(key: str) -> Path:
    return frames_dir() / f"{key}.warm.html"


def warm_frame() -> tuple[str, Path] | None:
    """(key, file) of the frame the window last drew, when it is still there."""
    try:
        key = (frames_dir() / POINTER).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not key.isalnum():
        return None
    path = warm_path(key)
    return (key, path) if path.is_file() else None


def keep_warm(key: str, page: str) -> None:
    """Make ``page`` (the warm copy of frame ``key``) the one the next start loads. A
    read-only or full config folder only costs the next start its head start."""
    try:
        path = warm_path(key)
        if not path.is_file():
            replace_atomically(path, page)
        replace_atomically(frames_dir() / POINTER, key)
    except OSError:
        pass
