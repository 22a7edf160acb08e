"""Boundaries from registrations, hand edits, practice moves, imports and the geography rules."""
from __future__ import annotations

import argparse
import json

import geopandas as gpd
import pytest
import shapely

from geo_grid import X0, Y0, cell, grid_project
from pcn_desktop.domain.commands import AssignArea, CommandStack, MovePractice
from pcn_desktop.domain.rules.engine import FindingsCache, evaluate
from pcn_desktop.domain.settings import RuleSettings
from pcn_desktop.geo.boundaries import build_from_registrations, follow_moves, hand_edits, refresh_boundaries
from pcn_desktop.geo.importing import BoundaryImportError, import_boundaries, match_key
from pcn_desktop.geo.measures import measure_networks

GEO_RULES = ["boundary-not-contiguous", "boundary-overlap", "boundary-gap", "practice-outside-boundary",
             "boundary-enclave", "low-compactness", "patients-outside-boundary", "crosses-places"]


def owners(project) -> dict[str, str]:
    return dict(sorted(project.area_assignments.items()))


def test_plurality_assigns_every_registered_area_to_its_leader() -> None:
    p = grid_project()
    r = build_from_registrations(p)
    assert r.assigned == 15 and r.unassigned == ["G33"] and r.contested == {}
    assert owners(p)["G11"] == "A" and owners(p)["G12"] == "C" and owners(p)["G00"] == "B"
    assert {b.provenance for b in p.boundaries.values()} == {"registrations"}
    assert shapely.area(p.boundaries["C"].geometry) > 0


def test_min_share_leaves_contested_areas_unassigned() -> None:
    p = grid_project()
    r = build_from_registrations(p, min_share=0.8)
    assert r.contested == {"G11": ("A", round(100 / 130, 4))}
    assert "G11" not in p.area_assignments and r.unassigned == ["G11", "G33"]
    gap = [f for f in evaluate(p, RuleSettings(), rules=["boundary-gap"]) if f.area == "G11"]
    assert "contested: Network A holds only 77%" in gap[0].message


def test_hand_edits_survive_rebuild_unless_reset() -> None:
    p = grid_project()
    build_from_registrations(p)
    stack = CommandStack(p)
    touched = stack.push(AssignArea("G21", "B"))
    assert touched == {"A", "B"}
    refresh_boundaries(p, touched)
    assert p.boundaries["B"].provenance == "edited"
    assert hand_edits(p) == {"G21": "B"}
    r = build_from_registrations(p)
    assert r.edits_kept == {"G21": "B"} and p.area_assignments["G21"] == "B"
    assert p.boundaries["B"].provenance == "edited" and p.boundaries["C"].provenance == "registrations"
    build_from_registrations(p, reset_edits=True)
    assert p.area_assignments["G21"] == "A" and hand_edits(p) == {}


def test_undone_edit_is_no_longer_an_edit() -> None:
    p = grid_project()
    build_from_registrations(p)
    stack = CommandStack(p)
    stack.push(AssignArea("G12", None))
    assert hand_edits(p) == {"G12": None}
    build_from_registrations(p)
    assert "G12" not in p.area_assignments
    stack.undo()
    assert hand_edits(p) == {}


def test_follow_moves_reassigns_only_what_the_move_changed() -> None:
    p = grid_project()
    build_from_registrations(p)
    touched = CommandStack(p).push(MovePractice("PC", "A"))
    changed = follow_moves(p, touched)
    assert changed == {"A", "C"}
    assert p.area_assignments["G12"] == "A" and "C" not in p.boundaries
    g = measure_networks(p, RuleSettings(), ["A"])["A"]
    assert (g.areas, g.holes, g.enclaves) == (11, 0, [])


def test_geography_rules_on_grid() -> None:
    p = grid_project()
    build_from_registrations(p)
    found = [(f.rule, f.severity.value, f.network, f.area, f.value) for f in evaluate(p, RuleSettings(), rules=GEO_RULES)]
    assert ("boundary-not-contiguous", "error", "U00002", "G00", 2) in found
    assert ("boundary-enclave", "warning", "U00001", "", "U00003") in found
    assert ("boundary-gap", "warning", "", "G33", 100) in found
    assert ("practice-outside-boundary", "warning", "U00002", "", "PB") in found
    assert ("crosses-places", "info", "U00001", "", 2) in found
    assert not [f for f in found if f[0] in ("boundary-overlap", "low-compactness", "patients-outside-boundary")]


def test_exemption_or_allowance_softens_contiguity() -> None:
    p = grid_project()
    build_from_registrations(p)
    p.networks["B"].exemption = "rural"
    f = evaluate(p, RuleSettings(), scope=["B"], rules=["boundary-not-contiguous"])
    assert [x.severity.value for x in f] == ["warning"]
    p.settings["geo_expected_parts"] = {"B": 2}
    p.touch()
    assert evaluate(p, RuleSettings(), scope=["B"], rules=["boundary-not-contiguous"]) == []


