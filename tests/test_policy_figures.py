"""Every shipped policy file: each figure has a source and a status; every published value its
confidence; a low-confidence figure is unconfirmed, never used as it stands. The figures that
../shared/domain/policy-figures.md fills or corrects are carried as it gives them."""
from __future__ import annotations

import tomllib

import pytest

from funding_helpers import two_network_project
from pcn_desktop.funding.model import network_funding
from pcn_desktop.funding.policy import CONFIDENCES, STATUSES
from pcn_desktop.funding.policy_store import load_policies, policy_for, shipped_policy_dir

FILES = sorted(shipped_policy_dir().glob("*.toml"))


def _figures(table, where=""):
    """Every figure table in a parsed TOML: a table with a value, a status or a candidate."""
    if isinstance(table, dict):
        if {"value", "status", "candidate"} & set(table):
            yield where, table
        for k, v in table.items():
            yield from _figures(v, f"{where}.{k}" if where else k)
    elif isinstance(table, list):
        for i, v in enumerate(table):
            yield from _figures(v, f"{where}[{i}]")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_figure_has_a_source_and_a_status(path) -> None:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    found = list(_figures(raw))
    assert len(found) >= 8
    for where, fig in found:
        status = fig.get("status", "found" if "value" in fig else None)
        assert status in STATUSES, where
        assert str(fig.get("source", "")).strip(), f"{path.name}: {where} has no source"
        if status == "found":
            assert fig.get("confidence") in ("high", "medium"), f"{path.name}: {where} has no confidence"
        if status == "unconfirmed":
            assert fig.get("confidence") == "low" and "value" not in fig and "candidate" in fig, where
    assert raw["arrs"].get("rate_confidence") in CONFIDENCES
    # and the parsed policy agrees: every figure with a value says how sure it is
    policy = load_policies()[raw["year"]]
    for fig in policy.figures.values():
        assert fig.source.strip() and fig.status in STATUSES, fig.id
        assert (fig.value is None) == (fig.status != "found"), fig.id
        if fig.status == "unconfirmed":
            assert fig.candidate is not None and "unconfirmed" in fig.note


def test_figures_filled_from_policy_figures_md() -> None:
    assert policy_for("2020/21").roles["care_coordinator"].maxima[0][1].value == 29135
    main = policy_for("2021/22").entitlements["main"].figure
    assert (main.value, main.confidence) == (12.30, "medium")
    assert policy_for("2022/23").entitlements["main"].figure.value == 16.70
    assert policy_for("2022/23").streams["clinical_director"].figure.value == 0.722
    p = policy_for("2024/25")
    assert p.streams["network_participation"].figure.value == 0.147
    assert p.streams["network_participation"].per == "month"
    assert (p.streams["casp"].figure.value, p.streams["caip"].figure.value) == (3.248, 1.392)   # two payments
    assert p.roles["enhanced_practice_nurse"].maxima[0][1].value == 60401
    april = {r: p.roles[r].maximum_at(p.first_month).value for r in
             ("clinical_pharmacist", "pharmacy_technician", "social_prescribing_link_worker",
              "care_coordinator", "first_contact_physiotherapist")}
    assert april == {"clinical_pharmacist": 62340, "pharmacy_technician": 40159,
                     "social_prescribing_link_worker": 40159, "care_coordinator": 33396,
                     "first_contact_physiotherapist": 62340}
    ap = p.roles["advanced_practitioner"].maximum_at(p.first_month)
    assert ap.value is None and ap.status == "unconfirmed" and ap.candidate == 68315


def test_2025_26_is_shipped() -> None:
    p = policy_for("2025/26")
    assert str(p.list_date) == "2025-01-01"
    assert p.entitlements["main"].figure.value == 26.631
    assert (p.streams["core_registered"].figure.value, p.streams["core_adjusted"].figure.value) == (2.266, 0.733)
    assert p.streams["network_participation"].figure.status == "unconfirmed"
    assert p.roles["clinical_pharmacist"].maxima[0][1].value == 66972


def test_arrs_entitlement_is_no_longer_empty_for_2021_22_and_2022_23() -> None:
    project = two_network_project()
    for year, rate in (("2021/22", 12.30), ("2022/23", 16.70)):
        f = network_funding(project, "north", policy_for(year))
        assert f.entitlement == pytest.approx(rate * f.inputs.weighted.value, abs=0.01)


def test_2019_20_doubles_the_allowance_from_100000_patients() -> None:
    project = two_network_project()
    p = policy_for("2019/20")
    f = network_funding(project, "north", p)
    small = f.entitlements[0].amount
    assert f.inputs.registered < 100000 and small == 71923
    code = next(iter(project.members("north")))
    project.list_sizes[code] = {d: 200000 for d in project.list_sizes[code]}
    big = network_funding(project, "north", p).entitlements[0].amount
    assert big == pytest.approx(2 * small, abs=0.01)
