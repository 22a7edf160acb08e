"""Workforce plan CSV (import and export), the funding table as CSV/XLSX, and the funding subcommand."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from funding_helpers import two_network_project
from pcn_desktop.cli import main
from pcn_desktop.domain.model import PlannedRole
from pcn_desktop.funding.export import write_csv, write_xlsx
from pcn_desktop.funding.model import ccg_funding
from pcn_desktop.funding.policy_store import policy_for
from pcn_desktop.io import ImportRefused
from pcn_desktop.io.kinds import detect
from pcn_desktop.io.run import ImportRun
from pcn_desktop.io.workforce_csv import read_plan_rows, write_plan_csv
from pcn_desktop.store import load_project, save_project

PLAN = """network_code,network_name,role,wte,start,end,annual_cost
U00001,,Clinical pharmacist,1,2020-04,2021-03,"60,000"
,South PCN,Care coordinator,0.5,2020-10,2021-03,28000
"""


def _same(value: object) -> object:
    """A cell as a comparable value: numbers as numbers (Excel reads 42000.0 back as 42000)."""
    if value is None or value == "":
        return ""
    try:
        return round(float(value), 2)
    except (TypeError, ValueError):
        return str(value)


def _write(tmp_path: Path, text: str, name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_csv_is_recognised_and_imported(tmp_path: Path) -> None:
    path = _write(tmp_path, PLAN)
    assert detect(path).name == "workforce_plan"
    p = two_network_project()
    p.workforce["north"].append(PlannedRole("Old line", 1, "2020-04", "2021-03", 1))
    ImportRun([path]).apply(p)
    assert p.workforce["north"] == [PlannedRole("Clinical pharmacist", 1.0, "2020-04", "2021-03", 60000.0)]
    assert p.workforce["south"] == [PlannedRole("Care coordinator", 0.5, "2020-10", "2021-03", 28000.0)]


@pytest.mark.parametrize("row, problem", [
    ("U00001,,Clinical pharmacist,one,2020-04,2021-03,1", "row 2: wte: 'one' is not a number"),
    ("U00001,,Clinical pharmacist,1,2020-4,2021-03,1", "row 2: start: '2020-4' is not a month in the form YYYY-MM"),
    ("U00001,,Clinical pharmacist,1,2020-04,2020-03,1", "row 2: end: 2020-03 is before start 2020-04"),
    (",,Clinical pharmacist,1,2020-04,2021-03,1", "row 2: no network_code or network_name"),
    ("U00001,,,1,2020-04,2021-03,1", "row 2: role: missing"),
])
def test_bad_rows_are_refused_naming_file_row_and_problem(tmp_path: Path, row: str, problem: str) -> None:
    path = _write(tmp_path, PLAN.splitlines()[0] + "\n" + row + "\n")
    with pytest.raises(ImportRefused) as err:
        read_plan_rows(path)
    assert str(err.value) == f"{path}, {problem}"


def test_unknown_network_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, PLAN + "U09999,,GP,1,2020-04,2021-03,1\n")
    p = two_network_project()
    with pytest.raises(ImportRefused, match=r"plan.csv, row 4: no network 'U09999' in the project"):
        ImportRun([path]).apply(p)
    assert not any(p.workforce.values())


def test_missing_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "network_code,role,wte,start,end\nU00001,GP,1,2020-04,2021-03\n")
    with pytest.raises(ImportRefused, match=r"row 1: missing column annual_cost"):
        read_plan_rows(path)


def test_plan_export_round_trips(tmp_path: Path) -> None:
    p = two_network_project()
    p.workforce["north"] += [PlannedRole("GP", 1.0, "2024-10", "2025-03", 95000.5)]
    p.copy_scenario("current", "Two GPs").workforce["north"][0].wte = 2.0
    out = tmp_path / "out.csv"
    assert write_plan_csv(p, out) == 2
    q = two_network_project()
    ImportRun([out]).apply(q)
    assert q.scenario_names() == ["current", "Two GPs"]     # a new name becomes a scenario
    for name in ("current", "Two GPs"):
        assert q.scenario(name).workforce["north"] == p.scenario(name).workforce["north"]
    assert q.scenario("Two GPs").workforce["north"][0].wte == 2.0


def _project_file(tmp_path: Path) -> Path:
    p = two_network_project()
    p.name = "Test CCG"
    p.workforce["north"].append(PlannedRole("Clinical pharmacist", 1.0, "2020-04", "2021-03", 60000))
    path = tmp_path / "t.pcnproj"
    save_project(p, path)
    return path


def test_funding_cli_json_has_each_stream_and_the_ccg_total(tmp_path: Path, capsys) -> None:
    path = _project_file(tmp_path)
    assert main(["funding", str(path), "--year", "2020/21", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    north = report["networks"][0]
    assert north["name"] == "North PCN"
    assert north["streams"]["clinical_director"]["amount"] == 30324.0
    assert north["streams"]["core"]["amount"] == 63000.0
    # Pharmacist 1.0 WTE all year at £60,000, 2020/21 cap £55,670 at 100%: reimbursable 55,670;
    # entitlement 7.131 x 42,000 = 299,502; headroom 243,832.
    assert north["arrs"]["plan_cost"] == 60000.0
    assert north["arrs"]["reimbursable"] == 55670.0
    assert north["arrs"]["headroom"] == 243832.0
    assert report["ccg"]["streams"]["core"] == 115500.0
    assert report["ccg"]["arrs_entitlement"] == 549087.0


def test_funding_cli_table_and_files(tmp_path: Path, capsys) -> None:
    path = _project_file(tmp_path)
    xlsx, table, plan = tmp_path / "f.xlsx", tmp_path / "f.csv", tmp_path / "plan.csv"
    assert main(["funding", str(path), "--year", "2020/21", "--out", str(xlsx)]) == 0
    text = capsys.readouterr().out
    assert "Test CCG: funding 2020/21" in text
    assert "CCG total" in text and "549,087" in text
    assert main(["funding", str(path), "--year", "2020/21", "--out", str(table), "--export-plan", str(plan)]) == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    wb = load_workbook(xlsx)
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    # The CSV and the workbook carry the same figures.
    assert header == list(rows[0].keys())
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(header, start=1):
            value = sheet.cell(r, c).value
            assert _same(value) == _same(row[name]), (name, r)
    assert rows[-1]["network_name"] == "CCG total (2020/21)"
    assert rows[-1]["arrs_reimbursable"] == "55670.0"
    assert wb["ARRS by role"]["J2"].value == 60000.0
    assert load_project(path).workforce["north"][0].role == "Clinical pharmacist"
    assert plan.read_text(encoding="utf-8").splitlines()[1] == "U00001,North PCN,Clinical pharmacist,1,2020-04,2021-03,60000.00,current"


def test_funding_cli_refuses_an_unknown_year(tmp_path: Path, capsys) -> None:
    path = _project_file(tmp_path)
    assert main(["funding", str(path), "--year", "2015/16"]) == 2
    assert "no policy file for contract year 2015/16" in capsys.readouterr().err


def test_export_writers_agree(tmp_path: Path) -> None:
    ccg = ccg_funding(two_network_project(), policy_for("2019/20"))
    write_csv(ccg, tmp_path / "a.csv")
    write_xlsx(ccg, tmp_path / "a.xlsx")
    rows = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8")))
    sheet = load_workbook(tmp_path / "a.xlsx").worksheets[0]
    assert [[_same(c.value) for c in r] for r in sheet.iter_rows()] == [[_same(v) for v in r] for r in rows]
    assert len(rows) == 4                   # header, two networks, the CCG total
