"""Small-area polygons (LSOAs, or any areas registrations are counted in): GeoJSON, GeoPackage, shapefile.

Any coordinate reference system is reprojected to WGS84 for storage. A file without one is
taken as WGS84 only when its coordinates are plausible longitudes/latitudes; otherwise it is
refused, since guessing British National Grid vs. WGS84 wrongly would put every area in the
sea. The code column is found by meaning (``lsoa11cd``, ``LSOA21CD``, ``code``...), as is the
name. Invalid geometry is repaired with ``shapely.make_valid`` when that leaves a polygon;
otherwise, and for empty or missing geometry, the feature is refused by number and code.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..domain.model import Project, SmallArea
from ..domain.wording import plural
from .errors import ImportRefused as _Refused
from .limits import import_limits
from .kinds import ORDER_AREAS, Kind, ParsedFile, Sample, register_hint, register_kind
from .run import ImportRun
from .text import norm_header

CODE = re.compile(r"(lsoa|msoa|oa|dz|iz|area)\d*_?(cd|code)")
NAME = re.compile(r"(lsoa|msoa|oa|dz|iz|area)\d*_?(nm|name)")
SQLITE = b"SQLite format 3\x00"
SHAPEFILE = b"\x00\x00\x27\x0a"


def ImportRefused(path, feature, problem: str) -> _Refused:  # noqa: N802 — reads as the exception
    """A refusal naming the feature (1-based) rather than a row."""
    return _Refused(path, feature, problem, unit="feature")


def detect(sample: Sample) -> bool:
    head = sample.head
    if head.startswith(SQLITE):
        return b"gpkg" in _sqlite_tables(sample.path)
    if head.startswith(SHAPEFILE):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and b'"type"' in head and (b"Feature" in head or b"features" in head) \
        and not _is_network_file(head)


def _is_network_file(head: bytes) -> bool:
    """Network footprints (PCN polygons) belong to the boundary importer, not here."""
    low = head.lower()
    return b'"pcn_code"' in low or b'"pcn_name"' in low or b'"network' in low


# the columns that name a network in a boundary file (as geo.importing reads them)
NETWORK_COLUMNS = frozenset({"pcn_code", "pcncode", "pcn_cd", "pcn_ods_code", "network_code",
                             "pcn_name", "pcnname", "pcn", "pcn_nm", "network", "network_name"})
BOUNDARIES_ELSEWHERE = ("holds network boundaries (one polygon per PCN), which replace the networks' "
                        "boundaries rather than add data: import it with Networks > Import boundaries… "
                        "in the window, or with pcn-desktop boundaries PROJECT --import FILE")


def _boundary_file_hint(sample: Sample) -> str | None:
    head = sample.head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") and b'"type"' in sample.head and _is_network_file(sample.head):
        return BOUNDARIES_ELSEWHERE
    return None


def _sqlite_tables(path: Path) -> bytes:
    """Table names, read-only. The path is percent-quoted in the URI: a ``#`` or ``?`` in a
    folder name would otherwise end the path there (and SQLite create an empty file)."""
    import sqlite3
    from contextlib import closing
    from urllib.parse import quote
    try:
        with closing(sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)) as conn:
            conn.text_factory = bytes          # table names need not be UTF-8
            return b" ".join(r[0] for r in conn.execute("select name from sqlite_master"))
    except sqlite3.Error:
        return b""


def _choose(columns: list[str], pattern: re.Pattern, plain: tuple[str, ...]) -> str | None:
    normal = {norm_header(c): c for c in columns}
    for name, original in normal.items():
        if pattern.fullmatch(name):
            return original
    for wanted in plain:
        if wanted in normal:
            return normal[wanted]
    return None


class Areas(ParsedFile):
    order = ORDER_AREAS

    def __init__(self, path: Path) -> None:
        super().__init__(path, "small-area polygons")
        self.areas: list[SmallArea] = []
        self.repaired: list[str] = []

    def read(self) -> "Areas":
        import geopandas as gpd
        import shapely
        path = self.path
        try:
            frame = gpd.read_file(path)
        except Exception as exc:                      # pyogrio's errors name no row; say what it said
            feature = _unclosed_ring_feature(path) if "closed" in str(exc) else None
            if feature is not None:
                raise ImportRefused(path, feature, "a polygon ring is not closed (its last point is not "
                                                   "its first): a damaged or hand-edited file") from None
            raise ImportRefused(path, None, f"cannot be read as geographic data ({exc})") from None
        if len(frame) == 0:
            raise ImportRefused(path, None, "has no features (an empty layer)")
        code_col = _choose(list(frame.columns), CODE, ("code", "area_code", "lsoa", "id"))
        if code_col is None and NETWORK_COLUMNS & {norm_header(c) for c in frame.columns}:
            raise ImportRefused(path, None, BOUNDARIES_ELSEWHERE)
        if code_col is None:
            raise ImportRefused(path, None, "no area code column (e.g. lsoa11cd, LSOA21CD or code); "
                                            f"columns are {', '.join(c for c in frame.columns if c != 'geometry')}")
        name_col = _choose(list(frame.columns), NAME, ("name", "area_name"))
        codes = frame[code_col].tolist()
        for i, code in enumerate(codes, start=1):    # before any geometry work: by feature number
            if _blank(code):
                raise ImportRefused(path, i, "feature has no area code")
        frame = self._to_wgs84(frame)
        seen: dict[str, int] = {}
        names = frame[name_col].tolist() if name_col else [""] * len(frame)
        geoms = frame.geometry.tolist()
        for i, (code, name, geom) in enumerate(zip(codes, names, geoms), start=1):
            code = str(code).strip()
            if code in seen:
                raise ImportRefused(path, i, f"area {code} appears twice (features {seen[code]} and {i})")
            seen[code] = i
            if geom is None or geom.is_empty:
                raise ImportRefused(path, i, f"area {code} has no geometry")
            if not geom.is_valid:
                repaired = shapely.make_valid(geom)
                polygons = _polygonal(repaired)
                if polygons is None:
                    raise ImportRefused(path, i, f"area {code} has invalid geometry that cannot be repaired "
                                                 f"({shapely.is_valid_reason(geom)})")
                geom = polygons
                self.repaired.append(f"{code} (feature {i})")
            elif geom.geom_type not in ("Polygon", "MultiPolygon"):
                raise ImportRefused(path, i, f"area {code} is a {geom.geom_type}, not a polygon")
            self.areas.append(SmallArea(code, "" if _blank(name) else str(name).strip(), geom))
        self.summary.rows_read = len(geoms)
        return self

    def _to_wgs84(self, frame):
        """Reproject to WGS84, refusing coordinates that cannot be the UK with the probable cause:
        grid metres declared (or taken) as degrees, swapped axes, or values no CRS gives."""
        import numpy as np
        bounds = np.array(frame.geometry.bounds.to_numpy(dtype=float))
        drawn = ~(frame.geometry.isna() | frame.geometry.is_empty).to_numpy()   # the rest are refused later
        bounds[~drawn] = 0.0
        bad = ~np.isfinite(bounds).all(axis=1) | (np.abs(bounds) > 1e7).any(axis=1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ImportRefused(self.path, i + 1, "coordinates are not finite or far beyond any map "
                                                  f"({', '.join(f'{v:g}' for v in bounds[i])})")
        degrees = frame.crs is None or frame.crs.is_geographic
        if degrees:
            outside = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
            if outside.any():
                i = int(np.flatnonzero(outside)[0])
                said = "has no coordinate reference system" if frame.crs is None else \
                    f"declares degrees ({frame.crs.name})"
                grid = "British National Grid metres (EPSG:27700)" if _looks_like_grid(bounds[i]) else \
                    "not longitudes/latitudes"
                raise ImportRefused(self.path, i + 1, f"the file {said} but its coordinates "
                                                      f"({bounds[i][0]:g}, {bounds[i][1]:g}) are {grid}; "
                                                      "save it with its CRS")
        if frame.crs is not None and frame.crs.to_epsg() != 4326 and not frame.crs.equals("OGC:CRS84"):
            frame = frame.to_crs(4326)
        self._check_in_uk(frame)
        return frame

    def _check_in_uk(self, frame) -> None:
        import numpy as np
        limits = import_limits()
        (lat0, lat1), (lon0, lon1) = limits.latitude_range, limits.longitude_range
        b = frame.geometry.bounds.to_numpy(dtype=float)
        drawn = ~(frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
        inside = ~drawn | ((b[:, 0] >= lon0) & (b[:, 2] <= lon1) & (b[:, 1] >= lat0) & (b[:, 3] <= lat1))
        if inside.all():
            return
        i = int(np.flatnonzero(~inside)[0])
        x, y = (b[i][0] + b[i][2]) / 2, (b[i][1] + b[i][3]) / 2
        if lat0 <= x <= lat1 and lon0 <= y <= lon1:
            cause = "latitude and longitude appear swapped (x holds latitudes)"
        elif not np.isfinite([x, y]).all():
            cause = "its coordinates could not be converted"
        else:
            cause = (f"outside the United Kingdom (longitude {x:.4g}, latitude {y:.4g}); "
                     "is its coordinate reference system right?")
        raise ImportRefused(self.path, i + 1, f"area lies {cause}" if cause.startswith("outside")
                            else f"area is not in the United Kingdom: {cause}")

    def apply(self, project: Project, run: ImportRun) -> None:
        replaced = sum(a.code in project.areas for a in self.areas)
        for area in self.areas:
            old = project.areas.get(area.code)
            if old is not None and not area.name:
                area.name = old.name
            if old is not None:
                area.place = old.place
            project.areas[area.code] = area
        self.summary.kept = len(self.areas)
        if self.repaired:
            self.summary.notes.append(f"invalid geometry repaired with make_valid: {', '.join(self.repaired[:10])}"
                                      + (f" and {len(self.repaired) - 10} more" if len(self.repaired) > 10 else ""))
        self.summary.notes.append(plural(len(self.areas), "area")
                                  + (f" ({replaced:,} replaced existing ones)" if replaced else ""))


def _blank(value: object) -> bool:
    """None, NaN (a null property read by pandas) or empty text."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return not str(value).strip()


def _looks_like_grid(bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return -100_000 <= minx <= maxx <= 800_000 and -100_000 <= miny <= maxy <= 1_300_000


def _unclosed_ring_feature(path: Path) -> int | None:
    """The 1-based number of the first GeoJSON feature with a ring whose ends differ."""
    import json
    try:
        data = json.loads(Path(path).read_bytes())
        features = data.get("features") or []
    except (ValueError, OSError, AttributeError, RecursionError):
        return None

    def rings(geometry):
        kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates") or []
        if kind == "Polygon":
            yield from coords
        elif kind == "MultiPolygon":
            for polygon in coords:
                yield from polygon

    for number, feature in enumerate(features, start=1):
        try:
            if any(ring and ring[0] != ring[-1] for ring in rings(feature.get("geometry"))):
                return number
        except (AttributeError, TypeError):
            continue
    return None


def _polygonal(geom):
    from shapely.geometry import MultiPolygon
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return None if geom.is_empty else geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
        flat = [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
        return MultiPolygon(flat) if flat else None
    return None


register_hint(_boundary_file_hint)
register_kind(Kind("areas", "small-area polygons (GeoJSON, GeoPackage, shapefile)",
                   detect, lambda path, _s: Areas(path).read()))
