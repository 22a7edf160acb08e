"""One counting date: memberships in force on it, undated counts, --list-date, --as-at."""
from __future__ import annotations

import contextlib
import io
import json
from datetime import date

from io_files import write

from pcn_desktop.cli import main
from pcn_desktop.domain.model import Membership, Network, Practice, Project
from pcn_desktop.store import load_project, save_project


def _run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    return status, out.getvalue()


def _moved_project() -> Project:
    """P1 left North for South on 2021-04-01; lists of January 2021 and January 2022."""
    p = Project()
    for code in ("P81001", "P81002", "P81003"):
        p.practices[code] = Practice(code, code.lower())
        p.list_sizes[code][date(2021, 1, 1)] = 10000
        p.list_sizes[code][date(2022, 1, 1)] = 11000
    north = p.add_network(Network("n", "North", "U00001"))
    south = p.add_network(Network("s", "South", "U00002"))
    p.add_membership(Membership("P81001", north.id, date(2019, 7, 1), date(2021, 3, 31)))
    p.add_membership(Membership("P81001", south.id, date(2021, 4, 1)))
    p.add_membership(Membership("P81002", north.id, date(2019, 7, 1)))
    p.add_membership(Membership("P81003", south.id, date(2019, 7, 1)))
    return p


def test_count_at_makes_the_memberships_in_force_that_day_current():
    p = _moved_project()
    assert p.members("s") == {"P81001", "P81003"}          # no date: the open links
    p.count_at(date(2021, 1, 1))
    assert p.members("n") == {"P81001", "P81002"} and p.members("s") == {"P81003"}
    assert p.network_list_size("n", date(2021, 1, 1)) == 20000
    p.count_at(date(2021, 3, 31))                          # the end day is still in force
    assert p.networks_of("P81001") == ["n"]
    p.count_at(date(2022, 1, 1))
    assert p.members("n") == {"P81002"} and len(p.memberships) == 4


def test_a_saved_project_opens_counted_at_its_latest_extract(tmp_path):
    path = tmp_path / "p.pcnproj"
    p = _moved_project()
    p.list_sizes["P81001"].pop(date(2022, 1, 1))
    for code in ("P81002", "P81003"):
        p.list_sizes[code].pop(date(2022, 1, 1))
    save_project(p, path)
    loaded = load_project(path)
    assert loaded.counting_date == date(2021, 1, 1)
    assert loaded.members("n") == {"P81001", "P81002"}
    status, text = _run(["validate", str(path), "--json"])
    report = json.loads(text)
    assert report["list_date"] == "2021-01-01"
    assert {n["code"]: n["list_size"] for n in report["networks"]} == {"U00001": 20000, "U00002": 10000}
    info = [f for f in report["findings"] if f["rule"] == "counting-dates-differ"]
    assert info and "2021-04-01" in info[0]["message"]
    _, later = _run(["validate", str(path), "--json", "--as-at", "2021-06-01"])
    later = json.loads(later)
    assert {n["code"]: n["list_size"] for n in later["networks"]} == {"U00001": 10000, "U00002": 20000}
    assert later["as_at"] == "2021-06-01" and later["list_date"] == "2021-01-01"


def test_as_at_is_not_saved_by_a_command_that_saves(tmp_path):
    path = tmp_path / "p.pcnproj"
    save_project(_moved_project(), path)
    status, _ = _run(["boundaries", str(path), "--from-registrations", "--as-at", "2021-06-01"])
    assert status != 0                                     # no areas: refused, nothing saved
    assert "rules" not in load_project(path).settings


PLAIN = "practice_code,practice_name,network_name,list_size\nP81001,ONE,North,12000\nP81002,TWO,North,19000\n"


def test_plain_csv_without_a_date_is_accepted_with_a_warning(tmp_path):
    csv_path = write(tmp_path / "plain.csv", PLAIN)
    target = tmp_path / "p.pcnproj"
    status, text = _run(["import", str(target), str(csv_path)])
    assert status == 0 and "list sizes have no date" in text
    _, report = _run(["validate", str(target), "--json"])
    warnings = [f for f in json.loads(report)["findings"] if f["rule"] == "list-date-unknown"]
    assert len(warnings) == 1 and warnings[0]["severity"] == "warning"
    assert "plain.csv" in warnings[0]["message"] and "--list-date" in warnings[0]["message"]
    # re-imported with its date, the warning goes
    again = tmp_path / "q.pcnproj"
    status, _ = _run(["import", str(again), str(csv_path), "--list-date", "2021-01-01"])
    assert status == 0
    _, report = _run(["validate", str(again), "--json"])
    report = json.loads(report)
    assert report["list_date"] == "2021-01-01"
    assert not [f for f in report["findings"] if f["rule"] == "list-date-unknown"]
    assert report["networks"][0]["list_size"] == 31000


def test_list_date_must_be_a_date(tmp_path, capsys):
    csv_path = write(tmp_path / "plain.csv", PLAIN)
    try:
        main(["import", str(tmp_path / "p.pcnproj"), str(csv_path), "--list-date", "01/01/2021"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "is not a date YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "p.pcnproj").exists()


def test_every_counting_command_takes_as_at(tmp_path):
    path = tmp_path / "p.pcnproj"
    p = _moved_project()
    for code in p.list_sizes:
        p.list_sizes[code].pop(date(2022, 1, 1))
    save_project(p, path)
    # export: P81001 is North's in January 2021, South's from April
    out = tmp_path / "practices.csv"
    assert _run(["export", str(path), str(out), "--as-at", "2021-06-01"])[0] == 0
    rows = {r.split(",")[0]: r for r in out.read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert ",U00002,South," in rows["P81001"]
    assert _run(["export", str(path), str(out)])[0] == 0
    rows = {r.split(",")[0]: r for r in out.read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert ",U00001,North," in rows["P81001"]
    # funding: the same recount, and the date it used
    _, text = _run(["funding", str(path), "--json", "--as-at", "2021-06-01"])
    report = json.loads(text)
    assert report["as_at"] == "2021-06-01" and report["list_date"] == "2021-01-01"
    assert {n["code"]: n["registered_list"] for n in report["networks"]} == {"U00001": 10000, "U00002": 20000}
    # map and agreements accept it too
    assert _run(["map", str(path), str(tmp_path / "m.html"), "--as-at", "2021-06-01"])[0] == 0
    status, _ = _run(["agreements", str(path), str(tmp_path / "pdfs"), "--as-at", "2021-06-01"])
    assert status == 0 and len(list((tmp_path / "pdfs").glob("*.pdf"))) == 2
