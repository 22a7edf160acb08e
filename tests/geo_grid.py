"""A 4 x 4 grid of 1 km squares in British National Grid for exact geography tests.

    y=3  A  A  A  .      A: 10 cells around C (one part, one hole holding C)
    y=2  A  C  A  B      B: x=3 for y=0..2, plus G00 detached (2 parts)
    y=1  A  A  A  B      C: the single cell G12, an enclave in A
    y=0  B  A  A  B      .: G33, registered only with an outside practice (a gap)

Cells at x < 2 are named "Alpha 00nX", the rest "Beta 00nX", so places come from names.
"""
from __future__ import annotations

from datetime import date

import shapely

from pcn_desktop.domain.model import Membership, Network, Practice, Project, SmallArea
from pcn_desktop.geo.crs import to_wgs84

X0, Y0, SIDE = 360000.0, 430000.0, 1000.0
LAYOUT = {3: "AAA.", 2: "ACAB", 1: "AAAB", 0: "BAAB"}
WHEN = date(2024, 4, 1)


def cell(x: int, y: int) -> shapely.Polygon:
    return shapely.box(X0 + x * SIDE, Y0 + y * SIDE, X0 + (x + 1) * SIDE, Y0 + (y + 1) * SIDE)


def centre_lonlat(x: int, y: int) -> tuple[float, float]:
    p = to_wgs84(cell(x, y).centroid)
    return p.x, p.y


def grid_project() -> Project:
    project = Project()
    project.name = "Grid"
    for y in range(4):
        for x in range(4):
            place = "Alpha" if x < 2 else "Beta"
            project.areas[f"G{x}{y}"] = SmallArea(f"G{x}{y}", f"{place} 00{y}{'ABCD'[x]}", to_wgs84(cell(x, y)))
    for key in "ABC":
        project.add_network(Network(key, f"Network {key}", code=f"U0000{'ABC'.index(key) + 1}"))
    sites = {"PA1": (0, 1), "PA2": (2, 3), "PB": (1, 1), "PC": (1, 2), "PZ": None}
    members = {"PA1": "A", "PA2": "A", "PB": "B", "PC": "C"}
    for code, where in sites.items():
        lon, lat = centre_lonlat(*where) if where else (None, None)
        project.practices[code] = Practice(code, f"Practice {code}", longitude=lon, latitude=lat)
        if code in members:
            project.add_membership(Membership(code, members[code]))
    regs = project.registrations[WHEN]
    for y, row in LAYOUT.items():
        for x, owner in enumerate(row):
            practice = {"A": "PA1" if x < 2 else "PA2", "B": "PB", "C": "PC", ".": "PZ"}[owner]
            regs[(practice, f"G{x}{y}")] = 100
    regs[("PC", "G11")] = 30          # C's patients spill into A's cell G11: share 100/130 there
    regs[("PA1", "NO2011")] = 20      # patients with no area count in A's total, never inside
    return project
