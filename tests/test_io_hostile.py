"""Issue 15: hostile input. Every case the fuzz campaign found gets a test on a real file (or
the sample's exports): refused with one line naming the file (and row or feature), nothing
saved, no warning leaking, no traceback."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from hostile import (EPRACCUR, LIST_SIZES, LSOA, LSOAPOPS, PCNDEFS, PRACTICEPOPS, accepted, copy_real, epcn_copy,
                     real, refusal, rewrite_part, run_cli)
from io_files import digest, saved_project

pytestmark = pytest.mark.realdata
REPO = Path(__file__).resolve().parents[1]


def _csv_row(path: Path, number: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[number - 1].split(",")


def _set_field(source: Path, target: Path, row: int, column: str, value: str) -> Path:
    """The real CSV with one field of one row (1-based, header is row 1) replaced."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    head = [h.strip('"') for h in lines[0].rstrip("\r\n").split(",")]
    fields = lines[row - 1].rstrip("\r\n").split(",")
    fields[head.index(column)] = value
    lines[row - 1] = ",".join(fields) + "\n"
    target.write_text("".join(lines), encoding="utf-8")
    return target


# --- tracebacks seen by the campaign --------------------------------------------------------
def test_corrupted_xlsx_sheet_is_refused_naming_file_and_sheet(tmp_path):
    path = epcn_copy(tmp_path)
    rewrite_part(path, "xl/worksheets/sheet2.xml", lambda xml: xml[: len(xml) // 2])   # cut mid-element
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path} (sheet 'PCN Core Partner Details'): the sheet is damaged")


def test_xlsx_rows_shorter_than_header_without_dimension_are_read(tmp_path):
    """Rows ending before the last columns (no end date written) and no <dimension>: openpyxl
    gives short tuples, which once raised IndexError."""
    import re
    path = epcn_copy(tmp_path, partners=30)

    def strip(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml)
        return re.sub(rb'<c r="[J-K](?:[3-9]|[1-9][0-9]+)"[^>]*?(?:/>|>.*?</c>)', b"", xml)   # drop J, K below row 2
    rewrite_part(path, "xl/worksheets/sheet2.xml", strip)
    project, out = accepted(tmp_path, path)
    assert "30 practice links read" in out


def test_geopackage_with_non_utf8_table_names_is_refused_cleanly(tmp_path):
    import geopandas as gpd
    frame = gpd.read_file(real(*LSOA)).head(3)
    path = tmp_path / "areas.gpkg"
    frame.to_file(path, driver="GPKG")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE extra (a)")
        conn.execute("PRAGMA writable_schema = 1")
        conn.execute("UPDATE sqlite_master SET name = CAST(X'6578ff7261' AS TEXT), "
                     "tbl_name = CAST(X'6578ff7261' AS TEXT) WHERE name = 'extra'")     # 'ex\xffra'
    status, out, err, caught = run_cli("import", str(saved_project(tmp_path)[0]), str(path))
    assert "Traceback" not in err and caught == []
    assert status == 0 or err.startswith(f"pcn-desktop import: {path}")


@pytest.mark.parametrize("value", ["99999999999999999999", "1e20", "-5"])
def test_list_size_out_of_range_is_refused_with_row(tmp_path, value):
    path = _set_field(real(*LIST_SIZES), tmp_path / "gp-reg-pat-prac-all.csv", 5, "NUMBER_OF_PATIENTS", value)
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}, row 5: NUMBER_OF_PATIENTS ")
    assert ("negative" in message) if value.startswith("-") else ("list_size_max" in message)


@pytest.mark.parametrize("value", ["99999999999999999999", "1e20", "-3"])
def test_registrations_out_of_range_are_refused_with_row(tmp_path, value):
    source = real(*LSOAPOPS)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[9].rstrip("\n").split(",")
    fields[-1] = value
    lines[9] = ",".join(fields) + "\n"
    path = tmp_path / "lsoapops.csv"
    path.write_text("".join(lines), encoding="utf-8")
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}, row 10: Number.of.Patients ")


