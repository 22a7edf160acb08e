"""Scenarios: named complete configurations in one project (domain and store)."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pytest
from alembic import command
from builders import network, practice
from sqlalchemy import create_engine

from pcn_desktop.domain.commands import CommandStack, MovePractice, SetNetworkField
from pcn_desktop.domain.model import Membership, PlannedRole, Project
from pcn_desktop.domain.scenarios import UnknownScenario
from pcn_desktop.store import load_project, save_project
from pcn_desktop.store.migrations_runner import alembic_config


def two_networks() -> Project:
    p = Project()
    p.name = "Scenario CCG"
    network(p, "North", {"A00001": 20000, "A00002": 15000}, code="U00001")
    network(p, "South", {"A00003": 31000}, code="U00002")
    practice(p, "A00009", 900)
    return p


def test_a_new_project_has_one_scenario_current() -> None:
    p = Project()
    assert p.active_scenario == "current"
    assert p.scenario_names() == ["current"]
    assert p.scenario("current") is p


def test_a_copy_is_deep_and_shares_the_common_data() -> None:
    p = two_networks()
    north, south = p.find_network("U00001"), p.find_network("U00002")
    p.settings["geo_expected_parts"] = {north.id: 2}
    p.settings["contract_year"] = "2020/21"
    p.workforce[north.id].append(PlannedRole("GP", 1.0, "2020-04", "2021-03", 90000))
    copy = p.copy_scenario("current", "merge")
    assert p.scenario_names() == ["current", "merge"]
    assert copy.practices is p.practices and copy.list_sizes is p.list_sizes and copy.audit is p.audit
    # editing the copy leaves the original alone
    CommandStack(copy).push(MovePractice("A00003", north.id))
    CommandStack(copy).push(SetNetworkField(north.id, "name", "North and South"))
    copy.workforce[north.id][0].wte = 2.0
    copy.settings["geo_expected_parts"][north.id] = 3
    assert p.members(north.id) == {"A00001", "A00002"} and p.members(south.id) == {"A00003"}
    assert copy.members(north.id) == {"A00001", "A00002", "A00003"} and not copy.members(south.id)
    assert p.networks[north.id].name == "North"
    assert p.workforce[north.id][0].wte == 1.0
    assert p.settings["geo_expected_parts"] == {north.id: 2}
    # project-wide settings are shared
    copy.settings["contract_year"] = "2021/22"
    assert p.settings["contract_year"] == "2021/22"
    # the edit is journalled with the scenario it changed
    moved = [e for e in p.audit if e.what == "practice A00003 network"]
    assert [(e.old, e.new, e.scenario) for e in moved] == [("U00002", "U00001", "merge")]


def test_switching_swaps_what_the_live_project_shows() -> None:
    p = two_networks()
    north = p.find_network("U00001")
    copy = p.copy_scenario("current", "merge")
    copy.add_membership(Membership("A00009", north.id))
    revision = p.revision
    p.activate_scenario("merge")
    assert p.active_scenario == "merge" and p.scenario_name == "merge"
    assert "A00009" in p.members(north.id)
    assert p.revision > revision                       # views redraw
    old = p.scenario("current")
    assert old is not p and "A00009" not in old.members(north.id)
    assert old.active_scenario == "merge"
    p.activate_scenario("current")
    assert "A00009" not in p.members(north.id)
    assert p.scenario("merge").members(north.id) == {"A00001", "A00002", "A00009"}


def test_rename_delete_and_their_refusals() -> None:
    p = two_networks()
    p.copy_scenario("current", "a")
    p.copy_scenario("current", "b")
    p.rename_scenario("a", "option A")
    p.rename_scenario("current", "as is")
    assert p.scenario_names() == ["as is", "b", "option A"]         # a copy comes after its source
    assert p.active_scenario == "as is"
    with pytest.raises(ValueError, match="already exists"):
        p.rename_scenario("b", "Option a")
    with pytest.raises(ValueError, match="needs a name"):
        p.copy_scenario("b", "  ")
    with pytest.raises(ValueError, match="is open"):
        p.delete_scenario("as is")
    p.delete_scenario("b")
    p.delete_scenario("option A")
    assert p.scenario_names() == ["as is"]
    with pytest.raises(ValueError, match="at least one"):
        Project().delete_scenario("current")


def test_an_unknown_scenario_is_refused_with_the_known_ones() -> None:
    p = two_networks()
    p.copy_scenario("current", "merge")
    with pytest.raises(UnknownScenario) as err:
        p.scenario("nope")
    assert str(err.value) == "unknown scenario 'nope'; known: current, merge"
    assert isinstance(err.value, ValueError)
    for call in (lambda: p.activate_scenario("nope"), lambda: p.copy_scenario("nope", "x"),
                 lambda: p.rename_scenario("nope", "x"), lambda: p.delete_scenario("nope")):
        with pytest.raises(UnknownScenario):
            call()


def test_every_scenario_is_saved_and_opened(tmp_path) -> None:
    p = two_networks()
    north = p.find_network("U00001")
    merge = p.copy_scenario("current", "merge")
    CommandStack(merge).push(MovePractice("A00003", north.id))
    merge.settings["boundaries"] = {"built": {"E01000001": north.id}}
    p.activate_scenario("merge")
    path = tmp_path / "s.pcnproj"
    save_project(p, path)
    q = load_project(path)
    assert q.scenario_names() == ["current", "merge"] and q.active_scenario == "merge"
    assert q.members(north.id) == {"A00001", "A00002", "A00003"}
    assert q.scenario("current").members(north.id) == {"A00001", "A00002"}
    assert q.settings["boundaries"] == {"built": {"E01000001": north.id}}
    assert "boundaries" not in q.scenario("current").settings
    assert [e.scenario for e in q.audit if e.what.startswith("practice")] == ["merge"]


# --- an older file ----------------------------------------------------------------------
def _old_format_file(path) -> None:
    """A project as version 0001 wrote it: one configuration, what-if workforce lines."""
    engine = create_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        settings = {"contract_year": "2020/21", "geo_expected_parts": {"n1": 2}}
        conn.exec_driver_sql("INSERT INTO project_meta VALUES ('name', 'Old CCG'), ('settings', ?)",
                             (json.dumps(settings),))
        for code in ("A00001", "A00002", "A00003"):
            conn.exec_driver_sql("INSERT INTO practice (code, name, address, postcode, status, commissioner) "
                                 "VALUES (?, ?, '', '', 'A', '')", (code, code))
        for nid, name in (("n1", "North"), ("n2", "South")):
            conn.exec_driver_sql("INSERT INTO network VALUES (?, '', ?, '', '', '', '', NULL, '')", (nid, name))
        conn.exec_driver_sql("INSERT INTO membership (practice_code, network_id, start, \"end\") VALUES "
                             "('A00001', 'n1', '2019-07-01', NULL), ('A00002', 'n1', NULL, NULL), "
                             "('A00003', 'n2', NULL, NULL), ('A00003', 'n1', '2019-07-01', '2020-03-31')")
        conn.exec_driver_sql("INSERT INTO area_assignment VALUES ('E01', 'n1')")
        conn.exec_driver_sql("INSERT INTO workforce_plan (network_id, role, wte, start, \"end\", annual_cost, "
                             "scenario) VALUES ('n1', 'GP', 1, '2020-04', '2021-03', 90000, ''), "
                             "('n2', 'Nurse', 1, '2020-04', '2021-03', 40000, ''), "
                             "('n1', 'GP', 2, '2020-04', '2021-03', 90000, 'Two GPs')")
        conn.exec_driver_sql("INSERT INTO audit_log (what, old, new, \"when\", who) VALUES "
                             "('made', '', '', '2020-01-01 10:00:00', 'me')")
    engine.dispose()


def test_an_older_file_opens_with_one_scenario_current_and_its_what_ifs(tmp_path) -> None:
    path = tmp_path / "old.pcnproj"
    _old_format_file(path)
    with closing(sqlite3.connect(path)) as conn:
        before = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    p = load_project(path)
    with closing(sqlite3.connect(path)) as conn:              # opened in a copy: the file is as it was
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == before == [("0001",)]
    assert p.scenario_names() == ["current", "Two GPs"] and p.active_scenario == "current"
    assert p.members("n1") == {"A00001", "A00002"} and p.members("n2") == {"A00003"}
    assert [(m.practice_code, m.end) for m in p.memberships if m.end] == [("A00003", date(2020, 3, 31))]
    assert [r.wte for r in p.workforce["n1"]] == [1.0] and [r.role for r in p.workforce["n2"]] == ["Nurse"]
    assert p.area_assignments == {"E01": "n1"}
    assert p.settings["geo_expected_parts"] == {"n1": 2} and p.settings["contract_year"] == "2020/21"
    what_if = p.scenario("Two GPs")
    assert what_if.members("n1") == {"A00001", "A00002"}
    assert [r.wte for r in what_if.workforce["n1"]] == [2.0]                   # its own lines
    assert [r.role for r in what_if.workforce["n2"]] == ["Nurse"]              # the plan where it had none
    assert what_if.settings["geo_expected_parts"] == {"n1": 2}
    assert [(e.what, e.scenario) for e in p.audit] == [("made", "")]
    # and it saves in the new format and opens again the same
    out = tmp_path / "new.pcnproj"
    save_project(p, out)
    q = load_project(out)
    assert q.scenario_names() == p.scenario_names()
    assert [r.wte for r in q.scenario("Two GPs").workforce["n1"]] == [2.0]
