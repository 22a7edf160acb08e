"""The scenarios, assign and compare commands, and --scenario on the others (on the sample)."""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from pcn_desktop.cli import main
from pcn_desktop.store import load_project


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "s.pcnproj"
    assert main(["sample", str(path)]) == 0
    return path


def _json(capsys, *args: str) -> dict:
    capsys.readouterr()
    main(list(args))
    return json.loads(capsys.readouterr().out)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_scenarios_lists_copies_renames_activates_and_deletes(sample: Path, capsys) -> None:
    listing = _json(capsys, "scenarios", str(sample), "--json")
    assert listing["active"] == "current"
    assert [(s["name"], s["active"], s["networks"]) for s in listing["scenarios"]] == [("current", True, 8)]
    assert main(["scenarios", str(sample), "--copy", "current", "Option 1"]) == 0
    assert main(["scenarios", str(sample), "--rename", "Option 1", "merge east"]) == 0
    assert main(["scenarios", str(sample), "--activate", "merge east"]) == 0
    listing = _json(capsys, "scenarios", str(sample), "--json")
    assert listing["active"] == "merge east"
    assert [s["name"] for s in listing["scenarios"]] == ["current", "merge east"]
    project = load_project(sample)
    assert project.active_scenario == "merge east"
    assert [e.what for e in project.audit[-3:]] == ["scenario copied", "scenario renamed", "scenario opened"]
    assert main(["scenarios", str(sample), "--delete", "current"]) == 0
    assert load_project(sample).scenario_names() == ["merge east"]


@pytest.mark.parametrize("args, message", [
    (["--delete", "current"], "a project keeps at least one scenario"),
    (["--copy", "current", "Current"], "a scenario named 'Current' already exists"),
    (["--activate", "nope"], "no scenario 'nope' (scenarios: current)"),
    (["--rename", "nope", "x"], "no scenario 'nope' (scenarios: current)"),
])
def test_scenario_refusals_exit_2_and_leave_the_file(sample: Path, capsys, args, message) -> None:
    before = _sha(sample)
    capsys.readouterr()
    assert main(["scenarios", str(sample), *args]) == 2
    assert message in capsys.readouterr().err
    assert _sha(sample) == before


def test_every_reading_command_takes_scenario_and_refuses_an_unknown_one(sample: Path, tmp_path: Path,
                                                                        capsys) -> None:
    main(["scenarios", str(sample), "--copy", "current", "other"])
    (tmp_path / "p.csv").write_text("practice_code,network_name\nY90001,Ashbridge North PCN\n")
    before = _sha(sample)
    for verb, extra in (("validate", []), ("funding", []), ("map", [str(tmp_path / "m.html")]),
                        ("export", [str(tmp_path / "p.csv")]), ("agreements", [str(tmp_path / "agr")]),
                        ("boundaries", ["--from-registrations"]), ("assign", ["Y90001", "U90001"]),
                        ("import", [str(tmp_path / "p.csv")])):
        capsys.readouterr()
        assert main([verb, str(sample), *extra, "--scenario", "nope"]) == 2, verb
        assert f"{sample}: no scenario 'nope' (scenarios: current, other)" in capsys.readouterr().err, verb
    assert _sha(sample) == before
    report = _json(capsys, "validate", str(sample), "--json")
    assert report["scenario"] == "current"
    assert _json(capsys, "validate", str(sample), "--json", "--scenario", "other")["scenario"] == "other"
    assert _json(capsys, "funding", str(sample), "--json", "--scenario", "other")["scenario"] == "other"
    # a command reads the scenario named, not the active one
    main(["assign", str(sample), "Y90016", "U90008", "--scenario", "other"])
    for name in ("current", "other"):
        assert main(["export", str(sample), str(tmp_path / f"{name}.csv"), "--scenario", name]) == 0
    rows = {name: [line for line in (tmp_path / f"{name}.csv").read_text().splitlines() if "Y90016" in line]
            for name in ("current", "other")}
    assert "U90008" not in rows["current"][0] and "U90008" in rows["other"][0]
    unassigned = {name: [f for f in _json(capsys, "validate", str(sample), "--json", "--scenario", name)["findings"]
                         if f["rule"] == "practice-unassigned"] for name in ("current", "other")}
    assert len(unassigned["current"]) == 1 and unassigned["other"] == []


