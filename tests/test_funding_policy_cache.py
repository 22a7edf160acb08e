"""The policy tables are loaded once and checked for changed files once per rules refresh,
not once per rule; an override written from Funding settings is seen at the next refresh."""
from __future__ import annotations

import pytest

from funding_helpers import two_network_project
from pcn_desktop.domain.model import PlannedRole
from pcn_desktop.domain.rules import FindingsCache, evaluate
from pcn_desktop.funding import policy_store
from pcn_desktop.funding.policy_store import set_override, user_policy_dir
from pcn_desktop.settings import rule_settings_for
from test_funding_policy import NEW_YEAR


@pytest.fixture
def signatures(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the looks at the policy files (each one globs and stats every file)."""
    calls: list[int] = []
    real = policy_store._signature

    def counted():  # noqa: ANN202
        calls.append(1)
        return real()
    monkeypatch.setattr(policy_store, "_signature", counted)
    return calls


# a year whose ARRS entitlement no source gives (every shipped year's is published now)
UNKNOWN_ENTITLEMENT = NEW_YEAR.replace("2025", "2026").replace("/26", "/27").replace(
    'value = 26.631\nsource = "NCL Training Hub"', 'status = "not found"')


def _planned_project():
    folder = user_policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2026-27.toml").write_text(UNKNOWN_ENTITLEMENT, encoding="utf-8")
    p = two_network_project()
    p.settings["contract_year"] = "2026/27"
    for nid in ("north", "south"):
        p.workforce[nid].append(PlannedRole("GP", 0.6, "2026-04", "2027-03", 45000))
    return p


def test_one_look_at_the_files_per_refresh(signatures: list[int]) -> None:
    p = _planned_project()
    cache = FindingsCache(p, rule_settings_for(p))
    assert len(signatures) == 1                 # six funding rules, two networks: one look
    cache.refresh({"north"})
    assert len(signatures) == 2
    cache.refresh()
    assert len(signatures) == 3
    evaluate(p, rule_settings_for(p))
    assert len(signatures) == 4


def test_unchanged_files_are_not_parsed_again() -> None:
    p = _planned_project()
    FindingsCache(p, rule_settings_for(p))
    before = policy_store.reloads
    cache = FindingsCache(p, rule_settings_for(p))
    cache.refresh({"south"})
    assert policy_store.reloads == before


def test_an_override_is_seen_by_the_next_refresh() -> None:
    p = _planned_project()
    cache = FindingsCache(p, rule_settings_for(p))
    unknown = lambda: sorted((f.rule, f.network) for f in cache.findings()  # noqa: E731
                             if f.rule == "arrs-entitlement-unknown")
    assert unknown() == [("arrs-entitlement-unknown", "U00001"), ("arrs-entitlement-unknown", "U00002")]
    set_override("2026/27", "arrs.entitlements.main", 12.30)
    cache.refresh({"north", "south"})          # as the Funding settings tab asks after a write
    assert unknown() == []
    set_override("2026/27", "arrs.entitlements.main", None)
    cache.refresh({"north", "south"})
    assert len(unknown()) == 2


def test_an_override_rewritten_with_the_same_size_and_time_is_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system with coarse timestamps: the signature alone cannot tell the rewrite."""
    set_override("2021/22", "arrs.entitlements.main", 12.25)
    frozen = policy_store._signature()
    monkeypatch.setattr(policy_store, "_signature", lambda: frozen)
    set_override("2021/22", "arrs.entitlements.main", 12.75)
    assert policy_store.policy_for("2021/22").entitlements["main"].figure.value == 12.75


def test_a_new_user_year_file_is_seen_by_the_next_refresh() -> None:
    p = two_network_project()
    p.settings["contract_year"] = "2026/27"
    cache = FindingsCache(p, rule_settings_for(p))
    assert [f.rule for f in cache.findings() if f.rule.startswith("funding")] == ["funding-year-unknown"]
    folder = user_policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2026-27.toml").write_text(UNKNOWN_ENTITLEMENT, encoding="utf-8")
    cache.refresh({"north"})
    assert [f.rule for f in cache.findings() if f.rule.startswith("funding")] == []


def test_parsed_tables_kept_on_disk_are_used_only_for_the_same_text() -> None:
    """Between runs the parsed TOML is read back from the cache folder, named by the file's
    content: a file edited since is parsed again (whatever its time and size say), and so is
    one whose kept table is damaged."""
    folder = user_policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "2026-27.toml"
    table.write_text(NEW_YEAR.replace("2025", "2026").replace("/26", "/27"), encoding="utf-8")
    policy_store.invalidate()
    first = policy_store.load_policies()["2026/27"]
    kept = list((policy_store.cache_dir() / "policy-tables").glob("*.pickle"))
    assert kept

    policy_store.invalidate()                       # a new run: the pickles, not the TOML
    parses: list[object] = []
    real = policy_store._read_toml
    policy_store._read_toml = lambda path: parses.append(path) or real(path)
    try:
        again = policy_store.load_policies()["2026/27"]
        assert parses == [] and again == first
        text = table.read_text(encoding="utf-8")
        edited = text.replace("value = 26.631", "value = 26.632")    # same size
        assert len(edited) == len(text) and edited != text
        table.write_text(edited, encoding="utf-8")
        policy_store.invalidate()
        changed = policy_store.load_policies()["2026/27"]
        assert parses == [table] and changed != first
        parses.clear()
        for path in (policy_store.cache_dir() / "policy-tables").glob("*.pickle"):
            path.write_bytes(b"not a pickle")        # damaged: parsed again, no error
        policy_store.invalidate()
        assert policy_store.load_policies()["2026/27"] == changed and table in parses
    finally:
        policy_store._read_toml = real
        policy_store.invalidate()