def _plan(tmp_path: Path, wte: str, cost: str) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text("network_code,role,wte,start,end,annual_cost\n"
                    f"U00001,Clinical Pharmacist,1,2021-04,2022-03,50000\nU00001,Paramedic,{wte},2021-04,2022-03,{cost}\n")
    return path


@pytest.mark.parametrize("wte, cost, problem", [
    ("nan", "40000", "wte: nan is not a finite number"),
    ("1", "nan", "annual_cost: nan is not a finite number"),
    ("inf", "40000", "wte: inf is not a finite number"),
    ("1", "1e300", "annual_cost: 1e+300 is over"),
    ("1e300", "40000", "wte: 1e+300 is over"),
])
def test_workforce_plan_figures_must_be_finite_and_bounded(tmp_path, wte, cost, problem):
    path = _plan(tmp_path, wte, cost)
    assert refusal(tmp_path, path).startswith(f"{path}, row 3: {problem}")


def test_a_plan_line_naming_an_impossible_scenario_is_refused_with_its_row(tmp_path):
    """A plan line may name a scenario the project does not hold yet (it becomes one): a name
    no scenario may have is refused with the row, not left to fail while applying (the long
    fuzz run found a 300-character name crashing the import)."""
    path = tmp_path / "plan.csv"
    path.write_text("network_code,role,wte,start,end,annual_cost,scenario\n"
                    "U00001,Clinical Pharmacist,1,2021-04,2022-03,50000,current\n"
                    f"U00001,Paramedic,1,2021-04,2022-03,40000,{'A' * 300}\n")
    assert refusal(tmp_path, path).startswith(f"{path}, row 3: scenario: a scenario name has at most 100")


def test_boundary_coordinate_of_1e300_is_refused_naming_the_feature(tmp_path):
    data = json.loads(real(*LSOA).read_text(encoding="utf-8"))
    data["features"] = data["features"][:5]
    ring = data["features"][2]["geometry"]["coordinates"]
    while isinstance(ring[0][0], list):
        ring = ring[0]
    ring[1] = [1e300, 53.7]
    path = tmp_path / "lsoa.geojson"
    path.write_text(json.dumps(data))
    assert refusal(tmp_path, path).startswith(f"{path}, feature 3: coordinates are not finite or far beyond")


