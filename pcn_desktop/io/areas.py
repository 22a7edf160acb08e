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
from .errors import ImportRefused
from .kinds import ORDER_AREAS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import norm_header

CODE = re.compile(r"(lsoa|msoa|oa|dz|iz|area)\d*_?(cd|code)")
NAME = re.compile(r"(lsoa|msoa|oa|dz|iz|area)\d*_?(nm|name)")
SQLITE = b"SQLite format 3\x00"
SHAPEFILE = b"\x00\x00\x27\x0a"


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


def _sqlite_tables(path: Path) -> bytes:
    import sqlite3
    try:
        # as_uri() escapes "%", "#" and "?" in the path; "file:{path}" would misread them
        with sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True) as conn:
            return " ".join(r[0] for r in conn.execute("select name from sqlite_master")).encode()
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
            raise ImportRefused(path, None, f"cannot be read as geographic data ({exc})") from None
        code_col = _choose(list(frame.columns), CODE, ("code", "area_code", "lsoa", "id"))
        if code_col is None:
            raise ImportRefused(path, None, "no area code column (e.g. lsoa11cd, LSOA21CD or code); "
                                            f"columns are {', '.join(c for c in frame.columns if c != 'geometry')}")
        name_col = _choose(list(frame.columns), NAME, ("name", "area_name"))
        frame = self._to_wgs84(frame)
        seen: dict[str, int] = {}
        codes = frame[code_col].tolist()
        names = frame[name_col].tolist() if name_col else [""] * len(frame)
        geoms = frame.geometry.tolist()
        for i, (code, name, geom) in enumerate(zip(codes, names, geoms), start=1):
            code = "" if code is None else str(code).strip()
            if not code:
                raise ImportRefused(path, i, "feature has no area code")
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
            self.areas.append(SmallArea(code, "" if name is None else str(name).strip(), geom))
        self.summary.rows_read = len(geoms)
        return self

    def _to_wgs84(self, frame):
        if frame.crs is None:
            minx, miny, maxx, maxy = frame.total_bounds if len(frame) else (0, 0, 0, 0)
            if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
                raise ImportRefused(self.path, None, "has no coordinate reference system and its coordinates "
                                                     "are not longitudes/latitudes; save it with its CRS")
            return frame
        if frame.crs.to_epsg() != 4326 and not frame.crs.equals("OGC:CRS84"):
            return frame.to_crs(4326)
        return frame

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
        self.summary.notes.append(f"{len(self.areas):,} areas"
                                  + (f" ({replaced:,} replaced existing ones)" if replaced else ""))


def _polygonal(geom):
    from shapely.geometry import MultiPolygon
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return None if geom.is_empty else geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
        flat = [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
        return MultiPolygon(flat) if flat else None
    return None


register_kind(Kind("areas", "small-area polygons (GeoJSON, GeoPackage, shapefile)",
                   detect, lambda path, _s: Areas(path).read()))
