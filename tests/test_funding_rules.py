"""Funding findings through the rules engine, for the project's contract year."""
from __future__ import annotations

from funding_helpers import two_network_project
from pcn_desktop.domain.commands import CommandStack
from pcn_desktop.domain.findings import Severity
from pcn_desktop.domain.model import ClinicalDirector, PlannedRole
from pcn_desktop.domain.rules import FindingsCache, evaluate
from pcn_desktop.funding.commands import AddPlannedRole, SetContractYear
from pcn_desktop.settings import rule_settings_for

FUNDING_RULES = ["funding-year-unknown", "arrs-plan-invalid", "arrs-role-not-eligible",
                 "arrs-over-entitlement", "arrs-entitlement-unknown", "arrs-maximum-unknown"]


def _funding_findings(project):
    return evaluate(project, rule_settings_for(project), rules=FUNDING_RULES)


def test_no_plan_no_funding_findings() -> None:
    p = two_network_project()
    assert _funding_findings(p) == []


def test_role_not_eligible_in_the_year() -> None:
    p = two_network_project()
    p.settings["contract_year"] = "2019/20"
    p.workforce["north"].append(PlannedRole("Paramedic", 1.0, "2019-07", "2020-03", 40000))
    (f,) = _funding_findings(p)
    assert (f.rule, f.severity, f.network) == ("arrs-role-not-eligible", Severity.WARNING, "U00001")
    assert f.message == ("North PCN: Paramedic is not an eligible ARRS role in 2019/20; "
                         "2019-07..2020-03 cannot be reimbursed")


def test_role_eligible_only_from_october() -> None:
    p = two_network_project()
    p.settings["contract_year"] = "2020/21"
    p.workforce["north"].append(PlannedRole("Nursing associate", 1.0, "2020-04", "2021-03", 28000))
    (f,) = _funding_findings(p)
    assert f.rule == "arrs-role-not-eligible"
    assert "is not eligible before 2020-10; 2020-04..2020-09 cannot be reimbursed" in f.message


def test_plan_over_entitlement() -> None:
    p = two_network_project()
    p.settings["contract_year"] = "2019/20"
    # Two pharmacists, 1.0 WTE each, Jul-Mar at £60,000: each capped at 28,357.50; one SPLW at 30,000
    # (22,500). Claims 79,215 against the fixed 71,923: over by 7,292.
    p.workforce["north"] += [PlannedRole("Clinical pharmacist", 1.0, "2019-07", "2020-03", 60000)] * 2
    p.workforce["north"].append(PlannedRole("Social prescribing link worker", 1.0, "2019-07", "2020-03", 30000))
    (f,) = _funding_findings(p)
    assert (f.rule, f.value) == ("arrs-over-entitlement", 7292.00)
    assert "claims £79,215.00 against an ARRS entitlement of £71,923.00 (over by £7,292.00)" in f.message


def test_unknown_maximum_and_entitlement_are_info() -> None:
    from test_funding_policy_cache import UNKNOWN_ENTITLEMENT

    from pcn_desktop.funding.policy_store import user_policy_dir
    user_policy_dir().mkdir(parents=True, exist_ok=True)
    (user_policy_dir() / "2026-27.toml").write_text(UNKNOWN_ENTITLEMENT, encoding="utf-8")
    p = two_network_project()
    p.settings["contract_year"] = "2026/27"
    p.workforce["south"].append(PlannedRole("GP", 0.6, "2026-04", "2027-03", 45000))
    found = {f.rule: f for f in _funding_findings(p)}
    assert set(found) == {"arrs-entitlement-unknown", "arrs-maximum-unknown"}
    assert all(f.severity is Severity.INFO for f in found.values())
    assert "set it in Funding settings" in found["arrs-maximum-unknown"].message
    assert found["arrs-maximum-unknown"].network == "U00002"


def test_unknown_contract_year_is_an_error() -> None:
    p = two_network_project()
    p.settings["contract_year"] = "2015/16"
    (f,) = _funding_findings(p)
    assert (f.rule, f.severity) == ("funding-year-unknown", Severity.ERROR)
    assert "no policy file for contract year 2015/16" in f.message


def test_director_time_stays_with_the_registration_rule() -> None:
    p = two_network_project()
    p.networks["north"].director = ClinicalDirector("Dr A", "A00001", wte=0.1)
    found = evaluate(p, rule_settings_for(p), scope=["north"])
    # 0.25 WTE per 50,000 x 42,000 = 0.21 funded: one finding, from director-wte-low only.
    assert [f.rule for f in found if "wte" in f.rule] == ["director-wte-low"]


def test_findings_cache_follows_plan_commands_and_the_year() -> None:
    p = two_network_project()
    p.settings["contract_year"] = "2019/20"
    stack = CommandStack(p)
    cache = FindingsCache(p, rule_settings_for(p))
    rules = lambda: sorted(f.rule for f in cache.findings() if f.rule.startswith("arrs"))  # noqa: E731
    assert rules() == []
    touched = stack.push(AddPlannedRole("north", PlannedRole("Care coordinator", 1.0, "2019-07", "2020-03", 25000)))
    cache.refresh(touched)
    assert rules() == ["arrs-role-not-eligible"]
    cache.refresh(stack.push(SetContractYear("2020/21")))      # eligible from April 2020, maximum not found
    assert rules() == []                                       # the line is in 2019, outside 2020/21
    cache.refresh(stack.undo())
    cache.refresh(stack.undo())
    assert rules() == []
