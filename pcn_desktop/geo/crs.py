"""Coordinate conversions between the storage CRS (WGS84) and the measuring CRS (BNG)."""
from __future__ import annotations

import threading
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"


_LOCAL = threading.local()


def _transformer(src: str, dst: str) -> Transformer:
    """One transformer per thread: a pyproj Transformer is not thread-safe, and proposals and
    boundary builds measure in a worker while the window draws (sharing one crashed)."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    t = cache.get((src, dst))
    if t is None:
        t = cache[(src, dst)] = Transformer.from_crs(src, dst, always_xy=True)
    return t


def reproject(geoms: Any, src: str, dst: str) -> Any:
    """Reproject a shapely geometry or an array of them (vectorised over all coordinates)."""
    if src == dst:
        return geoms
    t = _transformer(src, dst)

    def move(xy: np.ndarray) -> np.ndarray:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def to_bng(geoms: Any) -> Any:
    return reproject(geoms, WGS84, BNG)


def to_wgs84(geoms: Any) -> Any:
    return reproject(geoms, BNG, WGS84)


def lonlat_to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = _transformer(WGS84, BNG).transform(lon, lat)
    return np.asarray(x), np.asarray(y)
