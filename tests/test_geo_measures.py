"""Exact figures for each coherence measure, on shapes whose answers are known."""
from __future__ import annotations

import math

import pytest
import shapely

from geo_grid import grid_project
from pcn_desktop.domain.settings import RuleSettings
from pcn_desktop.geo import measures as m
from pcn_desktop.geo.boundaries import build_from_registrations
from pcn_desktop.geo.measures import measure_networks, network_measures

SQUARE = shapely.box(0, 0, 1000, 1000)


def test_polsby_popper_and_reock_of_square_and_rectangle() -> None:
    assert m.polsby_popper(SQUARE) == pytest.approx(math.pi / 4)
    assert m.reock(SQUARE) == pytest.approx(2 / math.pi, rel=1e-6)
    rect = shapely.box(0, 0, 2000, 1000)
    assert m.polsby_popper(rect) == pytest.approx(2 * math.pi / 9)
    assert m.reock(rect) == pytest.approx(8 / (5 * math.pi), rel=1e-6)
    assert m.polsby_popper(None) is None and m.reock(shapely.Polygon()) is None


def test_parts_ignore_slivers_and_are_largest_first() -> None:
    geom = shapely.union_all([SQUARE, shapely.box(3000, 0, 3500, 1000), shapely.box(5000, 0, 5005, 5)])
    parts = m.polygons(geom, sliver_m2=100)
    assert [p.area for p in parts] == [1_000_000, 500_000]
    assert m.largest_part_share(parts) == pytest.approx(2 / 3)
    assert len(m.polygons(geom)) == 3


def test_holes_counted_above_sliver() -> None:
    ring = shapely.box(0, 0, 3000, 3000).difference(shapely.box(1000, 1000, 2000, 2000))
    tiny = ring.difference(shapely.box(2500, 2500, 2505, 2505))
    assert m.holes(m.polygons(tiny), sliver_m2=100) == 1
    assert m.holes(m.polygons(tiny)) == 2


def test_part_of_points_nearest_part() -> None:
    parts = [SQUARE, shapely.box(5000, 0, 6000, 1000)]
    pts = shapely.points([(500, 500), (5500, 500), (4000, 500)])
    assert m.part_of_points(parts, pts).tolist() == [0, 1, 1]


@pytest.fixture()
def grid():
    project = grid_project()
    build_from_registrations(project)
    return project, measure_networks(project, RuleSettings())


def test_grid_parts_holes_enclaves(grid) -> None:
    project, g = grid
    a, b, c = g["A"], g["B"], g["C"]
    assert (a.areas, a.parts, a.holes, a.enclaves) == (10, 1, 1, ["C"])
    assert (b.areas, b.parts, b.part_areas) == (4, 2, [["G30", "G31", "G32"], ["G00"]])
    assert b.largest_part_share == pytest.approx(0.75)
    assert b.population_outside_largest_share == pytest.approx(0.25)
    assert (c.parts, c.holes, c.enclaves) == (1, 0, [])
    assert a.area_km2 == pytest.approx(10.0) and c.area_km2 == pytest.approx(1.0)


def test_grid_compactness(grid) -> None:
    _, g = grid
    assert g["C"].polsby_popper == pytest.approx(math.pi / 4, rel=1e-6)
    assert g["C"].reock == pytest.approx(2 / math.pi, rel=1e-6)
    # A: 10 km² ring; outer perimeter 4+4+3+3+... measured: outline 14 km + hole 4 km
    assert g["A"].polsby_popper == pytest.approx(4 * math.pi * 10 / 18 ** 2, rel=1e-6)


def test_grid_patients_practices_places(grid) -> None:
    _, g = grid
    # C: 100 patients at home in G12, 30 in A's G11
    assert (g["C"].patients, g["C"].patients_inside) == (130, 100)
    assert g["C"].patients_inside_share == pytest.approx(100 / 130)
    # A: 10 cells x 100 + 20 with no area
    assert (g["A"].patients, g["A"].patients_inside) == (1020, 1000)
    assert g["B"].practices_outside == ["PB"] and g["A"].practices_outside == []
    assert (g["A"].places, g["A"].places_crossed) == (["Alpha", "Beta"], 1)
    assert (g["B"].places, g["B"].places_crossed) == (["Alpha", "Beta"], 1)
    assert (g["C"].places, g["C"].places_crossed) == (["Alpha"], 0)
    assert g["A"].overlap_area == 0 and g["A"].overlaps == {}


def test_gap_areas_and_json(grid) -> None:
    project, _ = grid
    assert m.gap_areas(project) == [("G33", 100)]
    js = network_measures(project)
    assert set(js) == {"A", "B", "C"}
    assert js["A"]["enclaves"] == ["U00003"]
    for key in ("parts", "largest_part_share", "holes", "overlap_area", "patients_inside_share",
                "polsby_popper", "reock", "places_crossed"):
        assert key in js["B"]
    assert js["C"]["polsby_popper"] == round(math.pi / 4, 4)


def test_no_geography_gives_empty_measures() -> None:
    from pcn_desktop.domain.model import Project
    assert network_measures(Project()) == {}


def test_the_area_index_is_built_once_while_nothing_it_reads_changes():
    """Kept per project: rules ask for it once per network, and rebuilding it each time (a
    project with no registrations at practices outside it looked changed on every call)
    made checking the sample four times slower."""
    from pcn_desktop.geo import areas
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    when = max(project.registrations)
    project.other_registrations.pop(when, None)          # none outside: the case that rebuilt
    first = areas.area_index(project)
    assert areas.area_index(project) is first
    project.other_registrations[when] = {next(iter(project.areas)): 5}
    second = areas.area_index(project)
    assert second is not first and areas.area_index(project) is second
    assert int(second.others.sum()) == 5
    empty = type(project)()
    assert areas.area_index(empty) is areas.area_index(empty)