def test_project_in_read_only_folder_is_refused_before_any_work(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    project, before = saved_project(folder)
    nets = tmp_path / "nets.csv"
    nets.write_text("practice_code,network_name\nP81001,South PCN\n")
    folder.chmod(0o555)
    try:
        status, out, err, caught = run_cli("import", str(project), str(nets))
    finally:
        folder.chmod(0o755)
    assert status == 1 and "Traceback" not in err and caught == []
    assert err.startswith(f"pcn-desktop import: {folder}: cannot save here")
    assert "rows read" not in out            # refused before reading
    assert digest(project) == before


def test_boundaries_in_read_only_folder_are_refused_before_building(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    project = folder / "sample.pcnproj"
    assert run_cli("sample", str(project))[0] == 0
    before = digest(project)
    folder.chmod(0o555)
    try:
        status, out, err, _ = run_cli("boundaries", str(project), "--from-registrations")
    finally:
        folder.chmod(0o755)
    assert status == 2 and err.startswith(f"pcn-desktop boundaries: {folder}: cannot save here")
    assert "areas assigned" not in out and digest(project) == before


# --- accepted that should have been refused -------------------------------------------------
@pytest.mark.parametrize("lat, lon, cause", [
    ("999", "-2.48", "outside the United Kingdom"),
    ("nan", "-2.48", "not finite numbers"),
    ("53.75", "-inf", "not finite numbers"),
    ("428000", "372000", "British National Grid metres"),
    ("-2.48", "53.75", "appear swapped"),
])
def test_implausible_practice_coordinates_are_refused(tmp_path, lat, lon, cause):
    source = real(*PCNDEFS).read_text(encoding="utf-8").splitlines()
    lines = [source[0] + ",latitude,longitude"] + [f"{line},53.75,-2.48" for line in source[1:]]
    lines[6] = lines[6].rsplit(",", 2)[0] + f",{lat},{lon}"
    path = tmp_path / "PCNdefs.csv"
    path.write_text("\n".join(lines) + "\n")
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}, row 7: latitude ") and cause in message


def test_two_extracts_concatenated_are_refused_at_the_repeated_header(tmp_path):
    source = real(*LIST_SIZES).read_bytes()
    lines = source.splitlines(keepends=True)
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_bytes(b"".join(lines[:101]) + b"".join(lines))
    assert refusal(tmp_path, path) == f"{path}, row 102: repeats the header row: two files joined into one? " \
                                      "Import each file on its own"


def test_two_files_disagreeing_about_a_network_are_refused_naming_both(tmp_path):
    first = copy_real(tmp_path, PCNDEFS)
    lines = first.read_text(encoding="utf-8").splitlines()
    code, name, net, ccg = lines[3].split(",")
    second = tmp_path / "moves.csv"
    second.write_text(f"practice_code,practice_name,network_name\n{code},{name},SOMEWHERE ELSE PCN\n")
    message = refusal(tmp_path, first, second)
    assert str(first) in message and str(second) in message and "the files disagree" in message
    assert f"practice {code}" in message


def test_two_files_disagreeing_about_a_list_size_are_refused_naming_both(tmp_path):
    sizes = copy_real(tmp_path, LIST_SIZES)
    row = _csv_row(sizes, 2)
    other = tmp_path / "sizes.csv"
    other.write_text("practice_code,network_name,list_size,list_date\n"
                     f"{row[5]},,{int(row[9]) + 10},2021-01-01\n")
    message = refusal(tmp_path, sizes, other)
    assert str(sizes) in message and str(other) in message and "the files disagree" in message


def test_epcn_without_pcn_code_column_is_refused_naming_sheet_and_columns(tmp_path):
    path = epcn_copy(tmp_path, drop=("PCN Code",))
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path} (sheet 'PCN Core Partner Details'), row 1: no PCN Code column "
                              "(columns found: partner_organisation_code, partner_name")


def _lsoa_subset(count: int = 6) -> dict:
    data = json.loads(real(*LSOA).read_text(encoding="utf-8"))
    data["features"] = data["features"][:count]
    return data


def _to_grid(data: dict) -> dict:
    from pyproj import Transformer
    move = Transformer.from_crs(4326, 27700, always_xy=True).transform

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            return list(move(coords[0], coords[1]))
        return [walk(c) for c in coords]
    for f in data["features"]:
        f["geometry"]["coordinates"] = walk(f["geometry"]["coordinates"])
    return data


@pytest.mark.parametrize("case, expected", [
    ("grid declared as degrees", "declares degrees"),
    ("grid without crs", "British National Grid metres"),
    ("swapped", "latitude and longitude appear swapped"),
])
def test_areas_in_the_wrong_crs_are_refused_with_the_probable_cause(tmp_path, case, expected):
    data = _lsoa_subset()
    if case.startswith("grid"):
        data = _to_grid(data)
        if case == "grid without crs":
            del data["crs"]
    else:
        def swap(coords):
            return [coords[1], coords[0]] if isinstance(coords[0], (int, float)) else [swap(c) for c in coords]
        for f in data["features"]:
            f["geometry"]["coordinates"] = swap(f["geometry"]["coordinates"])
    path = tmp_path / "lsoa.geojson"
    path.write_text(json.dumps(data))
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}, feature 1: ") and expected in message
    if case.startswith("grid"):
        assert "British National Grid metres" in message


@pytest.mark.parametrize("properties", [None, {"objectid": 1}, {"lsoa11cd": None, "lsoa11nm": "x"}])
def test_feature_without_code_is_refused_with_its_number(tmp_path, properties):
    data = _lsoa_subset()
    data["features"][3]["properties"] = properties
    path = tmp_path / "lsoa.geojson"
    path.write_text(json.dumps(data))
    assert refusal(tmp_path, path) == f"{path}, feature 4: feature has no area code"


