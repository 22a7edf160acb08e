"""Recognising files by content, headers by meaning, encodings, dates, postcodes, geometry."""
from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
from io_files import digest, epraccur_row, saved_project, write
from shapely.geometry import Polygon, box

from pcn_desktop.cli import main
from pcn_desktop.domain.model import PracticeStatus, Project
from pcn_desktop.io import ImportRefused
from pcn_desktop.io.kinds import detect
from pcn_desktop.io.mapping import Mapping
from pcn_desktop.io.postcodes import _transformer, lat_longs, postcode_area
from pcn_desktop.io.run import ImportRun
from pcn_desktop.io.text import norm_header
from pcn_desktop.store import load_project


def run(project: Project, *files, commissioners=None):
    return ImportRun(files, commissioners, today=date(2024, 1, 1)).apply(project)


@pytest.mark.parametrize("raw", ["Number.of.Patients", "NUMBER_OF_PATIENTS", " Number of\n Patients ", "number-of-patients"])
def test_headers_match_by_meaning(raw):
    assert norm_header(raw) == "number_of_patients"


def test_header_notes_and_line_breaks_are_dropped():
    assert norm_header("Current Clinical  \nCommissioning  Group Code") == "current_clinical_commissioning_group_code"
    assert norm_header("Open Date (YYYYMMDD)") == "open_date"
    assert norm_header("Practice CCG and PCN CCG match?") == "practice_ccg_and_pcn_ccg_match"


def test_kinds_by_content_not_name(tmp_path):
    epraccur = write(tmp_path / "nets.csv", epraccur_row("P81001") + "\n")
    sizes = write(tmp_path / "epraccur.csv", "CODE,POSTCODE,CCG_CODE,EXTRACT_DATE,SEX,AGE,NUMBER_OF_PATIENTS\n"
                                             "P81001,BB1 1AE,00Q,01JAN2021,ALL,ALL,10\n")
    assert detect(epraccur).name == "epraccur"
    assert detect(sizes).name == "populations"


def test_cp1252_names_decode(tmp_path):
    f = write(tmp_path / "nets.csv", "practice_code,network_name,practice_name\n"
                                     "P81009,Caf\u00e9 PCN,St Andrew\u2019s Surgery\n", encoding="cp1252")
    project = Project()
    run(project, f)
    assert project.practices["P81009"].name == "St Andrew\u2019s Surgery"
    assert project.network_of("P81009").name == "Caf\u00e9 PCN"


@pytest.mark.parametrize("careful", [False, True])
def test_the_nhs_mark_for_no_pcn_leaves_a_practice_in_no_network(tmp_path, careful):
    """NHS Digital marks a practice in no PCN with network code U ("Unallocated"): that is no
    network, whichever reader takes the file (column-wise, or the careful one that reads row
    by row when a file needs a closer look); a network whose code merely starts with U is one."""
    f = write(tmp_path / "map.csv", "\n".join([
        "PRACTICE_CODE,PRACTICE_NAME,PCN_ODS_CODE,PCN_NAME",
        "P81001,North Surgery,U12345,North PCN", "P81002,Moor Surgery,U,Unallocated",
        "P81003,Fell Surgery,u, Unallocated ", "P81004,Dale Surgery,,UNALLOCATED",
        "P81005,Brook Surgery,U12345,North PCN"]) + "\n")
    columns = Mapping(f).read(careful=careful).rows.columns
    assert list(zip(columns.code, columns.network_code, columns.network_name)) == [
        ("P81001", "U12345", "North PCN"), ("P81002", "", ""), ("P81003", "", ""), ("P81004", "", ""),
        ("P81005", "U12345", "North PCN")]
    project = Project()
    summaries = run(project, f)
    assert [n.code for n in project.networks.values()] == ["U12345"]
    assert project.members(next(iter(project.networks))) == {"P81001", "P81005"}
    left = {"P81002", "P81003", "P81004"}
    assert all(code in project.practices and not project.networks_of(code) for code in left)
    assert "3 practices marked as in no PCN" in " ".join(summaries[0].notes)


