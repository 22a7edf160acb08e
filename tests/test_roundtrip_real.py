"""Every export the README says imports back, round-tripped on real NHS files (skipped without
../shared/data): the practices list of all of England (CSV and Excel), and Pennine
Lancashire's areas CSV and boundary GeoJSON / GeoPackage."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil

import pytest
import shapely
from conftest import shared_file

from pcn_desktop.cli import main
from pcn_desktop.domain.model import PracticeStatus
from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata

ENGLAND = [("england", "psychty_pcn_hi_2022_des", "epraccur.csv"),
           ("england", "psychty_pcn_hi_2022_des", "ePCN.xlsx"),
           ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv")]
PENNINE = [("pennine_lancashire", "bwd-ph_boundaries", "lsoa.geojson"),
           ("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv"),
           ("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv"),
           ("england", "psychty_Population-pyramids", "ePCN.xlsx"),
           ("england", "psychty_primary-care-geographies", "epraccur.csv")]


def _run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    return status, out.getvalue()


def _import(target, parts, *extra: str) -> None:
    status, _ = _run(["import", str(target), *(str(shared_file(*p)) for p in parts), *extra])
    assert status == 0


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_england_practices_list_imports_back_whole(tmp_path, suffix):
    first, again, out = tmp_path / "a.pcnproj", tmp_path / "b.pcnproj", tmp_path / f"practices{suffix}"
    _import(first, ENGLAND)
    assert _run(["export", str(first), str(out), "--what", "practices"])[0] == 0
    assert _run(["import", str(again), str(out)])[0] == 0
    a, b = load_project(first), load_project(again)
    assert set(a.practices) == set(b.practices) and len(a.practices) > 7000
    for code, p in a.practices.items():
        q = b.practices[code]
        assert (q.name, q.status, q.opened, q.closed, q.kind, q.postcode, q.commissioner) == \
               (p.name, p.status, p.opened, p.closed, p.kind, p.postcode, p.commissioner), code
        assert b.list_size(code, b.counting_date) == a.list_size(code, a.counting_date), code
        assert [b.networks[n].key for n in b.networks_of(code)] == [a.networks[n].key for n in a.networks_of(code)]
    assert b.counting_date == a.counting_date
    # organisations ODS does not class as GP practices come back as such, with their names
    others = [p for p in b.practices.values() if p.kind]
    assert len(others) >= 15 and all(p.name for p in others)
    assert any(p.status is PracticeStatus.CLOSED for p in b.practices.values())
    _, report = _run(["validate", str(again), "--json"])
    unassigned = {f["practice"] for f in json.loads(report)["findings"] if f["rule"] == "practice-unassigned"}
    assert not unassigned & {p.code for p in others}
    _, report_a = _run(["validate", str(first), "--json"])
    assert unassigned == {f["practice"] for f in json.loads(report_a)["findings"] if f["rule"] == "practice-unassigned"}


@pytest.fixture(scope="module")
def pennine_built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pennine_rt")
    target = folder / "built.pcnproj"
    _import(target, PENNINE, "--commissioner", "00Q", "01A")
    assert _run(["boundaries", str(target), "--from-registrations"])[0] == 0
    return folder, target


def test_pennine_areas_csv_imports_back(pennine_built):
    folder, built = pennine_built
    out, fresh = folder / "areas.csv", folder / "fresh.pcnproj"
    assert _run(["export", str(built), str(out), "--what", "areas"])[0] == 0
    _import(fresh, PENNINE, "--commissioner", "00Q", "01A")
    status, summary = _run(["import", str(fresh), str(out)])
    assert status == 0 and "area -> network list" in summary
    a, b = load_project(built), load_project(fresh)
    key_a = {area: a.networks[n].key for area, n in a.area_assignments.items()}
    key_b = {area: b.networks[n].key for area, n in b.area_assignments.items()}
    assert key_a == key_b and len(key_a) >= 342
    by_key = {b.networks[n].key: g for n, g in ((n, bd.geometry) for n, bd in b.boundaries.items())}
    for nid, bd in a.boundaries.items():
        other = by_key[a.networks[nid].key]
        assert shapely.symmetric_difference(bd.geometry, other).area < 1e-9 * max(bd.geometry.area, 1e-12) + 1e-10


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_pennine_boundaries_import_back(pennine_built, suffix):
    import pyogrio
    folder, built = pennine_built
    out = folder / f"pennine_networks{suffix}"
    assert _run(["export", str(built), str(out), "--what", "boundaries"])[0] == 0
    assert [name for name, _ in pyogrio.list_layers(out)] == ["pennine_networks"]
    copy = folder / f"copy{suffix}.pcnproj"
    shutil.copy(built, copy)
    status, text = _run(["boundaries", str(copy), "--import", str(out)])
    assert status == 0, text
    a, b = load_project(built), load_project(copy)
    assert f"{len(a.boundaries)} networks matched" in text and "  unmatched: feature" not in text
    for nid, bd in a.boundaries.items():
        assert b.boundaries[nid].provenance == f"imported:{out.name}"
        diff = shapely.symmetric_difference(bd.geometry, b.boundaries[nid].geometry).area
        assert diff <= 1e-5 * bd.geometry.area       # GeoJSON keeps about 7 decimals of a degree
    assert b.area_assignments == a.area_assignments