def test_findings_cache_remeasures_only_touched_networks() -> None:
    p = grid_project()
    build_from_registrations(p)
    cache = FindingsCache(p, RuleSettings())
    from pcn_desktop.geo.measures import geo_measures
    gm = geo_measures(p)
    before = {n: gm._cache[n][1] for n in "ABC"}
    touched = CommandStack(p).push(MovePractice("PC", "A"))
    touched |= follow_moves(p, touched)
    cache.refresh(touched)
    assert gm._cache["B"][1] is before["B"]          # B was not re-measured
    assert gm._cache["A"][1] is not before["A"]
    assert not [f for f in cache.findings() if f.rule == "boundary-enclave"]


def _write_squares(path, crs: str | None = "EPSG:27700", names=("Network A", "network  b pcn", "Nowhere")) -> None:
    geoms = [shapely.box(X0, Y0, X0 + 2000, Y0 + 4000), shapely.box(X0 + 1000, Y0, X0 + 4000, Y0 + 4000),
             cell(9, 9)]
    frame = gpd.GeoDataFrame({"PCN_Name": list(names)}, geometry=geoms, crs=crs)
    if crs == "EPSG:27700":
        frame = frame.to_crs("EPSG:3857")     # any CRS is accepted and reprojected
    frame.to_file(path, driver="GeoJSON" if str(path).endswith("json") else "GPKG")


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_import_matches_by_name_reports_unmatched_and_measures_overlap(tmp_path, suffix) -> None:
    p = grid_project()
    path = tmp_path / f"pcns{suffix}"
    _write_squares(path)
    r = import_boundaries(p, path)
    assert r.matched == {"A": [1], "B": [2]} and r.unmatched == [(3, "Nowhere")] and r.networks_without == ["C"]
    assert p.boundaries["A"].provenance == f"imported:pcns{suffix}"
    g = measure_networks(p, RuleSettings())
    assert g["A"].overlap_area == pytest.approx(4.0, rel=1e-6)       # 1 km x 4 km shared
    assert g["A"].overlaps == {"B": pytest.approx(4.0, rel=1e-6)}
    # residents of G10-G13, which lie in both: 4 x 100, plus C's 30 in G11
    assert g["A"].overlap_patients == 430
    assert g["A"].areas == 8 and g["B"].areas == 8


def test_import_refuses_file_without_crs(tmp_path) -> None:
    path = tmp_path / "nocrs.gpkg"     # GeoJSON is WGS84 by definition; a GeoPackage may lack a CRS
    _write_squares(path, crs=None)
    with pytest.raises(BoundaryImportError, match="nocrs.gpkg: the file has no coordinate reference system"):
        import_boundaries(grid_project(), path)


def test_match_key_normalises_names() -> None:
    assert match_key("DARWEN  pcn ") == match_key("Darwen Primary Care Network") == match_key("Darwen") == "darwen"


def test_export_boundaries_and_area_csv(tmp_path) -> None:
    from pcn_desktop.geo.export import ExportError, area_rows, write_area_csv, write_boundaries
    p = grid_project()
    build_from_registrations(p)
    for name in ("b.gpkg", "b.geojson"):
        assert write_boundaries(p, tmp_path / name) == 3
        back = gpd.read_file(tmp_path / name).set_index("code")
        assert back.loc["U00002", "parts"] == 2 and back.loc["U00001", "holes"] == 1
        assert back.loc["U00003", "patients_inside_share"] == round(100 / 130, 4)
        assert back.crs.to_epsg() == 4326
    with pytest.raises(ExportError, match="b.shp: boundaries are written as .gpkg or .geojson"):
        write_boundaries(p, tmp_path / "b.shp")
    rows = {r["area_code"]: r for r in area_rows(p)}
    assert rows["G11"] == {"area_code": "G11", "area_name": "Alpha 001B", "network_code": "U00001",
                           "network_name": "Network A", "share": round(100 / 130, 4)}
    assert rows["G33"]["network_code"] == "" and rows["G33"]["share"] == ""
    assert write_area_csv(p, tmp_path / "areas.csv") == 16


def test_boundaries_command_builds_and_saves(tmp_path, capsys) -> None:
    from pcn_desktop.cli import boundaries as verb
    from pcn_desktop.store import load_project, save_project
    path = tmp_path / "grid.pcnproj"
    save_project(grid_project(), path)
    parser = argparse.ArgumentParser()
    verb.register(parser.add_subparsers())
    args = parser.parse_args(["boundaries", str(path), "--from-registrations", "--min-share", "0.8"])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "15 of 16 areas" not in out and "14 of 16 areas assigned" in out and "unassigned: G11" in out
    assert "Network B" in out and "    2 " in out
    again = load_project(path)
    assert len(again.area_assignments) == 14 and set(again.boundaries) == {"A", "B", "C"}
    assert again.settings["boundaries"]["contested"] == {"G11": ["A", round(100 / 130, 4)]}
    from pcn_desktop.geo.measures import network_measures
    assert network_measures(again)["B"]["parts"] == 2
    json.dumps(network_measures(again))