def test_epraccur_statuses_filter_and_references(tmp_path):
    f = write(tmp_path / "e.csv", "\n".join([
        epraccur_row("P81001", "ACTIVE ONE"), epraccur_row("P81002", status="P"),
        epraccur_row("P81003", status="D"), epraccur_row("P81004", status="C"),
        epraccur_row("P81005", ccg="01A"), epraccur_row("P81006", setting="8"),
        epraccur_row("P81007", status="ACTIVE", setting="RO76")]) + "\n")
    nets = write(tmp_path / "n.csv", "practice_code,network_name\nP81004,North PCN\n")
    project = Project()
    summaries = run(project, nets, f, commissioners=["00q"])
    assert sorted(project.practices) == ["P81001", "P81002", "P81004", "P81007"]
    assert project.practices["P81004"].status is PracticeStatus.CLOSED
    assert project.practices["P81001"].name == "ACTIVE ONE"
    assert project.practices["P81001"].address == ("1 HIGH STREET", "BLACKBURN", "LANCASHIRE")
    assert project.practices["P81001"].opened == date(1974, 4, 1)
    epr = next(s for s in summaries if s.kind.startswith("ODS"))
    assert epr.rows_read == 7 and epr.kept == 4
    assert dict(epr.skipped) == {"dormant or closed, and no other file refers to it": 1,
                                 "outside the commissioner filter": 1,
                                 "not a GP practice (prescribing setting other than 4 / RO76)": 1}


def test_list_sizes_registrations_and_no_lsoa(tmp_path):
    sizes = write(tmp_path / "s.csv", "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
                                      "X,01JAN2021,GP,00Q,P81001,BB1 1AE,ALL,ALL,5903\n"
                                      "X,01JAN2021,GP,01A,P81002,BB1 1AF,ALL,ALL,4000\n")
    regs = write(tmp_path / "r.csv", "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n"
                                     "X,01APR2021,P81001,ONE,E01000001,ALL,100\n"
                                     "X,01APR2021,P81001,ONE,NO2011,ALL,7\n"
                                     "X,01APR2021,P81002,TWO,E01000001,ALL,50\n")
    project = Project()
    summaries = run(project, regs, sizes, commissioners=["00Q"])
    assert list(project.practices) == ["P81001"]
    assert project.practices["P81001"].postcode == "BB1 1AE"
    assert project.list_sizes["P81001"] == {date(2021, 1, 1): 5903, date(2021, 4, 1): 107}
    assert project.registrations[date(2021, 4, 1)] == {("P81001", "E01000001"): 100}
    reg = next(s for s in summaries if s.kind.startswith("registrations"))
    assert reg.rows_read == 3 and reg.kept == 1
    assert sum(reg.skipped.values()) == 1


def test_single_age_sums_and_takes_the_run_date(tmp_path):
    pops = write(tmp_path / "pops.csv", '"","ORG_CODE","SEX","AGE","POP","abs_pop"\n'
                                        '"1","P81001","MALE","0",-65,65\n"2","P81001","FEMALE","0",60,60\n'
                                        '"3","P81001","MALE","95+",-5,5\n"4","P81099","MALE","1",-3,3\n')
    regs = write(tmp_path / "r.csv", "EXTRACT_DATE,PRACTICE_CODE,LSOA_CODE,NUMBER_OF_PATIENTS\n"
                                     "01APR2020,P81001,E01000001,200\n")
    nets = write(tmp_path / "n.csv", "practice_code,network_name,practice_name\nP81001,North PCN,ONE\n")
    project = Project()
    summaries = run(project, pops, regs, nets)
    assert project.list_sizes["P81001"] == {date(2020, 4, 1): 130}      # the file's sum, not the 200
    pop = next(s for s in summaries if s.kind.startswith("single-age"))
    assert dict(pop.skipped) == {"practice not in the project or this run (e.g. outside the commissioner filter)": 1}


def test_postcode_lookup_is_offline_and_exact():
    assert postcode_area("B1 1AY") == "b" and postcode_area("BB1 1AE") == "bb"
    points = lat_longs(["bb1 1ae", "B11AY", "ZZ9 9ZZ"])
    assert set(points) == {"BB1 1AE", "B1 1AY"}
    lat, lon = points["BB1 1AE"]          # BNG 369997, 427645: Blackburn town centre
    assert 53.74 < lat < 53.75 and -2.46 < lon < -2.45
    # Ordnance Survey's worked example (Caister water tower): E 651409.903 N 313177.270 is
    # ETRS89 52°39'28.8282"N 1°42'57.8663"E; a Helmert transformation is good to a few metres.
    lon, lat = _transformer().transform(651409.903, 313177.270)
    assert lat == pytest.approx(52.658008, abs=5e-5) and lon == pytest.approx(1.716074, abs=5e-5)


