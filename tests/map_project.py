"""A small synthetic project for the map tests: 12 square areas near Burnley (4 x 3), two
networks of 6 areas each, 6 practices (one unassigned), in two places."""
from __future__ import annotations

from datetime import date

import shapely

from pcn_desktop.domain.model import (ClinicalDirector, Membership, Network, Practice, Project,
                                      SmallArea)

WEST, SOUTH, STEP = -2.50, 53.72, 0.025
LIST_DATE = date(2025, 1, 1)

# code, name, lat, lon, list size, network id (None: unassigned)
PRACTICES = [
    ("P81001", "Riverside Surgery", 53.730, -2.488, 12000, "north"),
    ("P81002", "Hill Top Medical Centre", 53.760, -2.480, 9000, "north"),
    ("P81003", "Canal Street Practice", 53.745, -2.462, 16000, "north"),
    ("P81004", "Moorland Health", 53.735, -2.430, 8000, "south"),
    ("P81005", "Market Square Surgery", 53.765, -2.418, 4000, "south"),
    ("P81006", "Lone Lane Surgery", 53.790, -2.470, 2500, None),
]


def area_code(col: int, row: int) -> str:
    return f"E0100{row}{col:02d}"


def make_project() -> Project:
    """Network "Alpha PCN" (U00001, columns 0-1, 37,000 patients, complete) passes the
    registration rules; "Beta PCN" (U00002, columns 2-3, 12,000) breaks several (list size,
    no director, no payee, unsigned), and P81006 is in no network."""
    project = Project()
    project.name = "Map test CCG"
    alpha = project.add_network(Network(
        "north", "Alpha PCN", code="U00001", nominated_payee="P81001",
        agreement_signed=date(2024, 6, 1),
        director=ClinicalDirector("Dr A Ahmed", practice_code="P81003", wte=0.25)))
    project.add_network(Network("south", "Beta PCN", code="U00002"))
    for col in range(4):
        for row in range(3):
            code = area_code(col, row)
            # Rounded so neighbours share their edges exactly, as ONS areas do.
            x0, x1 = (round(WEST + c * STEP, 6) for c in (col, col + 1))
            y0, y1 = (round(SOUTH + r * STEP, 6) for r in (row, row + 1))
            place = "Burnley" if col < 2 else "Pendle"
            project.areas[code] = SmallArea(code, f"{place} 00{row}{chr(65 + col)}",
                                            shapely.box(x0, y0, x1, y1), place)
            project.area_assignments[code] = alpha.id if col < 2 else "south"
    for code, name, lat, lon, size, net in PRACTICES:
        project.practices[code] = Practice(code, name, latitude=lat, longitude=lon)
        project.list_sizes[code][LIST_DATE] = size
        if net:
            project.add_membership(Membership(code, net))
    return project
