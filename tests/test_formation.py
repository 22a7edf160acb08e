"""Proposals (issue 11): every one passes the rules engine, the first is the lexicographic
minimum found by brute force, later ones are distinct, and each constraint holds."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from builders import LIST_DATE, network, practice
from formation_helpers import apply_moves, brute_force, errors, haversine

from pcn_desktop.domain.commands import SetDirector, SetNetworkField
from pcn_desktop.domain.model import ClinicalDirector, Project
from pcn_desktop.formation import FormationError, ProposeOptions, apply_proposal, propose
from pcn_desktop.formation.engine import Cancel, ProposeCancelled
from pcn_desktop.paths import resource
from pcn_desktop.settings import rule_settings_for
from pcn_desktop.store import load_project

# Where each synthetic practice stands (lat, lon): three clusters a few km apart.
SITES = {
    "A1": (53.750, -2.480), "A2": (53.755, -2.470), "A3": (53.760, -2.430),
    "B1": (53.760, -2.400), "B2": (53.765, -2.390), "B3": (53.745, -2.420),
    "C1": (53.720, -2.450), "C2": (53.725, -2.440), "U1": (53.740, -2.445),
}


def small_project() -> Project:
    """A under 30,000 (27,000), B and C just over, U1 in no network: small enough to enumerate."""
    project = Project()
    network(project, "Alpha", {"A1": 12000, "A2": 10000, "A3": 5000}, code="UA")
    network(project, "Beta", {"B1": 15000, "B2": 9000, "B3": 8000}, code="UB")
    network(project, "Gamma", {"C1": 20000, "C2": 12000}, code="UC")
    practice(project, "U1", 4000)
    for code, (lat, lon) in SITES.items():
        project.practices[code].latitude, project.practices[code].longitude = lat, lon
    return project


def _brute(project: Project, extra=lambda a: True, allow_dissolve: bool = False):
    nets = {n.key: n.id for n in project.networks.values()}
    codes = sorted(project.practices)
    sizes = {c: project.list_size(c, LIST_DATE) for c in codes}
    current = {c: project.network_of(c).key for c in codes if project.network_of(c)}
    anchors = {}
    for key, nid in nets.items():
        mem = project.members(nid)
        w = sum(sizes[c] for c in mem)
        anchors[key] = (sum(SITES[c][0] * sizes[c] for c in mem) / w, sum(SITES[c][1] * sizes[c] for c in mem) / w)
    needed = {n.key: {n.nominated_payee, n.director.practice_code} for n in project.networks.values()}

    def valid(a):
        for key in nets:
            members = [c for c in codes if a[c] == key]
            if not members:
                if not allow_dissolve:
                    return False
                continue
            if sum(sizes[c] for c in members) < 30000 or not needed[key] <= set(members):
                return False
        return extra(a)

    return brute_force(codes, sizes, current, sorted(nets), valid, lambda c, k: haversine(SITES[c], anchors[k]))


def _assignment(project: Project, proposal) -> dict[str, str]:
    out = {c: (project.network_of(c).key if project.network_of(c) else "") for c in project.practices}
    for m in proposal.moves:
        out[m.practice] = m.to_key
    return out


def _passes(build, proposal) -> None:
    """Apply the JSON moves to a fresh copy with plain commands; the rules engine has the last word."""
    fresh = build()
    apply_moves(fresh, [m.as_json() for m in proposal.moves], [k for _, k in proposal.dissolved])
    assert errors(fresh) == []


def test_first_proposal_is_the_brute_force_minimum_and_later_ones_are_distinct():
    project = small_project()
    result = propose(project, rule_settings_for(project), ProposeOptions(count=3))
    ranked = _brute(project)
    assert len(ranked) > 10                               # a real choice, not a forced one
    best_score, best = ranked[0]
    first = result.proposals[0]
    assert first.optimal
    assert (first.scores["practices_moved"], first.scores["patients_moved"]) == best_score[:2]
    assert first.scores["distance_objective_patient_km"] == round(best_score[2] * 0.1)
    assert _assignment(project, first) == best
    # the second is the best of what does not contain every move of the first, and so on
    now = {c: (project.network_of(c).key if project.network_of(c) else "") for c in project.practices}

    def moves_of(a):
        return {(c, k) for c, k in a.items() if k != now[c]}

    seen: list[set[tuple[str, str]]] = []
    for proposal in result.proposals:
        moves = {(m.practice, m.to_key) for m in proposal.moves}
        assert moves == moves_of(_assignment(project, proposal))
        assert all(not earlier <= moves for earlier in seen)
        allowed = [(score, b) for score, b in ranked if all(not earlier <= moves_of(b) for earlier in seen)]
        assert (proposal.scores["practices_moved"], proposal.scores["patients_moved"]) == allowed[0][0][:2]
        assert proposal.scores["distance_objective_patient_km"] == round(allowed[0][0][2] * 0.1)
        assert proposal.optimal
        seen.append(moves)
        _passes(small_project, proposal)
    assert len(result.proposals) == 3


def test_constraints_hold_and_stay_minimal():
    project = small_project()
    opts = ProposeOptions(count=2, maximum=40000, lock=("UC",), together=(("A3", "B3"),), apart=(("A2", "U1"),))

    def extra(a):
        sizes = {c: project.list_size(c, LIST_DATE) for c in a}
        return (all(sum(sizes[c] for c in a if a[c] == k) <= 40000 for k in ("UA", "UB", "UC"))
                and a["C1"] == a["C2"] == "UC" and [c for c in a if a[c] == "UC"] == ["C1", "C2"]
                and a["A3"] == a["B3"] and a["A2"] != a["U1"])

    ranked = _brute(project, extra)
    result = propose(project, rule_settings_for(project), opts)
    first = result.proposals[0]
    a = _assignment(project, first)
    assert extra(a)
    assert (first.scores["practices_moved"], first.scores["patients_moved"]) == ranked[0][0][:2]
    same = [s for s, _ in ranked if s[:2] == ranked[0][0][:2]]
    assert [s for s, b in ranked if b == a][0] == same[0]          # and the closest of those
    for proposal in result.proposals:
        _passes(small_project, proposal)
        assert extra(_assignment(project, proposal))


def test_dissolving_only_when_allowed():
    project = small_project()
    settings = rule_settings_for(project)
    kept = propose(project, settings, ProposeOptions(count=3, minimum=31000))
    assert all(not p.dissolved for p in kept.proposals)
    ranked = _brute(project, allow_dissolve=True)
    loose = propose(project, settings, ProposeOptions(count=1, minimum=30000, allow_dissolve=True))
    assert (loose.proposals[0].scores["practices_moved"], loose.proposals[0].scores["patients_moved"]) == ranked[0][0][:2]
    merged = propose(project, settings, ProposeOptions(count=1, minimum=45000, allow_dissolve=True))
    assert merged.proposals[0].dissolved                              # 95,000 patients: at most two networks reach 45,000
    with pytest.raises(FormationError, match="no configuration"):
        propose(project, settings, ProposeOptions(minimum=45000))


def test_distance_limit_only_joins_networks_with_a_member_that_close():
    project = small_project()
    result = propose(project, rule_settings_for(project), ProposeOptions(count=3, max_distance_km=3.0))
    for proposal in result.proposals:
        for m in proposal.moves:
            net = project.find_network(m.to_key)
            assert min(haversine(SITES[m.practice], SITES[c]) for c in project.members(net.id)) <= 3.0
    with pytest.raises(FormationError):
        propose(project, rule_settings_for(project), ProposeOptions(max_distance_km=0.1))


def test_exempt_networks_keep_their_exemption_and_their_members():
    project = small_project()
    alpha = project.find_network("UA")
    SetNetworkField(alpha.id, "exemption", "rural").do(project)
    SetNetworkField(alpha.id, "exemption_reason", "moorland").do(project)
    result = propose(project, rule_settings_for(project), ProposeOptions(count=2, allow_dissolve=True))
    first = result.proposals[0]
    # Alpha needs nothing now; only U1 must find a network
    assert [m.practice for m in first.moves] == ["U1"]
    assert all("UA" not in [k for _, k in p.dissolved] for p in result.proposals)


def test_payee_and_director_stay_with_their_network():
    project = small_project()
    result = propose(project, rule_settings_for(project), ProposeOptions(count=3))
    for proposal in result.proposals:
        moved = {m.practice for m in proposal.moves}
        assert not moved & {"A1", "B1", "C1"}


def test_already_valid_means_nothing_to_change():
    project = Project()
    network(project, "Alpha", {"A1": 16000, "A2": 15000}, code="UA")
    result = propose(project, rule_settings_for(project), ProposeOptions(count=3))
    assert len(result.proposals) == 1 and result.proposals[0].moves == []
    assert "nothing to change" in result.note


def test_unknown_codes_are_refused_by_name():
    project = small_project()
    with pytest.raises(FormationError, match="ZZZ"):
        propose(project, rule_settings_for(project), ProposeOptions(lock=("ZZZ",)))
    with pytest.raises(FormationError, match="Q9"):
        propose(project, rule_settings_for(project), ProposeOptions(together=(("A1", "Q9"),)))


def test_cancel_stops_without_changing_anything():
    project = small_project()
    cancel = Cancel()
    cancel.request()
    before = (project.revision, len(project.audit))
    with pytest.raises(ProposeCancelled):
        propose(project, rule_settings_for(project), ProposeOptions(count=2), cancel=cancel)
    assert len(project.audit) == before[1]


def test_checking_leaves_no_trace_in_the_project():
    project = small_project()
    members = {n: set(project.members(n)) for n in project.networks}
    propose(project, rule_settings_for(project), ProposeOptions(count=3))
    assert {n: set(project.members(n)) for n in project.networks} == members
    assert project.audit == []


def build_sample_project() -> Project:
    return load_project(resource("sample", "sample_ccg.pcnproj"))


def _complete_sample() -> Project:
    """The sample CCG with the two hand edits no move can make (a director, an agreement)."""
    project = build_sample_project()
    east = project.find_network("U90002")
    member = sorted(project.members(east.id))[0]
    SetDirector(east.id, ClinicalDirector("Dr E Example", member, "GMC", "7654321", 0.3, date(2019, 7, 1))).do(project)
    SetNetworkField(east.id, "agreement_signed", date(2019, 6, 30)).do(project)
    return project


@pytest.mark.parametrize("options", [
    ProposeOptions(count=3),
    ProposeOptions(count=3, minimum=40000, allow_dissolve=True),
    ProposeOptions(count=2, minimum=40000, max_distance_km=5, touching=True, same_place=True),
    ProposeOptions(count=2, minimum=38000, maximum=55000, lock=("U90001",)),
])
def test_sample_proposals_pass_the_rules_engine(options):
    project = _complete_sample()
    result = propose(project, rule_settings_for(project), options)
    assert result.proposals
    for proposal in result.proposals:
        assert proposal.remaining_errors == []
        _passes(_complete_sample, proposal)
        if options.minimum:
            fresh = _complete_sample()
            apply_moves(fresh, [m.as_json() for m in proposal.moves], [k for _, k in proposal.dissolved])
            at = rule_settings_for(fresh).counting_date(fresh.list_dates())
            for net in fresh.networks.values():
                if not net.exemption and fresh.members(net.id):
                    assert fresh.network_list_size(net.id, at) >= options.minimum


def test_sample_errors_no_move_can_fix_are_listed_not_hidden():
    project = build_sample_project()
    result = propose(project, rule_settings_for(project), ProposeOptions())
    assert sorted(f.rule for f in result.proposals[0].remaining_errors) == ["agreement-unsigned", "director-missing"]


def test_boundaries_follow_the_moves():
    project = _complete_sample()
    result = propose(project, rule_settings_for(project), ProposeOptions(minimum=40000, count=1))
    proposal = result.proposals[0]
    before = dict(project.area_assignments)
    outlines = {nid: b.geometry for nid, b in project.boundaries.items()}
    stack = apply_proposal(project, proposal)
    changed = {a for a in set(before) | set(project.area_assignments) if before.get(a) != project.area_assignments.get(a)}
    assert changed                                         # the areas went with the practices
    touched = {m.to_id for m in proposal.moves} | {m.from_id for m in proposal.moves if m.from_id}
    assert any(not project.boundaries[n].geometry.equals(outlines[n]) for n in touched if n in outlines)
    while stack.done:
        stack.undo()
    assert project.area_assignments == before


def test_a_working_copy_is_tried_on_without_touching_the_original():
    from pcn_desktop.formation import working_copy
    project = build_sample_project()
    members = {n: set(project.members(n)) for n in project.networks}
    areas, audit = dict(project.area_assignments), list(project.audit)
    twin = working_copy(project)
    result = propose(twin, rule_settings_for(twin), ProposeOptions(minimum=40000))
    apply_proposal(twin, result.proposals[0])
    assert {n: set(twin.members(n)) for n in twin.networks} != members
    assert {n: set(project.members(n)) for n in project.networks} == members
    assert project.area_assignments == areas and project.audit == audit
    assert twin.practices is project.practices                  # shared data is not copied


def test_fewest_moves_come_before_fewest_patients_and_distance_breaks_ties():
    """X is 4,000 short: one 5,000 practice from Y (1 move, 5,000 patients) beats two of
    2,000 from Z (2 moves, 4,000 patients); of two 5,000 practices, the nearer one goes."""
    project = Project()
    network(project, "X", {"X1": 16000, "X2": 10000}, code="UX")
    network(project, "Y", {"Y1": 30000, "Y2": 5000, "Y3": 5000}, code="UY")
    network(project, "Z", {"Z1": 36000, "Z2": 2000, "Z3": 2000}, code="UZ")
    sites = {"X1": (53.70, -2.40), "X2": (53.70, -2.41), "Y1": (53.80, -2.40), "Y2": (53.72, -2.40),
             "Y3": (53.78, -2.40), "Z1": (53.60, -2.40), "Z2": (53.69, -2.40), "Z3": (53.69, -2.41)}
    for code, (lat, lon) in sites.items():
        project.practices[code].latitude, project.practices[code].longitude = lat, lon
    result = propose(project, rule_settings_for(project), ProposeOptions(count=2))
    first, second = result.proposals
    assert [(m.practice, m.to_key) for m in first.moves] == [("Y2", "UX")]
    assert [(m.practice, m.to_key) for m in second.moves] == [("Y3", "UX")]
    assert first.scores["distance_objective_patient_km"] < second.scores["distance_objective_patient_km"]
