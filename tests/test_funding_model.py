"""Worked examples computed by hand from the published figures (pcn-des-reference.md §3)."""
from __future__ import annotations

import pytest

from funding_helpers import two_network_project
from pcn_desktop.domain.commands import CommandStack, MovePractice
from pcn_desktop.domain.model import PlannedRole
from pcn_desktop.funding.commands import SetFundingInput
from pcn_desktop.funding.model import ccg_funding, network_funding
from pcn_desktop.funding.policy_store import policy_for
from pcn_desktop.funding.scenarios import compare_scenarios
from pcn_desktop.funding.commands import EditPlannedRole


def test_2019_20_pharmacist_from_july_capped_at_pro_rata_maximum() -> None:
    p = two_network_project()
    # 1.0 WTE from July 2019 at £60,000 a year: 9 months cost 9/12 x 60,000 = £45,000;
    # 70% of that is £31,500, above the cap 9/12 x £37,810 = £28,357.50, so £28,357.50.
    p.workforce["north"].append(PlannedRole("Clinical pharmacist", 1.0, "2019-07", "2020-03", 60000))
    f = network_funding(p, "north", policy_for("2019/20"))
    (cp,) = f.roles
    assert cp.months == 9
    assert cp.cost == 45000.00
    assert cp.reimbursable == 28357.50
    assert len(cp.capped_months) == 9


def test_2019_20_pharmacist_below_cap_gets_70_percent() -> None:
    p = two_network_project()
    # 0.5 WTE for Jul 2019-Mar 2020 at £48,000 per WTE: cost 0.5 x 48,000 x 9/12 = £18,000;
    # 70% = £12,600; cap 0.5 x 37,810 x 9/12 = £14,178.75, not reached.
    p.workforce["north"].append(PlannedRole("clinical_pharmacist", 0.5, "2019-07", "2020-03", 48000))
    (cp,) = network_funding(p, "north", policy_for("2019/20")).roles
    assert (cp.cost, cp.reimbursable) == (18000.00, 12600.00)


def test_2019_20_social_prescriber_at_100_percent_within_34113() -> None:
    p = two_network_project()
    # SPLW 1.0 WTE Jul-Mar at £30,000: cost 22,500, reimbursed 100% (cap 9/12 x 34,113 = 25,584.75).
    p.workforce["north"].append(PlannedRole("Social prescribing link worker", 1.0, "2019-07", "2020-03", 30000))
    # A second at £40,000: 100% = 30,000 over 9 months, capped at £25,584.75.
    p.workforce["north"].append(PlannedRole("social Prescribing link-worker", 1.0, "2019-07", "2020-03", 40000))
    f = network_funding(p, "north", policy_for("2019/20"))
    assert [r.reimbursable for r in f.roles] == [22500.00, 25584.75]
    # Entitlement 2019/20 is fixed per PCN: 37,810 + 34,113 = 71,923;
    # claims 22,500 + 25,584.75 = 48,084.75; headroom 71,923 - 48,084.75 = 23,838.25.
    assert f.entitlement == 71923.00
    assert f.reimbursable == 48084.75
    assert f.headroom == 23838.25


def test_2019_20_role_before_the_des_started_is_not_reimbursed() -> None:
    p = two_network_project()
    # April-June 2019 are before the ARRS roles could be claimed (from 1 Jul 2019): cost 3 x 2,500 = 7,500,
    # reimbursed 0; July-March at 100% = 9 x 2,500 = 22,500.
    p.workforce["north"].append(PlannedRole("Social prescribing link worker", 1.0, "2019-04", "2020-03", 30000))
    (r,) = network_funding(p, "north", policy_for("2019/20")).roles
    assert r.cost == 30000.00
    assert r.reimbursable == 22500.00
    assert len(r.ineligible_months) == 3


def test_2020_21_director_and_core_for_42000_patients() -> None:
    p = two_network_project()
    f = network_funding(p, "north", policy_for("2020/21"))
    assert f.inputs.registered == 42000
    # CD 42,000 x £0.722 = £30,324; core 42,000 x £1.50 = £63,000;
    # extended hours 42,000 x £1.45 = £60,900; PCN support 42,000 x £0.27 (Apr-Sep) = £11,340.
    assert f.stream("clinical_director").amount == 30324.00
    assert f.stream("core").amount == 63000.00
    assert f.stream("extended_hours").amount == 60900.00
    assert f.stream("pcn_support").amount == 11340.00
    # Participation payment goes to the practices: 42,000 (weighted, assumed = registered) x £1.761 = £73,962.
    assert f.stream("network_participation").amount == 73962.00
    assert f.stream("network_participation").paid_to == "practices"
    assert f.network_payments == 30324 + 63000 + 60900 + 11340
    # ARRS 2020/21: £7.131 x weighted population (assumed = registered): 7.131 x 42,000 = £299,502.
    assert f.entitlement == 299502.00
    assert f.inputs.weighted.assumed


def test_2019_20_director_payment_is_for_july_to_march() -> None:
    p = two_network_project()
    f = network_funding(p, "north", policy_for("2019/20"))
    # £0.5143 x 42,000 = £21,600.60 for 1 Jul 2019-31 Mar 2020, paid over those 9 months.
    cd = f.stream("clinical_director")
    assert cd.amount == 21600.60
    assert len(cd.monthly) == 9
    assert round(sum(cd.monthly.values()), 2) == 21600.60
    # Extended hours: £1.45 a year pro rata for July-March: 42,000 x 1.45 x 9/12 = £45,675.
    assert f.stream("extended_hours").amount == 45675.00


