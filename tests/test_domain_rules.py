from datetime import date

from builders import network, practice

from pcn_desktop.domain.findings import Severity
from pcn_desktop.domain.model import Membership, PracticeStatus, Project
from pcn_desktop.domain.rules import FindingsCache, evaluate
from pcn_desktop.domain.settings import RuleSettings, SettingsError

SETTINGS = RuleSettings()


def rules_of(project, settings=SETTINGS):
    return sorted((f.rule, f.network or f.practice, f.value) for f in evaluate(project, settings))


def test_a_complete_network_has_no_findings():
    p = Project()
    network(p, "North", {"A00001": 20000, "A00002": 15000}, code="U00001")
    assert rules_of(p) == []


def test_list_below_minimum_is_an_error_naming_the_size():
    p = Project()
    network(p, "Small", {"A00001": 20000, "A00002": 9999})
    found = evaluate(p, SETTINGS)
    assert [(f.rule, f.severity, f.value) for f in found] == [("list-size-minimum", Severity.ERROR, 29999)]
    assert "29,999" in found[0].message and "30,000" in found[0].message


def test_exemption_waives_the_minimum_but_needs_a_reason():
    p = Project()
    net = network(p, "Fells", {"A00001": 12000, "A00002": 9000})
    net.exemption = "rural"
    assert rules_of(p) == [("exemption-without-reason", "Fells", None)]
    net.exemption_reason = "Natural community over 400 km² of upland"
    assert rules_of(p) == []


def test_minimum_is_a_setting():
    p = Project()
    network(p, "Small", {"A00001": 20000, "A00002": 9999})
    assert rules_of(p, RuleSettings(minimum_list=25000)) == []


def test_list_counted_at_the_setting_date():
    p = Project()
    network(p, "Grows", {"A00001": 29000, "A00002": 500})
    p.list_sizes["A00001"][date(2021, 1, 1)] = 31000
    # Default counts at 1 January of the latest extract's year (2021): 31,500.
    assert rules_of(p) == []
    # Counted at 1 January 2020 the network was short.
    assert rules_of(p, RuleSettings(list_date=date(2020, 1, 1))) == [("list-size-minimum", "Grows", 29500)]


def test_director_rules():
    p = Project()
    net = network(p, "North", {"A00001": 30000, "A00002": 20000})
    net.director.practice_code = "Z99999"
    net.director.wte = 0.2
    assert rules_of(p) == [("director-not-member", "North", "Z99999"), ("director-wte-low", "North", 0.2)]
    net.director = None
    assert rules_of(p) == [("director-missing", "North", None)]


def test_payee_rules_and_setting():
    p = Project()
    net = network(p, "North", {"A00001": 30000, "A00002": 2000})
    net.nominated_payee = "A00009"
    assert rules_of(p) == [("payee-not-member", "North", "A00009")]
    net.nominated_payee = ""
    assert rules_of(p) == [("payee-missing", "North", None)]
    assert rules_of(p, RuleSettings(payee_required=False)) == []


def test_coverage_rules():
    p = Project()
    a = network(p, "North", {"A00001": 30000, "A00002": 2000})
    b = network(p, "South", {"A00003": 31000, "A00004": 1000})
    practice(p, "A00005", 4000)
    p.add_membership(Membership("A00002", b.id))
    found = rules_of(p)
    assert ("practice-unassigned", "A00005", 4000) in found
    assert ("practice-in-several-networks", "North", 2) in found


def test_closed_and_single_and_large():
    p = Project()
    network(p, "Big", {"A00001": 40000, "A00002": 20000})
    network(p, "Solo", {"A00003": 33000})
    p.practices["A00002"].status = PracticeStatus.CLOSED
    found = rules_of(p)
    assert ("closed-practice-member", "Big", "Closed") in found
    assert ("large-network", "Big", 60000) in found
    assert ("single-practice-network", "Solo", 1) in found


def test_dormant_practice_with_no_patients_counts_as_closed():
    p = Project()
    network(p, "Net", {"A00001": 40000, "A00002": 0})
    p.practices["A00002"].status = PracticeStatus.DORMANT
    assert p.is_closed("A00002")
    p.list_sizes["A00002"][date(2020, 1, 1)] = 10
    assert not p.is_closed("A00002")


def test_findings_cache_rechecks_only_touched_networks_and_matches_full_run():
    p = Project()
    a = network(p, "North", {"A00001": 25000, "A00002": 6000})
    b = network(p, "South", {"A00003": 31000, "A00004": 1000})
    cache = FindingsCache(p, SETTINGS)
    assert cache.findings() == []
    p.remove_membership("A00002", a.id)
    p.add_membership(Membership("A00002", b.id))
    assert cache.refresh({a.id, b.id}) == evaluate(p, SETTINGS)
    assert [f.rule for f in cache.for_network(a.id)] == ["list-size-minimum", "single-practice-network"]


def test_settings_refuse_bad_values_by_name():
    import pytest
    with pytest.raises(SettingsError, match="minimum_list"):
        RuleSettings.from_mapping({"minimum_list": "many"})
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        RuleSettings.from_mapping({"colour": 1})


def test_several_networks_index_stays_right_through_moves_and_undo():
    from pcn_desktop.domain.commands import CommandStack, DissolveNetwork, MergeNetworks, MovePractice
    p = Project()
    a = network(p, "North", {"A00001": 30000, "A00002": 2000})
    b = network(p, "South", {"A00003": 31000, "A00004": 1000})
    c = network(p, "East", {"A00005": 33000})
    p.add_membership(Membership("A00002", b.id))
    p.add_membership(Membership("A00002", c.id))
    p.add_membership(Membership("A00003", c.id))

    def several():
        brute = {code for code in p.practices if len(p.networks_of(code)) > 1}
        assert p.in_several_networks() == brute
        return sorted((f.practice, f.value) for f in evaluate(p, SETTINGS)
                      if f.rule == "practice-in-several-networks")

    assert several() == [("A00002", 3), ("A00003", 2)]
    stack = CommandStack(p)
    stack.push(MovePractice("A00002", a.id))              # ends all three, joins North only
    assert several() == [("A00003", 2)]
    stack.push(MovePractice("A00003", None))
    assert several() == []
    stack.push(MergeNetworks(a.id, b.id))
    stack.push(DissolveNetwork(c.id))
    assert several() == []
    stack.undo()
    stack.undo()
    assert several() == []
    stack.undo()
    assert several() == [("A00003", 2)]
    stack.undo()
    assert several() == [("A00002", 3), ("A00003", 2)]
    stack.redo()
    assert several() == [("A00003", 2)]
    p.remove_membership("A00003", b.id)
    assert several() == []
