"""Policy tables: one validated schema for every year, user years and user overrides."""
from __future__ import annotations

from pathlib import Path

import pytest

from pcn_desktop.funding.policy import PolicyError
from pcn_desktop.funding.policy_store import (available_years, load_policies, policy_for, set_override,
                                              shipped_policy_dir, user_policy_dir)

YEARS = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]


def test_every_shipped_year_loads_with_sources() -> None:
    policies = load_policies()
    assert list(policies)[:6] == YEARS
    for policy in policies.values():
        for fig in policy.figures.values():
            assert fig.status in ("found", "not found", "unconfirmed")
            if fig.value is not None:
                assert fig.source.strip(), fig.id


def test_published_figures_are_read_exactly() -> None:
    p = policy_for("2019/20")
    assert p.streams["clinical_director"].figure.value == 0.5143
    assert p.streams["clinical_director"].months == 9
    assert p.roles["clinical_pharmacist"].rate.value == 0.70
    assert p.roles["clinical_pharmacist"].maxima[0][1].value == 37810
    assert p.roles["social_prescribing_link_worker"].rate.value == 1.0
    assert p.entitlements["main"].figure.value == 71923
    assert policy_for("2023/24").entitlements["main"].figure.value == 22.671
    assert set(policy_for("2019/20").roles) == {"clinical_pharmacist", "social_prescribing_link_worker"}


def test_not_found_figures_have_no_value() -> None:
    assert policy_for("2022/23").streams["casp"].figure.status == "not found"
    assert policy_for("2022/23").streams["casp"].figure.value is None
    assert policy_for("2021/22").roles["paramedic"].maxima[0][1].value is None
    assert policy_for("2025/26").roles["gp"].maxima[0][1].value is None


def test_latest_year_is_the_default() -> None:
    assert policy_for(None).year == available_years()[-1] == "2025/26"


def _write_user_year(text: str, name: str = "2025-26.toml") -> Path:
    folder = user_policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


NEW_YEAR = '''
year = "2025/26"
list_date = "2025-01-01"
[streams.core]
label = "Core"
basis = "registered"
value = 3.0
source = "my ICB letter"
[arrs.entitlements.main]
basis = "weighted"
value = 26.631
source = "NCL Training Hub"
[arrs.roles.gp]
label = "GP"
maximum = { status = "not found" }
'''


def test_a_user_year_file_is_picked_up_without_code() -> None:
    _write_user_year(NEW_YEAR)
    assert "2025/26" in available_years()
    p = policy_for("2025/26")
    assert p.streams["core"].figure.value == 3.0
    assert p.entitlements["main"].figure.value == 26.631
    assert policy_for(None).year == "2025/26"


@pytest.mark.parametrize("change, field", [
    ('value = 3.0', 'streams.core.value'),                       # value removed, no status
    ('basis = "registered"', 'streams.core.basis'),
    ('source = "my ICB letter"', 'streams.core.source'),
])
def test_a_malformed_file_is_refused_naming_file_and_field(change: str, field: str) -> None:
    path = _write_user_year(NEW_YEAR.replace(change, "", 1))
    with pytest.raises(PolicyError) as err:
        load_policies()
    assert str(path) in str(err.value)
    assert field in str(err.value)


def test_wrong_types_and_unknown_fields_are_refused() -> None:
    path = _write_user_year(NEW_YEAR.replace('value = 3.0', 'value = "three"'))
    with pytest.raises(PolicyError, match=r"streams\.core\.value: expected a number"):
        load_policies()
    _write_user_year(NEW_YEAR.replace('label = "Core"', 'lable = "Core"'))
    with pytest.raises(PolicyError, match=r"2025-26\.toml: streams\.core\.lable: unknown field"):
        load_policies()
    _write_user_year(NEW_YEAR.replace('basis = "registered"', 'basis = "per head"'))
    with pytest.raises(PolicyError, match=r"streams\.core\.basis: 'per head' is not one of"):
        load_policies()
    _write_user_year(NEW_YEAR.replace('year = "2025/26"', 'year = "2025/27"'))
    with pytest.raises(PolicyError, match=r"year: '2025/27' is not a contract year"):
        load_policies()
    path.unlink()


def test_not_found_with_a_value_is_refused() -> None:
    _write_user_year(NEW_YEAR.replace('maximum = { status = "not found" }',
                                      'maximum = { status = "not found", value = 90000 }'))
    with pytest.raises(PolicyError, match=r"arrs\.roles\.gp\.maximum\.value: a figure marked \"not found\""):
        load_policies()


def test_not_valid_toml_is_refused_naming_the_file() -> None:
    path = _write_user_year("year = ")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policies()
    assert str(path) in str(pytest.raises(PolicyError, load_policies).value)


def test_user_override_fills_a_not_found_figure_and_can_be_removed() -> None:
    set_override("2022/23", "streams.casp", 0.9)
    fig = policy_for("2022/23").streams["casp"].figure
    assert (fig.value, fig.status) == (0.9, "user")
    assert "not found" in fig.note
    set_override("2022/23", "streams.casp", None)
    assert policy_for("2022/23").streams["casp"].figure.value is None


def test_an_unconfirmed_figure_is_unknown_until_the_user_sets_it() -> None:
    fig = policy_for("2025/26").streams["network_participation"].figure
    assert (fig.value, fig.status, fig.confidence, fig.candidate) == (None, "unconfirmed", "low", 1.761)
    assert "unconfirmed" in fig.note and "Funding settings" in fig.note
    set_override("2025/26", "streams.network_participation", 1.761)
    fig = policy_for("2025/26").streams["network_participation"].figure
    assert (fig.value, fig.status) == (1.761, "user") and "unconfirmed, candidate 1.761" in fig.note
    set_override("2025/26", "streams.network_participation", None)


def test_an_override_for_no_such_figure_is_refused_and_not_kept() -> None:
    with pytest.raises(PolicyError, match="arrs.roles.wizard.maximum@2021-04: no such figure"):
        set_override("2021/22", "arrs.roles.wizard.maximum@2021-04", 1.0)
    assert load_policies()["2021/22"].roles["paramedic"].maxima[0][1].value is None


def test_shipped_files_live_in_resources_policy() -> None:
    names = sorted(p.name for p in shipped_policy_dir().glob("*.toml"))
    assert names == ["2019-20.toml", "2020-21.toml", "2021-22.toml", "2022-23.toml", "2023-24.toml", "2024-25.toml",
                     "2025-26.toml"]