def test_care_home_premium_needs_beds_and_2020_21_is_a_part_year_figure() -> None:
    p = two_network_project()
    policy = policy_for("2020/21")
    assert network_funding(p, "north", policy).stream("care_home_premium").status == "needs input"
    CommandStack(p).push(SetFundingInput("north", "care_home_beds", 150, "2020/21"))
    chp = network_funding(p, "north", policy).stream("care_home_premium")
    # £60 per bed for Aug 2020-Mar 2021: 150 x 60 = £9,000, £1,125 a month over 8 months.
    assert chp.amount == 9000.00
    assert sorted(chp.monthly.values()) == [1125.0] * 8


def test_weighted_population_input_and_ratio() -> None:
    p = two_network_project()
    stack = CommandStack(p)
    policy = policy_for("2023/24")
    stack.push(SetFundingInput(None, "weighted_ratio", 1.1))
    f = network_funding(p, "north", policy)
    # 42,000 x 1.1 = 46,200 weighted; ARRS 2023/24 £22.671 x 46,200 = £1,047,400.20.
    assert f.inputs.weighted.value == pytest.approx(46200)
    assert f.entitlement == 1047400.20
    stack.push(SetFundingInput("north", "weighted_population", 40000, "2023/24"))
    # Entered figure wins: 22.671 x 40,000 = £906,840.
    assert network_funding(p, "north", policy).entitlement == 906840.00
    stack.undo()
    stack.undo()
    assert network_funding(p, "north", policy).inputs.weighted.assumed


def test_2024_25_gp_counts_against_the_ring_fenced_entitlement() -> None:
    p = two_network_project()
    p.workforce["north"].append(PlannedRole("GP", 1.0, "2024-10", "2025-03", 100000))
    f = network_funding(p, "north", policy_for("2024/25"))
    (gp,) = f.roles
    # 6 months: cost 50,000; cap 6/12 x £92,462 = £46,231.
    assert (gp.cost, gp.reimbursable, gp.entitlement) == (50000.00, 46231.00, "gp")
    ents = {e.key: e for e in f.entitlements}
    # GP ARRS £1.303 per weighted patient for Oct-Mar: 1.303 x 42,000 = £54,726; headroom 54,726 - 46,231 = 8,495.
    assert ents["gp"].amount == 54726.00
    assert ents["gp"].headroom == 8495.00
    # Main ARRS £22.894 x 42,000 = £961,548, untouched by the GP.
    assert ents["main"].amount == 961548.00
    assert ents["main"].reimbursable == 0


def test_unknown_maximum_reimburses_cost_uncapped_and_says_so() -> None:
    p = two_network_project()
    p.workforce["north"].append(PlannedRole("Paramedic", 1.0, "2021-04", "2022-03", 50000))
    f = network_funding(p, "north", policy_for("2021/22"))
    (r,) = f.roles
    assert r.reimbursable == 50000.00 and len(r.unknown_cap_months) == 12
    assert f.entitlement is None and f.headroom is None      # 2021/22 £ per weighted patient not found
    assert not f.complete


def test_moving_a_practice_changes_funding_at_once_and_undo_restores_it() -> None:
    p = two_network_project()
    stack = CommandStack(p)
    policy = policy_for("2020/21")
    stack.push(MovePractice("A00002", "south"))
    # North now 30,000: core 45,000, CD 21,660; South 47,000: core 70,500, CD 33,934.
    assert network_funding(p, "north", policy).stream("core").amount == 45000.00
    assert network_funding(p, "north", policy).stream("clinical_director").amount == 21660.00
    assert network_funding(p, "south", policy).stream("clinical_director").amount == 33934.00
    stack.undo()
    assert network_funding(p, "north", policy).stream("core").amount == 63000.00


def test_ccg_totals_add_up_the_networks() -> None:
    p = two_network_project()
    ccg = ccg_funding(p, policy_for("2020/21"))
    # Core: (42,000 + 35,000) x 1.50 = 115,500; ARRS 77,000 x 7.131 = 549,087.
    assert ccg.stream_total("core") == 115500.00
    assert ccg.entitlement == 549087.00
    assert ccg.registered == 77000
    assert [n.name for n in ccg.networks] == ["North PCN", "South PCN"]


def test_scenario_copy_compared_side_by_side() -> None:
    p = two_network_project()
    p.workforce["north"].append(PlannedRole("Clinical pharmacist", 1.0, "2020-04", "2021-03", 50000))
    what_if = p.copy_scenario("current", "Two pharmacists")
    stack = CommandStack(what_if)
    stack.push(EditPlannedRole("north", 0, wte=2.0))
    assert p.workforce["north"][0].wte == 1.0                 # the copy is its own plan
    rows = compare_scenarios(p, "north", policy_for("2020/21"))
    # Plan: 50,000 within the 2020/21 cap 55,670. Scenario: 2 WTE x 50,000 = 100,000, cap 111,340.
    assert [(r.title, r.plan_cost, r.reimbursable) for r in rows] == [
        ("current", 50000.00, 50000.00), ("Two pharmacists", 100000.00, 100000.00)]
    # Headroom: 299,502 - 50,000 = 249,502 and 299,502 - 100,000 = 199,502.
    assert [r.headroom for r in rows] == [249502.00, 199502.00]
    assert ccg_funding(p, policy_for("2020/21"), "Two pharmacists").networks[0].plan_cost == 100000.00
    stack.undo()
    assert compare_scenarios(p, "north", policy_for("2020/21"))[1].plan_cost == 50000.00
