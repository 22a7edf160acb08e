"""`pcn-desktop propose`: JSON shape, scenarios saved with the moves made, refusals."""
from __future__ import annotations

import json
import shutil

import pytest
from formation_helpers import errors

from pcn_desktop.cli import main
from pcn_desktop.paths import resource
from pcn_desktop.store import load_project


@pytest.fixture()
def sample(tmp_path):
    path = tmp_path / "s.pcnproj"
    shutil.copy(resource("sample", "sample_ccg.pcnproj"), path)
    return str(path)


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_propose_saves_each_proposal_as_a_scenario(sample, capsys):
    code, out, _ = _run(capsys, "propose", sample, "--name", "fix", "--count", "2", "--min", "40000",
                        "--max-distance-km", "6", "--json")
    assert code == 0
    data = json.loads(out)
    assert [p["scenario"] for p in data["proposals"]] == ["fix-1", "fix-2"]
    for p in data["proposals"]:
        assert set(p) >= {"scenario", "optimal", "moves", "scores"}
        assert p["optimal"] is True
        assert all(set(m) == {"practice", "from", "to", "list_size"} for m in p["moves"])
    project = load_project(sample)
    assert project.active_scenario == "current"
    assert project.scenario_names() == ["current", "fix-1", "fix-2"]
    current = project.scenario("current")
    for p in data["proposals"]:
        scenario = project.scenario(p["scenario"])
        for m in p["moves"]:
            assert scenario.network_of(m["practice"]).key == m["to"]
            before = current.network_of(m["practice"])
            assert (before.key if before else "") == m["from"]
        unmoved = set(current.practices) - {m["practice"] for m in p["moves"]}
        assert all(scenario.networks_of(c) == current.networks_of(c) for c in unmoved)
        # only the two errors no move can fix are left; the rules engine says so, on the saved file
        assert sorted(f.rule for f in errors(scenario)) == ["agreement-unsigned", "director-missing"]
        sizes = {n.key: scenario.network_list_size(n.id) for n in scenario.networks.values() if not n.exemption}
        assert min(sizes.values()) >= 40000
    assert any(e.what.startswith("practice ") for e in project.audit)     # journalled like window edits


def test_propose_prints_moves_and_scores(sample, capsys):
    code, out, _ = _run(capsys, "propose", sample)
    assert code == 0
    assert "proposal (from current): 1 practice, 4,218 patients moved" in out
    assert "Y90016" in out and "proven optimal" in out


def test_propose_refusals(sample, capsys):
    code, _, err = _run(capsys, "propose", sample, "--min", "90000")
    assert code == 1 and "no configuration meets the rules" in err
    code, _, err = _run(capsys, "propose", sample, "--from", "nope")
    assert code == 2 and "unknown scenario 'nope'" in err and "current" in err
    code, _, err = _run(capsys, "propose", sample, "--name", "current")
    assert code == 2 and "already exists" in err
    code, _, err = _run(capsys, "propose", sample, "--together", "Y90016")
    assert code == 2 and "two or more" in err
    code, _, err = _run(capsys, "propose", sample, "--lock", "ZZ999")
    assert code == 2 and "ZZ999" in err
    assert load_project(sample).scenario_names() == ["current"]        # nothing saved by a refusal


def test_an_impossible_floor_is_named(sample, capsys):
    code, _, err = _run(capsys, "propose", sample, "--min", "45000", "--lock", "U90002", "U90006")
    assert code == 1
    assert "the size floor cannot be met for U90002" in err     # 36,260 patients, locked
