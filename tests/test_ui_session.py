"""A random workshop session in the window: every view still agrees with the project.

Three hundred operations drawn from a seeded generator (moves, renames, new, dissolved,
merged and split networks, areas assigned, directors, planned roles, funding inputs and
allowed boundary parts set, undo and redo, scenarios copied, opened, renamed and deleted,
presentation mode and the compact layout toggled, the map redrawn, panes raised, the window
resized), with the event loop running between them as it does for a user. Then,
independently of the views' own incremental updates:
  * no exception reached the window's handler;
  * the networks and practices tables show each network's name and each practice's network
    as the project has them;
  * the findings shown equal a fresh evaluation of the rules on the project;
  * the map, once settled, draws each practice in the network the project puts it in;
  * saved and opened again, the project is the same: every scenario's networks (directors
    included), memberships, areas, planned roles, settings and findings, and the whole history.
"""
from __future__ import annotations

import PySide6.QtWebEngineWidgets  # noqa: F401 — before any QApplication exists

import dataclasses
import json
import random
import sys
import traceback

import pytest
from PySide6.QtWidgets import QApplication

from pcn_desktop.domain.commands import (AssignArea, CreateNetwork, DissolveNetwork, MergeNetworks, MovePractice,
                                         SetDirector, SetNetworkField, SplitNetwork)
from pcn_desktop.domain.model import ClinicalDirector, PlannedRole
from pcn_desktop.domain.rules import evaluate
from pcn_desktop.domain.scenario_commands import ActivateScenario, CopyScenario, DeleteScenario, RenameScenario
from pcn_desktop.funding.commands import AddPlannedRole, RemovePlannedRole, SetFundingInput
from pcn_desktop.geo.commands import SetExpectedParts
from pcn_desktop.paths import resource
from pcn_desktop.settings import rule_settings_for
from pcn_desktop.store import load_project
from pcn_desktop.ui.document import Document
from pcn_desktop.ui.main_window import MainWindow
from pcn_desktop.ui.models.networks_model import NAME
from pcn_desktop.ui.models.practices_model import CODE, NETWORK

pytestmark = pytest.mark.usefixtures("qapp")
OPERATIONS = 300


def operate(w: MainWindow, rnd: random.Random, turn: int) -> None:
    p = w.document.project
    nets, codes, areas = list(p.networks), sorted(p.practices), sorted(p.areas)
    r = rnd.random()
    if r < 0.3 and nets:
        w.move_practices([rnd.choice(codes)], rnd.choice(nets + [None]))
    elif r < 0.4 and nets:
        field = rnd.choice(["name", "notes"])
        w.push(SetNetworkField(rnd.choice(nets), field, f"Net {rnd.randint(1, 999)}" if field == "name"
                               else "n" * rnd.randint(0, 200)))
    elif r < 0.45:
        w.push(CreateNetwork(f"New {turn}", practices=[rnd.choice(codes)]))
    elif r < 0.48 and len(nets) > 2:
        w.push(DissolveNetwork(rnd.choice(nets)))
    elif r < 0.51 and len(nets) > 2:
        keep, absorb = rnd.sample(nets, 2)
        w.push(MergeNetworks(keep, absorb))
    elif r < 0.54 and nets:
        network = rnd.choice(nets)
        members = sorted(p.members(network))
        if len(members) > 1:
            w.push(SplitNetwork(network, members[:1], f"Split {turn}"))
    elif r < 0.58 and areas and nets:
        w.push(AssignArea(rnd.choice(areas), rnd.choice(nets + [None])))
    elif r < 0.7:
        (w.document.stack.undo if rnd.random() < 0.6 else w.document.stack.redo)()
    elif r < 0.74:
        name = f"S{turn}"
        w.push(CopyScenario(p.active_scenario, name))
        if rnd.random() < 0.5:
            w.push(ActivateScenario(name))
    elif r < 0.77:
        w.push(ActivateScenario(rnd.choice(p.scenario_names())))
    elif r < 0.78:
        others = [n for n in p.scenario_names() if n != p.active_scenario]
        if others:
            w.push(DeleteScenario(rnd.choice(others)))
    elif r < 0.8:
        w.presentation_action.toggle()
    elif r < 0.82:
        w.set_compact(not w.compact)
    elif r < 0.86:
        w.docks[rnd.choice(sorted(w.docks))].raise_()
    elif r < 0.88:
        w.map_pane.render()
    elif r < 0.9:
        w.resize(rnd.randint(900, 1500), rnd.randint(600, 950))
    elif r < 0.97 and nets:
        governance(w, rnd, turn, rnd.choice(nets))
    elif nets:
        w.select_network(rnd.choice(nets))


