"""Real Pennine Lancashire data (2020): 343 LSOAs, 13 PCNs, April 2020 registrations.

Figures pinned here were checked against SOURCES.md: 342 of 343 LSOAs get a PCN (E01025325
is served by Greater Preston practices); six footprints are in several parts, seven are one.
The LSOA file's polygons need make_valid but no snapping: a plain union gives these parts.
"""
from __future__ import annotations

import pytest

from geo_pennine import pennine_project
from pcn_desktop.domain.rules.engine import evaluate
from pcn_desktop.domain.settings import RuleSettings
from pcn_desktop.geo.boundaries import build_from_registrations
from pcn_desktop.geo.measures import measure_networks

pytestmark = pytest.mark.realdata

PARTS = {
    "Blackburn East PCN": 3, "Blackburn North PCN": 2, "Blackburn West PCN": 2, "Darwen PCN": 2,
    "Hyndburn Rural PCN": 2, "Rossendale West PCN": 2,
    "Burnley East PCN": 1, "Burnley West PCN": 1, "Hyndburn Central PCN": 1, "Pendle East PCN": 1,
    "Pendle West PCN": 1, "Ribblesdale PCN": 1, "Rossendale East PCN": 1,
}
DETACHED = {
    "Blackburn East PCN": [["E01012594", "E01012619", "E01012621", "E01012624"], ["E01025075"]],
    "Blackburn North PCN": [["E01025342"]],
    "Blackburn West PCN": [["E01012605", "E01012607"]],
    "Darwen PCN": [["E01025327"]],
    "Hyndburn Rural PCN": [["E01025316"]],
    "Rossendale West PCN": [["E01032486"]],
}
AREAS = {"Blackburn East PCN": 27, "Blackburn North PCN": 22, "Blackburn West PCN": 28, "Burnley East PCN": 32,
         "Burnley West PCN": 28, "Darwen PCN": 25, "Hyndburn Central PCN": 32, "Hyndburn Rural PCN": 18,
         "Pendle East PCN": 27, "Pendle West PCN": 30, "Ribblesdale PCN": 29, "Rossendale East PCN": 20,
         "Rossendale West PCN": 24}


@pytest.fixture(scope="module")
def built():
    project = pennine_project()
    result = build_from_registrations(project)
    by_name = {project.networks[n].name: g for n, g in measure_networks(project, RuleSettings()).items()}
    return project, result, by_name


def test_plurality_assigns_342_of_343(built) -> None:
    project, result, _ = built
    assert len(project.areas) == 343
    assert result.assigned == 342 and result.unassigned == ["E01025325"]
    # E01025328 is a four-way tie (1 patient each); the neighbours give it to Ribblesdale
    assert project.networks[project.area_assignments["E01025328"]].name == "Ribblesdale PCN"


def test_parts_per_network(built) -> None:
    _, _, g = built
    assert {name: m.parts for name, m in g.items()} == PARTS
    assert {name: m.areas for name, m in g.items()} == AREAS
    assert {name: m.part_areas[1:] for name, m in g.items() if m.parts > 1} == DETACHED
    assert sum(1 for m in g.values() if m.parts == 1) == 7


def test_other_measures(built) -> None:
    _, _, g = built
    assert {n for n, m in g.items() if m.holes} == {"Blackburn West PCN", "Darwen PCN", "Hyndburn Central PCN"}
    assert not any(m.enclaves or m.overlap_area for m in g.values())
    assert g["Rossendale West PCN"].places == ["Blackburn with Darwen", "Rossendale"]
    assert g["Ribblesdale PCN"].places_crossed == 0
    assert g["Blackburn North PCN"].largest_part_share == pytest.approx(0.6262, abs=1e-4)
    assert g["Ribblesdale PCN"].patients_inside_share == pytest.approx(0.9816, abs=1e-4)
    assert g["Blackburn North PCN"].patients_inside_share == pytest.approx(0.5348, abs=1e-4)
    assert sum(m.residents for m in g.values()) + 1634 == sum(
        n for (_, a), n in built[0].latest_registrations()[1].items() if a in built[0].areas)


def test_contiguity_findings_name_the_detached_areas(built) -> None:
    project, _, _ = built
    found = evaluate(project, RuleSettings(), rules=["boundary-not-contiguous", "boundary-gap"])
    assert sorted(f.area for f in found if f.rule == "boundary-not-contiguous") == sorted(
        parts[0] for d in DETACHED.values() for parts in d)
    assert [(f.area, f.value) for f in found if f.rule == "boundary-gap"] == [("E01025325", 1634)]
