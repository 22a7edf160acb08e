"""The sample CCG's land: an outline, towns and villages, and LSOA-like small areas.

Areas are a Voronoi tessellation of seed points, dense in towns and sparse on the fells, built
in British National Grid metres (so cells are true shapes) and clipped to the outline; they
therefore tile the outline exactly, as LSOAs tile England. Everything here is laid out in
kilometres east/north of a fixed centre near 53.8N 2.55W, in open country between real towns;
all place names are invented.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPoint, Point, Polygon

CENTRE_BNG = (364_000.0, 434_000.0)     # metres; about 53.80N, 2.55W
COORD_DECIMALS = 6                      # about 0.1 m: enough, and keeps the shipped file stable


@dataclass(frozen=True)
class Settlement:
    name: str
    x: float            # km east of the centre
    y: float            # km north of the centre
    areas: int          # small areas whose seeds cluster here
    spread: float       # km, standard deviation of the cluster
    practices: int      # GP practices located here
    kind: str           # "town" or "village"


# Three market towns and a smaller one in the lowland west and south; villages up the dales;
# the east is open fell with a handful of hamlets.
SETTLEMENTS: tuple[Settlement, ...] = (
    Settlement("Ashbridge", -9.0, -3.0, 92, 2.3, 17, "town"),
    Settlement("Wyreford", -5.0, 10.5, 40, 1.7, 9, "town"),
    Settlement("Calderby", 4.5, -9.5, 28, 1.5, 6, "town"),
    Settlement("Hollinbeck", 6.5, 6.5, 18, 1.3, 4, "town"),
    Settlement("Ellerthwaite", -15.5, 6.0, 2, 0.5, 1, "village"),
    Settlement("Marlbeck", -16.0, -9.0, 2, 0.5, 1, "village"),
    Settlement("Brackenfold", -1.0, -14.0, 2, 0.5, 1, "village"),
    Settlement("Kelderby", 2.0, 14.0, 2, 0.5, 1, "village"),
    Settlement("Thursgill", 12.5, -4.0, 2, 0.5, 1, "village"),
    Settlement("Fellgate", 17.0, 4.0, 2, 0.5, 1, "village"),
    Settlement("Garsthwaite", 14.0, 12.0, 1, 0.4, 1, "village"),
    Settlement("Skelbrook", 19.5, -6.5, 1, 0.4, 1, "village"),
    Settlement("Ravensmoor", 23.0, 1.0, 1, 0.4, 1, "village"),
)
RURAL_AREAS = 78

@dataclass
class AreaDraft:
    seed: tuple[float, float]       # km
    kind: str                       # "town", "village" or "rural"
    settlement: str                 # "" for open countryside
    cell: Polygon | None = None     # km
    place: str = ""
    code: str = ""
    name: str = ""


def build_outline(rng: np.random.Generator) -> Polygon:
    """A wobbly oval about 48 km by 38 km (some 1,400 km²), like a rural-and-towns CCG."""
    theta = np.linspace(0.0, 2 * math.pi, 240, endpoint=False)
    radius = np.ones_like(theta)
    # Broad lobes, then ever finer wiggles: borders follow rivers and watersheds, not circles.
    for k in range(2, 24):
        amp = rng.uniform(0.5, 1.0) * 0.13 / (k - 1) ** 1.05
        radius += amp * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    radius += np.convolve(np.tile(rng.normal(0, 0.012, theta.size), 3), np.ones(3) / 3, "same")[theta.size:2 * theta.size]
    x = 24.5 * radius * np.cos(theta) + 1.0
    y = 19.0 * radius * np.sin(theta)
    return shapely.make_valid(Polygon(np.column_stack([x, y])))


def seed_points(rng: np.random.Generator, outline: Polygon) -> list[AreaDraft]:
    drafts: list[AreaDraft] = []
    placed: list[tuple[float, float]] = []
    for s in SETTLEMENTS:
        min_gap = 0.22 if s.kind == "town" else 0.35
        count, tries = 0, 0
        while count < s.areas:
            tries += 1
            if tries > 20000:
                raise RuntimeError(f"cannot place {s.areas} areas in {s.name}")
            x, y = rng.normal(s.x, s.spread), rng.normal(s.y, s.spread)
            if not outline.contains(Point(x, y)) or _too_close(placed, x, y, min_gap):
                continue
            placed.append((x, y))
            drafts.append(AreaDraft((x, y), s.kind, s.name))
            count += 1
    minx, miny, maxx, maxy = outline.bounds
    for _ in range(RURAL_AREAS):
        # Best candidate sampling gives evenly spread seeds; scoring the fells (east) lower
        # makes their areas larger, as upland LSOAs are.
        best, best_score = None, -1.0
        while best is None:
            for _ in range(24):
                x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                if not outline.contains(Point(x, y)):
                    continue
                gap = min(math.hypot(x - px, y - py) for px, py in placed)
                score = gap * _lowland_factor(x)
                if score > best_score:
                    best, best_score = (x, y), score
        placed.append(best)
        drafts.append(AreaDraft(best, "rural", ""))
    return drafts


def _lowland_factor(x: float) -> float:
    """1 in the lowland west, falling to 0.55 on the eastern fells."""
    return 1.0 - 0.45 / (1.0 + math.exp(-(x - 9.0) / 2.5))


def _too_close(placed: list[tuple[float, float]], x: float, y: float, gap: float) -> bool:
    return any(abs(x - px) < gap and abs(y - py) < gap and math.hypot(x - px, y - py) < gap
               for px, py in placed)


def tessellate(drafts: list[AreaDraft], outline: Polygon) -> None:
    """Voronoi cells clipped to the outline; stray slivers of a cell cut off by a bend in the
    outline join the neighbour they share most border with, so every area is one polygon."""
    seeds = MultiPoint([d.seed for d in drafts])
    cells = shapely.voronoi_polygons(seeds, extend_to=outline, ordered=True)
    clipped = [c.intersection(outline) for c in shapely.get_parts(cells)]
    strays: list[Polygon] = []
    for d, cell in zip(drafts, clipped):
        parts = sorted(shapely.get_parts(cell), key=lambda p: p.area, reverse=True)
        own = next(p for p in parts if p.covers(Point(d.seed)))
        d.cell = own
        strays += [p for p in parts if p is not own and p.area > 0]
    for stray in strays:
        neighbour = max(drafts, key=lambda d: stray.boundary.intersection(d.cell.boundary).length)
        merged = shapely.union(neighbour.cell, stray)
        neighbour.cell = merged if merged.geom_type == "Polygon" else neighbour.cell


def name_areas(drafts: list[AreaDraft], first_code: int = 1) -> None:
    """ONS style: areas grouped in fives into MSOA-like blocks numbered north to south within
    each district, named "<district> 003B", coded E0199xxxx (a range no real LSOA uses)."""
    ordered: list[AreaDraft] = []
    for place in sorted({d.place for d in drafts}):
        mine = sorted((d for d in drafts if d.place == place), key=lambda d: _hilbert(d.seed))
        blocks = [mine[i:i + 5] for i in range(0, len(mine), 5)]
        if len(blocks) > 1 and len(blocks[-1]) < 3:
            tail = blocks.pop()
            blocks[-1] += tail
        blocks.sort(key=lambda b: -sum(d.seed[1] for d in b) / len(b))
        for number, block in enumerate(blocks, start=1):
            block.sort(key=lambda d: (-d.seed[1], d.seed[0]))
            for letter, d in zip("ABCDEFGHIJ", block):
                d.name = f"{place} {number:03d}{letter}"
                ordered.append(d)
    for i, d in enumerate(ordered):
        d.code = f"E0199{first_code + i:04d}"


def _hilbert(p: tuple[float, float], order: int = 10) -> int:
    """Position along a Hilbert curve over the CCG: nearby seeds get nearby numbers."""
    n = 1 << order
    x = int(min(n - 1, max(0, (p[0] + 30.0) / 60.0 * n)))
    y = int(min(n - 1, max(0, (p[1] + 30.0) / 60.0 * n)))
    d, s = 0, n >> 1
    while s > 0:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x, y = n - 1 - x, n - 1 - y
            x, y = y, x
        s >>= 1
    return d


_TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def km_to_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    """Local km → BNG metres → WGS84, rounded so shared edges stay identical and the file stable."""
    def move(xy: np.ndarray) -> np.ndarray:
        lon, lat = _TO_WGS84.transform(CENTRE_BNG[0] + xy[:, 0] * 1000.0, CENTRE_BNG[1] + xy[:, 1] * 1000.0)
        return np.round(np.column_stack([lon, lat]), COORD_DECIMALS)
    return shapely.transform(geom, move)


def km_point_to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS84.transform(CENTRE_BNG[0] + x * 1000.0, CENTRE_BNG[1] + y * 1000.0)
    return round(float(lon), COORD_DECIMALS), round(float(lat), COORD_DECIMALS)
