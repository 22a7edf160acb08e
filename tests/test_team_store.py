"""A team on one project: copies between a file and PostgreSQL, saves that take in others'
changes or refuse naming the clash, concurrent writers that lose nothing, and kill -9."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pcn_desktop.cli import main
from pcn_desktop.domain.commands import MovePractice, SetNetworkField
from pcn_desktop.paths import resource
from pcn_desktop.sample.build import canonical_dump
from pcn_desktop.store import StaleSave, load_project, save_project

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def sample():
    return load_project(resource("sample", "sample_ccg.pcnproj"))


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pcn_desktop.cli", *args], capture_output=True, text=True,
                          env=env(), timeout=300)


def validate_json(target: str) -> dict:
    done = cli("validate", target, "--json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


# --- copy ---------------------------------------------------------------------------------
def test_copy_round_trip_sqlite_postgresql_sqlite_validates_identically(tmp_path, pg_url):
    first = tmp_path / "first.pcnproj"
    save_project(sample(), first)
    MovePractice(sorted(sample().practices)[0], None)   # history below comes from a real edit
    project = load_project(first)
    code = sorted(project.practices)[3]
    MovePractice(code, sorted(project.networks)[1]).do(project)
    what_if = project.copy_scenario(project.active_scenario, "what-if")
    MovePractice(sorted(project.practices)[5], None).do(what_if)
    save_project(project, first)

    assert cli("copy", str(first), pg_url).returncode == 0
    back = tmp_path / "back.pcnproj"
    done = cli("copy", pg_url, str(back))
    assert done.returncode == 0, done.stderr
    assert validate_json(str(back)) == validate_json(str(first)) == validate_json(pg_url)
    assert canonical_dump(load_project(back)) == canonical_dump(load_project(first))
    copied = load_project(back)
    assert copied.scenario_names() == [project.active_scenario, "what-if"]
    assert [(e.what, e.new, e.scenario) for e in copied.audit] == [(e.what, e.new, e.scenario) for e in project.audit]
    assert copied.scenario("what-if").networks_of(sorted(project.practices)[5]) == []
    assert validate_json(str(back) + "") == validate_json(str(first))
    what_if_json = cli("validate", str(back), "--json", "--scenario", "what-if")
    assert json.loads(what_if_json.stdout) == json.loads(cli("validate", pg_url, "--json", "--scenario", "what-if").stdout)


def test_copy_refuses_a_destination_holding_a_project_unless_forced(tmp_path, pg_url):
    src = tmp_path / "src.pcnproj"
    save_project(sample(), src)
    assert cli("copy", str(src), pg_url).returncode == 0
    other = sample()
    other.name = "Someone else's"
    other_file = tmp_path / "other.pcnproj"
    save_project(other, other_file)
    refused = cli("copy", str(other_file), pg_url)
    assert refused.returncode == 2
    assert "already holds a project" in refused.stderr and "--force" in refused.stderr
    assert load_project(pg_url).name != "Someone else's"
    before = src.read_bytes()
    assert cli("copy", pg_url, str(src)).returncode == 2
    assert src.read_bytes() == before
    assert cli("copy", str(other_file), pg_url, "--force").returncode == 0
    assert load_project(pg_url).name == "Someone else's"


# --- versions: reconcile or refuse ---------------------------------------------------------------
@pytest.fixture(params=["file", "postgresql"])
def shared_target(request, tmp_path):
    if request.param == "file":
        target = str(tmp_path / "team.pcnproj")
    else:
        target = request.getfixturevalue("pg_url")
    save_project(sample(), target)
    return target


def two_networks(project):
    nets = project.sorted_networks()
    return nets[0], nets[1]


def test_edits_to_different_networks_are_both_kept(shared_target):
    alice, bob = load_project(shared_target), load_project(shared_target)
    a_net, b_net = two_networks(alice)
    SetNetworkField(a_net.id, "notes", "from alice").do(alice)
    SetNetworkField(b_net.id, "notes", "from bob").do(bob)
    save_project(alice, shared_target)
    save_project(bob, shared_target)
    final = load_project(shared_target)
    assert final.networks[a_net.id].notes == "from alice"
    assert final.networks[b_net.id].notes == "from bob"
    # bob's session took in alice's change: saving again loses nothing
    assert bob.networks[a_net.id].notes == "from alice"
    save_project(bob, shared_target)
    assert load_project(shared_target).networks[a_net.id].notes == "from alice"
    assert {e.new for e in final.audit} >= {"from alice", "from bob"}


def test_a_stale_save_of_one_network_is_refused_naming_it_and_who(shared_target, monkeypatch):
    alice, bob = load_project(shared_target), load_project(shared_target)
    net, _ = two_networks(alice)
    monkeypatch.setattr("pcn_desktop.domain.commands.current_user", lambda: "alice")
    monkeypatch.setattr("pcn_desktop.store.versions.current_user", lambda: "alice")
    SetNetworkField(net.id, "notes", "alice's note").do(alice)
    save_project(alice, shared_target)
    monkeypatch.setattr("pcn_desktop.store.versions.current_user", lambda: "bob")
    SetNetworkField(net.id, "name", "Bob's name").do(bob)
    with pytest.raises(StaleSave) as refused:
        save_project(bob, shared_target)
    message = str(refused.value)
    assert f"network {net.name}" in message and "changed by alice" in message
    assert refused.value.networks == {net.id}
    final = load_project(shared_target)
    assert final.networks[net.id].notes == "alice's note" and final.networks[net.id].name == net.name


def test_one_network_edited_in_two_scenarios_is_no_conflict(shared_target):
    setup = load_project(shared_target)
    setup.copy_scenario(setup.active_scenario, "what-if")
    save_project(setup, shared_target)
    alice, bob = load_project(shared_target), load_project(shared_target)
    net, _ = two_networks(alice)
    SetNetworkField(net.id, "notes", "in current").do(alice)
    SetNetworkField(net.id, "notes", "in what-if").do(bob.scenario("what-if"))
    save_project(alice, shared_target)
    save_project(bob, shared_target)
    final = load_project(shared_target)
    assert final.networks[net.id].notes == "in current"
    assert final.scenario("what-if").networks[net.id].notes == "in what-if"
    assert {(e.scenario, e.new) for e in final.audit} >= {("current", "in current"), ("what-if", "in what-if")}


def test_a_scenario_added_by_someone_else_arrives_and_is_kept(shared_target):
    alice, bob = load_project(shared_target), load_project(shared_target)
    alice.copy_scenario(alice.active_scenario, "alice's idea")
    save_project(alice, shared_target)
    net, _ = two_networks(bob)
    SetNetworkField(net.id, "notes", "bob").do(bob)
    save_project(bob, shared_target)
    assert "alice's idea" in bob.scenario_names()
    final = load_project(shared_target)
    assert final.scenario_names() == [final.active_scenario, "alice's idea"]
    assert final.networks[net.id].notes == "bob"


def test_a_move_into_a_network_someone_else_changed_is_refused(shared_target):
    alice, bob = load_project(shared_target), load_project(shared_target)
    net, other = two_networks(alice)
    outsider_a = sorted(alice.members(other.id))[0]
    outsider_b = sorted(alice.members(other.id))[1]
    MovePractice(outsider_a, net.id).do(alice)
    save_project(alice, shared_target)
    MovePractice(outsider_b, net.id).do(bob)
    with pytest.raises(StaleSave):
        save_project(bob, shared_target)


# --- concurrent writers ------------------------------------------------------------------------
def run_workers(target: str, practices: list[str], count: int) -> list[list[str]]:
    half = len(practices) // 2
    groups = [practices[:half], practices[half:]]
    procs = [subprocess.Popen([sys.executable, str(HERE / "team_worker.py"), target, f"w{i}", ",".join(g),
                               str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
             for i, g in enumerate(groups)]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
        outputs.append([line[len("MOVED "):] for line in out.splitlines() if line.startswith("MOVED ")])
    return outputs


@pytest.mark.timeout(1200)
def test_two_processes_making_fifty_changes_each_lose_none(shared_target):
    project = load_project(shared_target)
    practices = sorted(c for c in project.practices if project.networks_of(c))[:10]
    audit_before = len(project.audit)
    outputs = run_workers(shared_target, practices, 50)
    assert [len(o) for o in outputs] == [50, 50]
    final = load_project(shared_target)
    moves = [e for e in final.audit[audit_before:] if e.what.startswith("practice ")]
    assert len(moves) == 100
    last: dict[str, str] = {}
    for line in outputs[0] + outputs[1]:
        code, key = line.split(" -> ")
        last[code] = key
    for code, key in last.items():
        assert [final.networks[n].key for n in final.networks_of(code)] == [key]
    # each worker's own order of moves is in the log, interleaved with the other's
    for out in outputs:
        mine = [line.split(" -> ") for line in out]
        logged = [(e.what.split()[1], e.new) for e in moves if e.what.split()[1] in {c for c, _ in mine}]
        assert logged == [tuple(m) for m in mine]


def test_kill_9_mid_save_on_postgresql_leaves_the_last_committed_state(pg_url, tmp_path):
    save_project(sample(), pg_url)
    committed = canonical_dump(load_project(pg_url))
    script = tmp_path / "slow_save.py"
    script.write_text(
        "import sys, time\n"
        "from pcn_desktop.store import load_project, save_project\n"
        "import pcn_desktop.store.project_file as pf\n"
        "from pcn_desktop.domain.commands import SetNetworkField\n"
        "p = load_project(sys.argv[1])\n"
        "for n in list(p.networks):\n"
        "    SetNetworkField(n, 'notes', 'half-written').do(p)\n"
        "real = pf._write_versions\n"
        "def slow(*a, **k):\n"
        "    real(*a, **k)\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
        "pf._write_versions = slow\n"
        "save_project(p, sys.argv[1])\n")
    proc = subprocess.Popen([sys.executable, str(script), pg_url], stdout=subprocess.PIPE, text=True, env=env())
    assert proc.stdout.readline().strip() == "writing"     # rows deleted and rewritten, not committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)
    after = load_project(pg_url)
    assert canonical_dump(after) == committed
    assert all(n.notes != "half-written" for n in after.networks.values())
    # and the database is not left locked: the next save goes through
    SetNetworkField(sorted(after.networks)[0], "notes", "next").do(after)
    save_project(after, pg_url)
    assert load_project(pg_url).networks[sorted(after.networks)[0]].notes == "next"


# --- history ------------------------------------------------------------------------------------
def test_history_lists_changes_with_filters_on_both_backends(shared_target, capsys):
    project = load_project(shared_target)
    net, other = two_networks(project)
    code = sorted(project.members(other.id))[0]
    MovePractice(code, net.id).do(project)
    SetNetworkField(other.id, "notes", "other note").do(project)
    save_project(project, shared_target)
    assert main(["history", shared_target, "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert {"when", "who", "scenario", "what", "old", "new"} == set(everything[0])
    assert everything[0]["what"] == f"network {other.key} notes"       # newest first
    assert main(["history", shared_target, "--json", "--network", net.key]) == 0
    about_net = json.loads(capsys.readouterr().out)
    assert [e["what"] for e in about_net] == [f"practice {code} network"]
    assert about_net[0]["old"] == other.key and about_net[0]["new"] == net.key
    assert main(["history", shared_target, "--json", "--since", "2999-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["history", shared_target, "--network", "NO SUCH"]) == 2
    assert main(["history", shared_target, "--json", "--scenario", "current"]) == 0
    in_current = json.loads(capsys.readouterr().out)
    assert in_current and all(e["scenario"] == "current" for e in in_current)
    assert main(["history", shared_target, "--scenario", "nowhere"]) == 2
    assert main(["history", shared_target]) == 0
    assert f"practice {code} network" in capsys.readouterr().out


def test_others_saves_are_taken_in_and_an_older_read_is_never_applied(shared_target):
    from pcn_desktop.store.syncing import fetch_others, take_in, take_in_others
    alice, bob = load_project(shared_target), load_project(shared_target)
    a_net, b_net = two_networks(alice)
    SetNetworkField(b_net.id, "notes", "bob 1").do(bob)
    save_project(bob, shared_target)
    SetNetworkField(a_net.id, "notes", "alice's unsaved").do(alice)
    found = take_in_others(alice, shared_target)
    assert found.pulled == {f"current|network:{b_net.id}"} and not found.conflicts
    assert alice.networks[b_net.id].notes == "bob 1" and alice.networks[a_net.id].notes == "alice's unsaved"
    assert take_in_others(alice, shared_target).pulled == set()         # nothing new since
    SetNetworkField(b_net.id, "notes", "bob 2").do(bob)
    save_project(bob, shared_target)
    fetched = fetch_others(alice, shared_target)
    save_project(alice, shared_target)                                  # takes in "bob 2" itself
    SetNetworkField(b_net.id, "notes", "bob 3").do(bob)
    assert take_in(alice, *fetched).pulled == set()                     # read before alice's save: stale
    assert alice.networks[b_net.id].notes == "bob 2"
    final = load_project(shared_target)
    assert final.networks[a_net.id].notes == "alice's unsaved" and final.networks[b_net.id].notes == "bob 2"


def test_a_save_committed_while_a_session_reads_the_database_is_not_undone(pg_url, monkeypatch):
    import pcn_desktop.store.project_file as project_file
    save_project(sample(), pg_url)
    other = load_project(pg_url)
    theirs, mine_net = two_networks(other)
    SetNetworkField(theirs.id, "notes", "saved meanwhile").do(other)
    real = project_file.read_versions

    def versions_read_after_a_save(rows):
        save_project(other, pg_url)           # commits on its own connection, mid-read
        return real(rows)
    monkeypatch.setattr(project_file, "read_versions", versions_read_after_a_save)
    mine = load_project(pg_url)
    monkeypatch.undo()
    SetNetworkField(mine_net.id, "notes", "mine").do(mine)
    save_project(mine, pg_url)
    final = load_project(pg_url)
    assert final.networks[theirs.id].notes == "saved meanwhile"
    assert final.networks[mine_net.id].notes == "mine"
    assert [e.new for e in final.audit if e.what.endswith(" notes")] == ["saved meanwhile", "mine"]
