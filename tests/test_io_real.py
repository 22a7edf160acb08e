"""Real NHS files (skipped when ../shared/data is absent): Pennine Lancashire end to end, ePCN, England."""
from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import shared_file

from pcn_desktop.cli import main
from pcn_desktop.domain.model import Project
from pcn_desktop.io.epcn import Epcn
from pcn_desktop.io.run import ImportRun
from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata

EPRACCUR_2019 = ("england", "psychty_primary-care-geographies", "epraccur.csv")
PCNDEFS = ("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv")
LSOAPOPS = ("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv")
PRACTICEPOPS = ("pennine_lancashire", "bwd-ph_mapdata", "practicepops.csv")
LSOA = ("pennine_lancashire", "bwd-ph_boundaries", "lsoa.geojson")
EPCN_2019 = ("england", "psychty_Population-pyramids", "ePCN.xlsx")
EPCN_2022 = ("england", "psychty_pcn_hi_2022_des", "ePCN.xlsx")


@pytest.fixture(scope="module")
def pennine(tmp_path_factory) -> tuple[str, str]:
    files = [shared_file(*f) for f in (LSOA, LSOAPOPS, PCNDEFS, EPCN_2019, EPRACCUR_2019)]   # any order
    target = tmp_path_factory.mktemp("pennine") / "pennine.pcnproj"
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["import", str(target), *map(str, files), "--commissioner", "00Q", "01A"]) == 0
    return str(target), out.getvalue()


def test_pennine_practices_networks_and_coordinates(pennine):
    project = load_project(pennine[0])
    assert len(project.networks) == 13
    assert len(project.practices) == 74
    assert [c for c in sorted(project.practices) if project.is_closed(c)] == ["P81778"]
    assert all(p.has_location for p in project.practices.values())
    assert len(project.areas) == 343
    assert {n.commissioner for n in project.networks.values()} == {"00Q", "01A"}
    assert all(n.code.startswith("U") for n in project.networks.values())   # codes from ePCN, joined by name


def test_pennine_list_sizes_match_the_source(pennine):
    project = load_project(pennine[0])
    assert project.list_dates() == [date(2020, 4, 1)]
    assert sum(project.list_size(c) for c in project.practices) == 567_471
    assert sum(1 for c in project.practices if project.list_size(c) > 0) == 73
    sizes = {n.name: project.network_list_size(n.id) for n in project.networks.values()}
    assert sizes["ROSSENDALE EAST PCN"] == 31_229
    assert sizes["DARWEN PCN"] == 32_318
    assert sizes["PENDLE WEST PCN"] == 54_882
    assert min(sizes.values()) == 31_229 and max(sizes.values()) == 54_882


def test_pennine_summary_and_validation(pennine, capsys):
    path, out = pennine
    assert "rows read 8,640, kept 7,798" in out
    assert "103 patients with no LSOA (NO2011): counted in list sizes, not in any area" in out
    assert "13 networks, 74 practices (1 closed), 343 areas" in out
    main(["validate", path, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert len(report["networks"]) == 13
    assert not [f for f in report["findings"] if f["rule"] == "list-size-minimum"]


def test_practicepops_agrees_with_lsoapops():
    project = Project()
    ImportRun([shared_file(*f) for f in (PRACTICEPOPS, LSOAPOPS, PCNDEFS, EPRACCUR_2019)], ["00Q", "01A"]).apply(project)
    assert sum(project.list_size(c) for c in project.practices) == 567_471
    assert project.list_sizes["P81008"] == {date(2020, 4, 1): project.list_size("P81008")}


@pytest.mark.parametrize("parts, pcns, links, current", [(EPCN_2019, 1250, 6757, 6757), (EPCN_2022, 1318, 7359, 6474)])
def test_epcn_both_versions(parts, pcns, links, current):
    parsed = Epcn(shared_file(*parts)).read()
    assert len(parsed.pcns) == pcns
    assert len(parsed.links) == links
    assert sum(link.end is None for link in parsed.links) == current
    assert parsed.pcns["U16464" if parts == EPCN_2022 else "U35980"].commissioner == ("02P" if parts == EPCN_2022 else "99A")


def test_epcn_with_commissioner_filter_2022_keeps_history():
    project = Project()
    ImportRun([shared_file(*EPCN_2022)], ["02P"], today=date(2022, 6, 1)).apply(project)
    assert {n.commissioner for n in project.networks.values()} == {"02P"}
    current = sum(len(project.members(n)) for n in project.networks)
    ended = [m for m in project.memberships if m.end is not None]
    assert current == len({m.practice_code for m in project.memberships if m.end is None})
    assert {(m.practice_code, m.end) for m in ended} == {("C85024", date(2020, 10, 18))}
    assert "C85628" not in project.practices       # its only link ended: not brought in