def test_empty_geopackage_layer_is_refused(tmp_path):
    import geopandas as gpd
    frame = gpd.read_file(real(*LSOA)).head(0)
    path = tmp_path / "areas.gpkg"
    frame.to_file(path, driver="GPKG")
    assert refusal(tmp_path, path) == f"{path}: has no features (an empty layer)"


def test_xlsx_decompression_bomb_is_refused_before_parsing(tmp_path):
    path = epcn_copy(tmp_path, partners=5)
    # 60 MB of one repeated string in the partner sheet: a 60 kB part that inflates 1000 times
    rewrite_part(path, "xl/worksheets/sheet2.xml",
                 lambda xml: xml.replace(b"</worksheet>", b"<!--" + b"A" * 60_000_000 + b"--></worksheet>"))
    assert path.stat().st_size < 1_000_000
    message = refusal(tmp_path, path)
    assert message.startswith(f"{path}: part xl/worksheets/sheet2.xml ") and "decompression bomb" in message


# --- special files, warnings, budgets ---------------------------------------------------------
def test_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(refusal(tmp_path, fifo)), daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():                       # unblock the hung open so the test run can go on
        with open(fifo, "wb"):
            pass
        pytest.fail("importing a FIFO hangs")
    assert result == [f"{fifo}: is a named pipe (FIFO), not a regular file: save the data to a file and import that"]


def test_folder_as_input_is_refused(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    assert refusal(tmp_path, folder).startswith(f"{folder}: is a folder, not a regular file")


def test_library_warning_becomes_a_refusal_naming_the_feature(tmp_path, capfd):
    data = _lsoa_subset()
    ring = data["features"][4]["geometry"]["coordinates"]
    while isinstance(ring[0][0], list):
        ring = ring[0]
    ring.pop()                                   # the ring no longer ends where it starts
    path = tmp_path / "lsoa.geojson"
    path.write_text(json.dumps(data))
    message = refusal(tmp_path, path)
    assert message == f"{path}, feature 5: a polygon ring is not closed (its last point is not its first): " \
                      "a damaged or hand-edited file"
    assert "Non closed ring" not in capfd.readouterr().err


@pytest.fixture
def tight(monkeypatch):
    """Import limits with a small reading budget."""
    from dataclasses import replace

    from pcn_desktop.io import guard
    from pcn_desktop.io.limits import import_limits

    def limit(**changes):
        tight_limits = replace(import_limits(), **changes)
        monkeypatch.setattr(guard, "import_limits", lambda: tight_limits)
    return limit


def test_reader_past_its_memory_budget_is_stopped(tmp_path, tight):
    """A 200 MB cell in a workbook whose parts pass the (loosened) size checks: the memory
    budget is what stops it."""
    tight(read_memory_mb_max=60, xlsx_part_max_bytes=10**10, xlsx_ratio_max=10**9)
    path = epcn_copy(tmp_path, partners=5)
    cell = b'<row r="7"><c r="A7" t="inlineStr"><is><t>' + b"P" * 200_000_000 + b"</t></is></c></row>"
    rewrite_part(path, "xl/worksheets/sheet2.xml", lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))
    assert refusal(tmp_path, path).startswith(f"{path}: reading stopped at ")


def test_reader_past_its_time_budget_is_stopped(tmp_path, tight):
    # far below what reading all of epraccur takes, even column-wise in a warm process (~20 ms)
    tight(read_seconds_max=0.002)
    path = real(*EPRACCUR)
    assert refusal(tmp_path, path).startswith(f"{path}: reading stopped after 0.002 s (the read_seconds_max setting)")


def test_budget_does_not_stop_a_normal_import(tmp_path):
    accepted(tmp_path, real(*PRACTICEPOPS), real(*LIST_SIZES))


def test_list_size_row_without_its_date_is_refused(tmp_path):
    """Found by the long fuzz run: a blank EXTRACT_DATE once reached the save as a NULL date."""
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    lines = real(*LIST_SIZES).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("01JAN2021", "")
    path.write_text("".join(lines))
    assert refusal(tmp_path, path) == f"{path}, row 2: no EXTRACT_DATE: a list size needs the date it was counted"
