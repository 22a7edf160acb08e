"""Export then import: the practices CSV round-trips memberships; areas and boundaries export."""
from __future__ import annotations

import csv
from datetime import date

import geopandas as gpd
import pytest
from conftest import shared_file
from shapely.geometry import box

from pcn_desktop.cli import main
from pcn_desktop.domain.model import Boundary, Membership, Network, Practice, Project, SmallArea
from pcn_desktop.store import load_project, save_project


def memberships(project: Project) -> dict[str, tuple[str, str]]:
    return {c: (n.code, n.name) for c in project.practices if (n := project.network_of(c))}


def test_practices_round_trip(tmp_path, capsys):
    project = Project()
    north = project.add_network(Network(Network.new_id(), "North PCN", "U00001", "00Q"))
    south = project.add_network(Network(Network.new_id(), "South PCN", "", "00Q"))
    for code, name, net, size in (("P81001", "St Andrew\u2019s", north, 9000), ("P81002", "Caf\u00e9 Surgery", north, 8000),
                                  ("P81003", "THREE", south, 7000), ("P81004", "UNASSIGNED", None, 100)):
        project.practices[code] = Practice(code, name, postcode="BB1 1AE", latitude=53.7, longitude=-2.4,
                                           commissioner="00Q")
        project.list_sizes[code][date(2021, 1, 1)] = size
        if net:
            project.add_membership(Membership(code, net.id, date(2019, 7, 1)))
    path, out, again = tmp_path / "a.pcnproj", tmp_path / "practices.csv", tmp_path / "b.pcnproj"
    save_project(project, path)
    assert main(["export", str(path), str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: 4 practices\n"
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert rows[0] == {"practice_code": "P81001", "practice_name": "St Andrew\u2019s", "network_code": "U00001",
                       "network_name": "North PCN", "list_size": "9000", "list_date": "2021-01-01",
                       "postcode": "BB1 1AE", "latitude": "53.7", "longitude": "-2.4", "commissioner": "00Q",
                       "status": "A", "opened": "", "closed": "", "kind": ""}
    assert main(["import", str(again), str(out)]) == 0
    back = load_project(again)
    assert memberships(back) == memberships(project) == {
        "P81001": ("U00001", "North PCN"), "P81002": ("U00001", "North PCN"), "P81003": ("", "South PCN")}
    assert {c: back.list_size(c) for c in back.practices} == {"P81001": 9000, "P81002": 8000, "P81003": 7000, "P81004": 100}
    assert back.practices["P81002"].name == "Caf\u00e9 Surgery"


@pytest.mark.realdata
def test_pennine_round_trip(tmp_path):
    files = [shared_file("england", "psychty_primary-care-geographies", "epraccur.csv"),
             shared_file("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv"),
             shared_file("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv")]
    first, out, second = tmp_path / "a.pcnproj", tmp_path / "p.csv", tmp_path / "b.pcnproj"
    assert main(["import", str(first), *map(str, files), "--commissioner", "00Q", "01A"]) == 0
    assert main(["export", str(first), str(out)]) == 0
    assert main(["import", str(second), str(out)]) == 0
    a, b = load_project(first), load_project(second)
    assert len(memberships(b)) == 74 and memberships(a) == memberships(b)
    assert {c: b.list_size(c) for c in b.practices} == {c: a.list_size(c) for c in a.practices}


def test_areas_and_boundaries_export(tmp_path, capsys):
    project = Project()
    net = project.add_network(Network(Network.new_id(), "North PCN", "U00001"))
    project.areas["E01000001"] = SmallArea("E01000001", "Area one", box(-2.5, 53.7, -2.4, 53.8))
    project.areas["E01000002"] = SmallArea("E01000002", "Area two", box(-2.4, 53.7, -2.3, 53.8))
    project.area_assignments["E01000001"] = net.id
    path = tmp_path / "p.pcnproj"
    save_project(project, path)
    assert main(["export", str(path), str(tmp_path / "b.gpkg"), "--what", "boundaries"]) == 2
    assert "pcn-desktop boundaries" in capsys.readouterr().err
    assert main(["export", str(path), str(tmp_path / "areas.csv"), "--what", "areas"]) == 0
    rows = list(csv.DictReader((tmp_path / "areas.csv").open(encoding="utf-8-sig")))
    wanted = ("area_code", "area_name", "network_code", "network_name")   # geography may add more columns
    assert [tuple(r[k] for k in wanted) for r in rows] == [
        ("E01000001", "Area one", "U00001", "North PCN"), ("E01000002", "Area two", "", "")]
    assert main(["export", str(path), str(tmp_path / "areas.geojson"), "--what", "areas"]) == 0
    frame = gpd.read_file(tmp_path / "areas.geojson")
    assert list(frame["network_name"].fillna("")) == ["North PCN", ""]
    project.boundaries[net.id] = Boundary(net.id, box(-2.5, 53.7, -2.4, 53.8), "edited")
    save_project(project, path)
    assert main(["export", str(path), str(tmp_path / "b.gpkg"), "--what", "boundaries"]) == 0
    frame = gpd.read_file(tmp_path / "b.gpkg")
    assert list(frame["network_code"]) == ["U00001"] and frame.geometry[0].area == pytest.approx(0.01)