def governance(w: MainWindow, rnd: random.Random, turn: int, network: str) -> None:
    """The other edits a workshop makes: directors, planned roles, funding inputs, allowed
    boundary parts, a scenario's name."""
    p = w.document.project
    r = rnd.random()
    if r < 0.3:
        members = sorted(p.members(network))
        w.push(SetDirector(network, ClinicalDirector(f"Dr {turn}", rnd.choice(members) if members else "",
                                                     "GMC", str(1_000_000 + turn), rnd.choice([0.25, 0.5, 1.0]))))
    elif r < 0.4:
        w.push(SetDirector(network, None))
    elif r < 0.6:
        w.push(AddPlannedRole(network, PlannedRole(rnd.choice(["Clinical pharmacist", "Care coordinator"]),
                                                   rnd.choice([0.5, 1.0]), "2020-04", "2021-03", 40_000.0)))
    elif r < 0.7 and p.workforce.get(network):
        w.push(RemovePlannedRole(network, 0))
    elif r < 0.8:
        w.push(SetExpectedParts(network, rnd.choice([1, 2, 3])))
    elif r < 0.9:
        w.push(SetFundingInput(network, rnd.choice(["weighted_population", "adjusted_population", "care_home_beds"]),
                               float(rnd.randint(1_000, 50_000)), rnd.choice(["2020/21", "2021/22"])))
    else:
        w.push(RenameScenario(p.active_scenario, f"R{turn}"))


def drawn_networks(qtbot, w: MainWindow) -> dict[str, str]:
    box: list = []
    w.map_pane.view.page().runJavaScript(
        "JSON.stringify((function(){var o={};pcnLayers.practices.eachLayer(function(l){"
        "var p=l.feature.properties;o[p.code]=p.network||'';});return o;})())", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(box[0])


def contents(project) -> dict:  # noqa: ANN001 — a Project
    """Every scenario's networks (all their fields, directors included), memberships, areas,
    planned roles, settings and findings, and the log."""
    out: dict = {"active": project.active_scenario, "order": project.scenario_names(),
                 "audit": [dataclasses.astuple(e) for e in project.audit]}
    for scenario in project.scenarios():
        out[scenario.scenario_name] = (
            sorted(dataclasses.astuple(n) for n in scenario.networks.values()),
            sorted((m.practice_code, m.network_id, m.start, m.end) for m in scenario.memberships),
            sorted(scenario.area_assignments.items()),
            sorted((nid, [dataclasses.astuple(r) for r in roles]) for nid, roles in scenario.workforce.items()
                   if roles and nid in scenario.networks),
            repr(sorted((key, repr(value)) for key, value in scenario.settings.items())),
            sorted((f.rule, f.network or "", f.practice or "", f.message)
                   for f in evaluate(scenario, rule_settings_for(scenario))))
    return out


@pytest.mark.parametrize("seed", [11, 29])
def test_after_a_random_session_every_view_agrees_with_the_project(qtbot, seed, tmp_path):
    path = resource("sample", "sample_ccg.pcnproj")
    if not path.is_file():
        pytest.skip(f"sample project missing: {path}")
    w = MainWindow(Document.open(path, untitled=True))
    w.show()
    qtbot.waitUntil(lambda: w.map_pane.is_drawn, timeout=30_000)
    caught: list[str] = []
    hook = sys.excepthook
    sys.excepthook = lambda t, v, tb: caught.append("".join(traceback.format_exception(t, v, tb)))
    try:
        rnd = random.Random(seed)
        for turn in range(OPERATIONS):
            operate(w, rnd, turn)
            for _ in range(rnd.randint(1, 4)):
                QApplication.processEvents()
        if w.presentation_state is not None:
            w.presentation_action.toggle()
        project = w.document.project
        assert caught == []

        networks = w.networks_model
        shown = {networks.id_at(r): networks.index(r, NAME).data() for r in range(networks.rowCount())}
        assert shown == {nid: net.name for nid, net in project.networks.items()}
        practices = w.practices_model
        in_table = {practices.index(r, CODE).data(): practices.index(r, NETWORK).data()
                    for r in range(practices.rowCount())}
        expected = {code: (net.name if (net := project.network_of(code)) else "(unassigned)")
                    for code in project.practices}
        assert in_table == expected

        def key(f):  # noqa: ANN001, ANN202
            return (f.rule, f.network or "", f.practice or "", f.message)
        fresh = sorted(map(key, evaluate(project, w.document.settings)))
        assert sorted(map(key, w.document.current_findings)) == fresh
        assert w.findings_model.rowCount() == len(fresh)

        # the map settles (a pending redraw runs) and draws every practice where it is
        names = {code: (net.name if (net := project.network_of(code)) else "unassigned") for code in project.practices}
        w.map_pane.render()
        qtbot.waitUntil(lambda: w.map_pane.is_drawn and w.map_pane._task is None
                        and not w.map_pane._rerender.isActive(), timeout=30_000)
        qtbot.waitUntil(lambda: drawn_networks(qtbot, w) == names, timeout=15_000)

        saved = w.document.save(tmp_path / "session.pcnproj")
        assert contents(load_project(saved)) == contents(project)
    finally:
        sys.excepthook = hook
        w.document.stack.setClean()
        w.close()
        w.deleteLater()