def test_mapping_coordinates_and_list_size_with_date(tmp_path):
    f = write(tmp_path / "n.csv", "practice_code,network_code,network_name,practice_name,list_size,list_date,"
                                  "postcode,latitude,longitude\n"
                                  "P81001,U00001,North PCN,ONE,1234,2021-01-01,BB1 1AE,53.5,-2.5\n"
                                  "P81002,U00001,North PCN,TWO,,,ZZ9 9ZZ,,\n")
    project = Project()
    summary = run(project, f)[0]
    assert (project.practices["P81001"].latitude, project.practices["P81001"].longitude) == (53.5, -2.5)
    assert project.list_sizes["P81001"] == {date(2021, 1, 1): 1234}
    assert project.network_of("P81002").code == "U00001"
    assert summary.notes[-1] == "1 practice without coordinates (postcode not found): P81002 (ZZ9 9ZZ)"


def _in_uk(geom):
    """A unit-square test shape moved from the Gulf of Guinea into Lancashire (degrees)."""
    from shapely.affinity import translate
    return translate(geom, -2.5, 53.0)


def _areas_file(tmp_path, name, geoms, crs="EPSG:27700", driver=None, codes=None):
    codes = codes or [f"E0100000{i}" for i in range(len(geoms))]
    frame = gpd.GeoDataFrame({"LSOA21CD": codes, "LSOA21NM": [f"Area {c}" for c in codes]},
                             geometry=geoms, crs=crs)
    path = tmp_path / name
    frame.to_file(path, driver=driver)
    return path


@pytest.mark.parametrize("name, driver", [("a.gpkg", "GPKG"), ("a.shp", None), ("a.geojson", "GeoJSON")])
def test_areas_any_format_reprojected(tmp_path, name, driver):
    path = _areas_file(tmp_path, name, [box(369000, 427000, 370000, 428000), box(370000, 427000, 371000, 428000)],
                       driver=driver)
    project = Project()
    run(project, path)
    assert sorted(project.areas) == ["E01000000", "E01000001"]
    area = project.areas["E01000000"]
    assert area.name == "Area E01000000"
    minx, miny, maxx, maxy = area.geometry.bounds
    assert (round(minx, 4), round(miny, 4)) == (-2.4716, 53.7385) and maxx - minx == pytest.approx(0.01526, abs=1e-4)


def test_bowtie_is_repaired(tmp_path):
    bowtie = _in_uk(Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]))
    path = _areas_file(tmp_path, "a.geojson", [bowtie], crs="EPSG:4326", driver="GeoJSON")
    project = Project()
    summary = run(project, path)[0]
    assert project.areas["E01000000"].geometry.is_valid
    assert project.areas["E01000000"].geometry.area == pytest.approx(0.5)
    assert summary.notes[0] == "invalid geometry repaired with make_valid: E01000000 (feature 1)"


def test_unrepairable_and_empty_geometry_are_refused(tmp_path, capsys):
    flat = _in_uk(Polygon([(0, 0), (1, 0), (2, 0), (0, 0)]))       # no area: make_valid leaves a line
    path = _areas_file(tmp_path, "flat.geojson", [_in_uk(box(0, 0, 1, 1)), flat], crs="EPSG:4326",
                       driver="GeoJSON")
    with pytest.raises(ImportRefused) as err:
        run(Project(), path)
    assert str(err.value).startswith(f"{path}, feature 2: area E01000001 has invalid geometry that cannot be repaired")
    empty = _areas_file(tmp_path, "empty.geojson", [_in_uk(box(0, 0, 1, 1)), Polygon()], crs="EPSG:4326",
                        driver="GeoJSON")
    project_path, before = saved_project(tmp_path)
    assert main(["import", str(project_path), str(empty)]) == 1
    assert f"{empty}, feature 2: area E01000001 has no geometry" in capsys.readouterr().err
    assert digest(project_path) == before


def test_import_creates_project_and_records_audit(tmp_path, capsys):
    f = write(tmp_path / "n.csv", "practice_code,network_name,practice_name\nP81001,North PCN,ONE\n")
    target = tmp_path / "new.pcnproj"
    assert main(["import", str(target), str(f)]) == 0
    project = load_project(target)
    assert project.audit[-1].what == "import" and "n.csv (practice -> network list)" in project.audit[-1].new
    out = capsys.readouterr().out
    assert f"{f}: practice -> network list\n  rows read 1, kept 1\n" in out
