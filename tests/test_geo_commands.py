"""Geography commands headless: allowed parts, and boundaries that follow edits undoably."""
from __future__ import annotations

import pytest
import shapely

from geo_grid import grid_project
from pcn_desktop.domain.commands import CommandStack
from pcn_desktop.domain.rules.engine import evaluate
from pcn_desktop.domain.settings import RuleSettings
from pcn_desktop.geo.commands import SetExpectedParts


def test_set_expected_parts_refuses_bad_values_and_unknown_networks() -> None:
    p = grid_project()
    with pytest.raises(ValueError, match="from 1 to 50, not 0"):
        SetExpectedParts("B", 0)
    with pytest.raises(ValueError, match="not 2.5"):
        SetExpectedParts("B", 2.5)  # type: ignore[arg-type]
    stack = CommandStack(p)
    with pytest.raises(KeyError, match="no network Z"):
        stack.push(SetExpectedParts("Z", 2))
    assert "geo_expected_parts" not in p.settings


def test_set_expected_parts_round_trips_through_undo() -> None:
    from pcn_desktop.geo.boundaries import build_from_registrations
    p = grid_project()
    build_from_registrations(p)
    stack = CommandStack(p)
    rules = lambda: [f.network for f in evaluate(p, RuleSettings(), rules=["boundary-not-contiguous"])]  # noqa: E731
    assert rules() == ["U00002"]
    assert stack.push(SetExpectedParts("B", 3)) == {"B"}
    stack.push(SetExpectedParts("A", 2))
    assert p.settings["geo_expected_parts"] == {"B": 3, "A": 2} and rules() == []
    stack.push(SetExpectedParts("B", 1))
    assert p.settings["geo_expected_parts"] == {"A": 2} and rules() == ["U00002"]
    stack.undo()
    assert p.settings["geo_expected_parts"] == {"B": 3, "A": 2}
    stack.undo()
    stack.undo()
    assert "geo_expected_parts" not in p.settings and rules() == ["U00002"]


# --- boundaries follow edits, undoably ---------------------------------------------------
import copy  # noqa: E402
from collections import Counter  # noqa: E402

from pcn_desktop.domain.commands import AssignArea, DissolveNetwork, MovePractice  # noqa: E402
from pcn_desktop.geo.boundaries import areas_by_network, build_from_registrations, hand_edits  # noqa: E402
from pcn_desktop.geo.commands import FollowBoundaries, follow_geography  # noqa: E402
from pcn_desktop.geo.importing import import_boundaries  # noqa: E402
from pcn_desktop.paths import resource  # noqa: E402
from pcn_desktop.store import load_project  # noqa: E402

GEO_RULES = ["boundary-not-contiguous", "boundary-overlap", "boundary-gap", "practice-outside-boundary",
             "boundary-enclave", "low-compactness", "patients-outside-boundary"]


def snapshot(p) -> tuple:
    return (dict(p.area_assignments), copy.deepcopy(p.settings.get("boundaries")),
            {nid: (b.provenance, b.built, b.geometry.wkb) for nid, b in p.boundaries.items()},
            {n: sorted(a) for n, a in areas_by_network(p).items() if a})


def geo_findings(p) -> list:
    return [(f.rule, f.network, f.message) for f in evaluate(p, RuleSettings(), rules=GEO_RULES)]


def test_a_move_on_the_sample_moves_areas_and_boundaries_and_undo_restores_them_exactly() -> None:
    p = load_project(resource("sample", "sample_ccg.pcnproj"))
    east = p.find_network("Ashbridge East PCN").id
    north = p.find_network("Ashbridge North PCN").id
    assert p.networks_of("Y90007") == [east]
    before, findings = snapshot(p), geo_findings(p)
    east_outline = p.boundaries[east].geometry
    stack = CommandStack(p)
    command = follow_geography(MovePractice("Y90007", north))
    assert isinstance(command, FollowBoundaries) and command.label == "Move Y90007"
    touched = stack.push(command)
    # Y90007 leads in areas of East, and tips some of West's and South's to North; without it
    # South leads in three of East's areas
    name = lambda nid: p.networks[nid].name  # noqa: E731
    assert sorted(map(name, touched)) == sorted(map(name, command.boundaries_changed)) == [
        "Ashbridge East PCN", "Ashbridge North PCN", "Ashbridge South PCN", "Ashbridge West & Marlbeck PCN"]
    flips = Counter((name(before[0][a]), name(n)) for a, n in p.area_assignments.items() if n != before[0][a])
    assert flips == {("Ashbridge East PCN", "Ashbridge North PCN"): 15, ("Ashbridge East PCN", "Ashbridge South PCN"): 3,
                     ("Ashbridge West & Marlbeck PCN", "Ashbridge North PCN"): 2,
                     ("Ashbridge South PCN", "Ashbridge North PCN"): 2}
    assert before[0]["E01990020"] == east and p.area_assignments["E01990020"] == north
    assert p.boundaries[north].geometry.area > shapely.from_wkb(before[2][north][2]).area
    assert p.boundaries[east].geometry is not east_outline
    assert hand_edits(p) == {}                       # followed, not hand-edited
    after = snapshot(p)
    stack.undo()
    assert snapshot(p) == before
    assert p.boundaries[east].geometry is east_outline
    assert geo_findings(p) == findings
    stack.redo()
    assert snapshot(p)[:2] == after[:2]
    assert {n: v[2] for n, v in snapshot(p)[2].items()} == {n: v[2] for n, v in after[2].items()}


