"""A practice -> network list in Excel: found beside notes and under a title, read with the
CSV's meanings and checks, refusals naming the sheet and its row; and the real Sussex lookup
(``GP_PCN_CCG l-up (002).xlsx``: notes in columns A-E, the list in G-J under headings on row
2) imported beside the 2019 catalogue and the January 2021 lists, against pandas."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from cli_run import LISTS_2021, import_and_validate
from openpyxl import Workbook

from pcn_desktop.domain.model import Network, Practice, Project
from pcn_desktop.io.errors import ImportRefused
from pcn_desktop.io.kinds import read_file
from pcn_desktop.io.mapping_sheet import MappingSheet, cell_text, table_in
from pcn_desktop.io.run import ImportRun

SUSSEX = ("west_sussex", "psychty_primary-care-geographies", "GP_PCN_CCG l-up (002).xlsx")
EPRACCUR_2019 = ("england", "psychty_primary-care-geographies", "epraccur.csv")


def workbook(tmp_path, rows: list[list], title: str = "Lookup", before: list[str] | None = None):
    wb = Workbook()
    if before:                                   # sheets with no list come first
        wb.active.title = before[0]
        wb.active.append(["Notes only"])
        sheet = wb.create_sheet(title)
    else:
        sheet = wb.active
        sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / "lookup.xlsx"
    wb.save(path)
    return path


def test_the_list_is_found_under_a_title_beside_notes(tmp_path) -> None:
    path = workbook(tmp_path, [
        ["PCN lookup, agreed at the workshop"],
        [],
        ["Code", "Note", None, "GP code", "Practice name", "PCN", "list_size", "list_date"],
        ["A81001", "checked", None, "A81001", "The Densham Surgery", "Stockton PCN", 8123.0, datetime(2021, 1, 1)],
        ["ZZZ", "not a code: a note", None, "A81002", "Queens Park", "North Stockton PCN", 9000, date(2021, 1, 1)],
    ], before=["Read me"])
    parsed = read_file(path)
    assert isinstance(parsed, MappingSheet)
    rows = parsed.rows.columns
    assert rows.code == ["A81001", "A81002"] and rows.network_name == ["Stockton PCN", "North Stockton PCN"]
    assert rows.name == ["The Densham Surgery", "Queens Park"] and rows.list_size == [8123, 9000]
    assert rows.list_date == [date(2021, 1, 1)] * 2 and rows.line == [4, 5]
    assert "sheet 'Lookup', columns D–H, headings on row 3" in parsed.summary.notes[0]
    project = Project()
    ImportRun([path]).apply(project)
    assert sorted(n.name for n in project.networks.values()) == ["North Stockton PCN", "Stockton PCN"]
    assert project.list_sizes["A81001"] == {date(2021, 1, 1): 8123}


def test_a_bad_row_is_refused_naming_the_sheet_and_its_row(tmp_path) -> None:
    path = workbook(tmp_path, [["Practice code", "Network name", "Practice name"],
                               ["A81001", "Stockton PCN", "Densham"],
                               ["A81001", "North Stockton PCN", "Densham again"]])
    with pytest.raises(ImportRefused) as refused:
        read_file(path)
    said = str(refused.value)
    assert "(sheet 'Lookup')" in said and "row 3" in said and "listed twice (rows 2 and 3)" in said


def test_an_unknown_practice_with_no_name_is_refused_before_anything_changes(tmp_path) -> None:
    path = workbook(tmp_path, [["GP code", "PCN"], ["A81001", "Stockton PCN"], ["A99999", "Stockton PCN"]])
    project = Project()
    project.practices["A81001"] = Practice("A81001", "The Densham Surgery")
    project.add_network(Network("n1", "Stockton PCN"))
    with pytest.raises(ImportRefused, match=r"sheet 'Lookup'.*row 3.*A99999"):
        ImportRun([path]).apply(project)
    assert not project.members("n1")


def test_a_workbook_without_a_list_is_not_taken_for_one(tmp_path) -> None:
    path = workbook(tmp_path, [["Practice code", "Practice name"], ["A81001", "Densham"]])
    with pytest.raises(ImportRefused, match="not a file this import recognises"):
        read_file(path)


def test_headings_and_cells() -> None:
    assert table_in(["code", "note", "", "gp_code", "gp_list", "pcn", "ccg"]) == (3, 6)
    assert table_in(["code", "note", "", "pcn"]) is None          # no practice column beside it
    assert cell_text(12.0) == "12" and cell_text(12.5) == "12.5" and cell_text(None) == ""
    assert cell_text(datetime(2021, 1, 1, 0, 0)) == "2021-01-01"


@pytest.mark.realdata
def test_the_sussex_lookup_equals_pandas(tmp_path) -> None:
    from conftest import shared_file
    files = [str(shared_file(*EPRACCUR_2019)), str(shared_file(*SUSSEX)), str(shared_file(*LISTS_2021))]
    got = import_and_validate(tmp_path / "sussex.pcnproj", files, "--commissioner", "09G", "09H", "09X")
    # pandas alone: the headings on the sheet's row 2, the list in columns G-J
    sheet = pd.read_excel(files[1], header=1, usecols="G:J", dtype=str).dropna(how="all")
    assert list(sheet.columns) == ["GP code", "GP list", "PCN", "CCG"] and len(sheet) == 180
    # one network typed twice, once with a trailing space (Chapel Street Surgery's row): the
    # same network, as the app takes it
    sheet["PCN"] = sheet["PCN"].str.split().str.join(" ")
    lists = pd.read_csv(files[2], dtype=str)
    lists = lists[(lists["SEX"] == "ALL") & (lists["AGE"] == "ALL")]
    sizes = dict(zip(lists["CODE"], lists["NUMBER_OF_PATIENTS"].astype(int)))
    expected = {pcn: (sorted(g["GP code"].str.strip()), sum(sizes.get(c.strip(), 0) for c in g["GP code"]))
                for pcn, g in sheet.groupby("PCN")}
    networks = {n["name"]: (sorted(n["practices"]), n["list_size"]) for n in got["report"]["networks"]}
    assert len(expected) == 40 and networks == expected
    assert "the list in sheet 'Sheet1', columns G–J, headings on row 2" in got["summary"]


def test_the_practices_workbook_imports_back_with_text_kept_as_text(tmp_path) -> None:
    """export --what practices to .xlsx, imported back: the same practices, networks and
    figures; a name that looks like a formula stays a name; dates are Excel dates."""
    from openpyxl import load_workbook

    from cli_run import run_cli
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project, save_project
    sample = load_project(resource("sample", "sample_ccg.pcnproj"))
    code = sorted(sample.practices)[0]
    sample.practices[code].name = "=HYPERLINK(\"http://x\",\"click\")"
    first = tmp_path / "a.pcnproj"
    save_project(sample, first)
    out = tmp_path / "out" / "practices.xlsx"
    assert run_cli(["export", str(first), str(out), "--what", "practices"])[0] == 0
    sheet = load_workbook(out).active
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=HYPERLINK")
    assert sheet["F2"].is_date and sheet.freeze_panes == "A2"
    again = tmp_path / "b.pcnproj"
    assert run_cli(["import", str(again), str(out)])[0] == 0
    a, b = load_project(first), load_project(again)
    assert b.practices[code].name == sample.practices[code].name
    assert {c: [a.networks[n].key for n in a.networks_of(c)] for c in a.practices} == \
        {c: [b.networks[n].key for n in b.networks_of(c)] for c in b.practices}
    assert all(b.list_size(c, b.counting_date) == a.list_size(c, a.counting_date) for c in a.practices)


def test_only_practices_are_written_as_a_workbook(tmp_path) -> None:
    from cli_run import run_cli
    from pcn_desktop.paths import resource
    status, _ = run_cli(["export", str(resource("sample", "sample_ccg.pcnproj")), str(tmp_path / "a.xlsx"),
                         "--what", "areas"])
    assert status == 2 and not (tmp_path / "a.xlsx").exists()
