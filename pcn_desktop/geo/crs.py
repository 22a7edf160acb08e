"""Coordinate conversions between the storage CRS (WGS84) and the measuring CRS (BNG).

WGS84 to the national grid, the direction every measure takes, is ``bng.py`` (numpy);
PROJ, through pyproj, does every other direction and is imported only when one is asked
for, so opening and checking a project never waits for it.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from .bng import wgs84_to_bng

if TYPE_CHECKING:
    from pyproj import Transformer

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"


_LOCAL = threading.local()


def _transformer(src: str, dst: str) -> "Transformer":
    """One transformer per thread: a pyproj Transformer is not thread-safe, and proposals and
    boundary builds measure in a worker while the window draws (sharing one crashed)."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    t = cache.get((src, dst))
    if t is None:
        from pyproj import Transformer  # noqa: PLC0415 — see the module's docstring
        t = cache[(src, dst)] = Transformer.from_crs(src, dst, always_xy=True)
    return t


def prepare(src: str, dst: str) -> None:
    """Make this thread's transformer from ``src`` to ``dst`` now (PROJ looks the systems up
    in its database: a few tens of milliseconds), so the first reprojection does not wait."""
    _mover(src, dst)


def _mover(src: str, dst: str):  # noqa: ANN202 — (x, y) arrays -> (x, y) arrays
    if (src, dst) == (WGS84, BNG):
        return wgs84_to_bng
    return _transformer(src, dst).transform


def reproject(geoms: Any, src: str, dst: str) -> Any:
    """Reproject a shapely geometry or an array of them (vectorised over all coordinates)."""
    if src == dst:
        return geoms
    move_xy = _mover(src, dst)

    def move(xy: np.ndarray) -> np.ndarray:
        x, y = move_xy(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def to_bng(geoms: Any) -> Any:
    return reproject(geoms, WGS84, BNG)


def to_wgs84(geoms: Any) -> Any:
    return reproject(geoms, BNG, WGS84)


def lonlat_to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = wgs84_to_bng(lon, lat)
    return np.asarray(x), np.asarray(y)