def test_assign_area_redissolves_both_networks_and_undo_restores() -> None:
    p = grid_project()
    build_from_registrations(p)
    before = snapshot(p)
    stack = CommandStack(p)
    command = follow_geography(AssignArea("G21", "B"))
    assert stack.push(command) == {"A", "B"}
    assert p.area_assignments["G21"] == "B" and hand_edits(p) == {"G21": "B"}
    assert (p.boundaries["A"].provenance, p.boundaries["B"].provenance) == ("edited", "edited")
    assert p.boundaries["B"].geometry.area > shapely.from_wkb(before[2]["B"][2]).area
    stack.undo()
    assert snapshot(p) == before and hand_edits(p) == {}


def test_dissolve_drops_the_outline_and_undo_brings_it_back() -> None:
    p = grid_project()
    build_from_registrations(p)
    before = snapshot(p)
    stack = CommandStack(p)
    stack.push(follow_geography(DissolveNetwork("C")))
    assert "C" not in p.boundaries
    assert "G12" not in p.area_assignments          # C's patients have no network: a gap
    stack.undo()
    assert snapshot(p) == before


def test_imported_boundaries_stay_as_imported(tmp_path) -> None:
    import geopandas as gpd
    p = grid_project()
    frame = gpd.GeoDataFrame({"code": ["U00001", "U00002", "U00003"]},
                             geometry=[p.areas[a].geometry for a in ("G11", "G30", "G12")], crs="EPSG:4326")
    frame.to_file(tmp_path / "pcns.gpkg")
    import_boundaries(p, tmp_path / "pcns.gpkg")
    before = snapshot(p)
    stack = CommandStack(p)
    command = follow_geography(MovePractice("PB", "A"))
    stack.push(command)
    assert command.boundaries_changed == set()
    assert snapshot(p)[1:3] == before[1:3]
    stack.undo()
    assert snapshot(p) == before


def all_findings(p) -> list:
    from pcn_desktop.settings import rule_settings_for
    return sorted((f.rule, f.network or "", f.message) for f in evaluate(p, rule_settings_for(p)))


def test_a_dissolved_networks_hand_assigned_areas_go_with_it_and_the_saved_file_agrees(tmp_path) -> None:
    """A hand-assigned area of a network later dissolved stayed given to the vanished network:
    the open project counted it as covered, the saved one (which cannot store it) as a gap."""
    p = load_project(resource("sample", "sample_ccg.pcnproj"))
    east = p.find_network("Ashbridge East PCN").id
    stack = CommandStack(p)
    area = next(a for a, n in sorted(p.area_assignments.items()) if n != east)
    stack.push(follow_geography(AssignArea(area, east)))
    before = snapshot(p)
    stack.push(follow_geography(DissolveNetwork(east)))
    assert [a for a, n in p.area_assignments.items() if n not in p.networks] == []
    assert area not in p.area_assignments and east not in p.boundaries
    assert any(f[0] == "boundary-gap" and f"({area})" in f[2] for f in all_findings(p))
    from pcn_desktop.store import save_project
    save_project(p, tmp_path / "dissolved.pcnproj")
    assert all_findings(load_project(tmp_path / "dissolved.pcnproj")) == all_findings(p)
    stack.undo()
    assert snapshot(p) == before


def test_a_merged_networks_areas_join_the_network_it_merged_into(tmp_path) -> None:
    from pcn_desktop.domain.commands import MergeNetworks
    from pcn_desktop.store import save_project
    for imported in (False, True):
        p = grid_project()
        build_from_registrations(p)
        if imported:          # boundaries that do not follow edits: every area is left over
            p.settings["boundaries"] = {**p.settings["boundaries"], "source": "imported"}
        stack = CommandStack(p)
        stack.push(follow_geography(AssignArea("G21", "C")))         # a hand edit of C's
        before = snapshot(p)
        c_areas = {a for a, n in p.area_assignments.items() if n == "C"}
        stack.push(follow_geography(MergeNetworks("B", "C")))
        assert "C" not in p.networks and "C" not in p.boundaries
        assert all(p.area_assignments.get(a) == "B" for a in c_areas), imported
        assert [a for a, n in p.area_assignments.items() if n not in p.networks] == []
        save_project(p, tmp_path / f"merged-{imported}.pcnproj")
        assert all_findings(load_project(tmp_path / f"merged-{imported}.pcnproj")) == all_findings(p)
        stack.undo()
        assert snapshot(p) == before