def test_assign_moves_in_the_scenario_named_and_journals_it(sample: Path, capsys) -> None:
    main(["scenarios", str(sample), "--copy", "current", "merge"])
    capsys.readouterr()
    assert main(["assign", str(sample), "Y90001", "Ashbridge North PCN", "--scenario", "merge"]) == 0
    assert "Y90001: U90002 -> U90001 in scenario merge" in capsys.readouterr().out
    project = load_project(sample)
    north = project.find_network("U90001").id
    assert "Y90001" in project.scenario("merge").members(north)
    assert "Y90001" not in project.members(north)                 # the active scenario is untouched
    entry = project.audit[-1]
    assert (entry.what, entry.old, entry.new, entry.scenario) == ("practice Y90001 network", "U90002", "U90001",
                                                                  "merge")
    # the boundaries built from registrations followed the move, as they do in the window
    assert project.scenario("merge").boundaries[north].geometry != project.boundaries[north].geometry
    before = _sha(sample)
    assert main(["assign", str(sample), "Y90001", "U99999", "--scenario", "merge"]) == 2
    assert "no network 'U99999'" in capsys.readouterr().err
    assert main(["assign", str(sample), "Z00000", "U90001"]) == 2
    assert _sha(sample) == before
    assert main(["assign", str(sample), "Y90001", "none", "--scenario", "merge"]) == 0
    assert load_project(sample).scenario("merge").networks_of("Y90001") == []


def test_compare_reports_exactly_the_one_move_an_assign_made(sample: Path, capsys) -> None:
    main(["scenarios", str(sample), "--copy", "current", "merge"])
    main(["assign", str(sample), "Y90001", "U90001", "--scenario", "merge"])
    report = _json(capsys, "compare", str(sample), "current", "merge", "--json")
    project = load_project(sample)
    at = project.list_size("Y90001", __import__("datetime").date(2021, 1, 1))
    assert report["a"] == "current" and report["b"] == "merge"
    assert report["moves"] == [{"practice": "Y90001", "from": "U90002", "to": "U90001", "list_size": at}]
    # every network's sizes, computed here from the memberships and list sizes directly
    sizes = {}
    for name in ("current", "merge"):
        s = project.scenario(name)
        sizes[name] = {n.key: sum(project.list_size(c, __import__("datetime").date(2021, 1, 1))
                                  for c in s.members(n.id)) for n in s.networks.values()}
    for row in report["networks"]:
        assert (row["before"], row["after"]) == (sizes["current"][row["network"]], sizes["merge"][row["network"]])
    changed = {r["network"] for r in report["networks"] if r["before"] != r["after"]}
    assert changed == {"U90001", "U90002"}
    added = {(f["rule"], f["network"]) for f in report["findings"]["added"]}
    if sizes["merge"]["U90002"] < 30000 <= sizes["current"]["U90002"]:
        assert ("list-size-minimum", "U90002") in added
    money = {f["network"]: f for f in report["funding"]["networks"]}
    assert money["U90002"]["after"] < money["U90002"]["before"]
    assert money["U90001"]["after"] > money["U90001"]["before"]
    unchanged = [f for k, f in money.items() if k not in changed]
    assert all(f["before"] == f["after"] for f in unchanged)
    # a scenario compared with itself: nothing
    same = _json(capsys, "compare", str(sample), "merge", "merge", "--json")
    assert same["moves"] == [] and same["findings"] == {"added": [], "removed": []}


def test_compare_pdf_has_one_page_per_option_with_moves_sizes_and_money(sample: Path, tmp_path: Path,
                                                                         capsys) -> None:
    main(["scenarios", str(sample), "--copy", "current", "A"])
    main(["scenarios", str(sample), "--copy", "current", "B"])
    main(["assign", str(sample), "Y90001", "U90001", "--scenario", "A"])
    main(["assign", str(sample), "Y90016", "U90008", "--scenario", "B"])
    out = tmp_path / "workshop.pdf"
    capsys.readouterr()
    assert main(["compare", str(sample), "current", "A", "B", "--out", str(out)]) == 0
    assert f"{out}: 2 pages" in capsys.readouterr().out
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert len(pages) == 2
    assert "Option: A" in pages[0] and "Y90001" in pages[0] and "U90002" in pages[0]
    assert "Option: B" in pages[1] and "Y90016" in pages[1]
    for page in pages:
        assert "Sizes and money" in page and "£" in page and "Page" in page
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert all(page.images for page in reader.pages)                 # each page has its map
    assert main(["compare", str(sample), "current", "A", "--out", str(tmp_path / "x.txt")]) == 2
