"""The embedded sample CCG: realistic shape, the situations it is meant to show, determinism,
and that the shipped file is exactly what the generator makes."""
from __future__ import annotations

import math
import re
import tomllib
from collections import Counter, defaultdict
from datetime import date, datetime

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from pcn_desktop.domain.rules import RULES, evaluate
from pcn_desktop.paths import resource
from pcn_desktop.sample import generate_sample
from pcn_desktop.sample.build import build_shipped_sample, canonical_dump
from pcn_desktop.settings import rule_settings_for
from pcn_desktop.store import load_project

LATEST = date(2021, 1, 1)
TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@pytest.fixture(scope="module")
def shipped():
    return load_project(resource("sample", "sample_ccg.pcnproj"))


@pytest.fixture(scope="module")
def fresh():
    return build_shipped_sample()


def bng(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(TO_BNG.transform(xy[:, 0], xy[:, 1])))


def test_shipped_file_loads_with_the_sample_identity(shipped):
    assert shipped.name == "NHS Wyre Vale CCG (sample)"
    assert {p.commissioner for p in shipped.practices.values()} == {"99X"}
    assert {n.commissioner for n in shipped.networks.values()} == {"99X"}
    assert resource("sample", "sample_ccg.pcnproj").stat().st_size < 3_000_000


def test_pinned_figures_of_the_shipped_sample(shipped):
    # Regenerating with a different seed or model changes these: update them deliberately.
    assert len(shipped.practices) == 45
    assert len(shipped.areas) == 271
    assert len(shipped.networks) == 8
    assert sum(shipped.list_size(c, LATEST) for c in shipped.practices) == 347_193
    sizes = {n.name: shipped.network_list_size(n.id, LATEST) for n in shipped.networks.values()}
    assert sizes == {"Ashbridge East PCN": 36_260, "Ashbridge North PCN": 42_000, "Ashbridge South PCN": 39_280,
                     "Ashbridge West & Marlbeck PCN": 46_230, "Calderby & Brackenfold PCN": 47_395,
                     "Fellside Rural PCN": 25_657, "Hollinbeck & Kelderby PCN": 45_534,
                     "Wyreford Health PCN": 60_619}


def test_practices_look_like_ods_practices(shipped):
    assert 40 <= len(shipped.practices) <= 60
    for p in shipped.practices.values():
        assert re.fullmatch(r"[A-Z][0-9]{5}", p.code), p.code
        assert re.fullmatch(r"XW[1-9] [0-9][ABDEFGHJLNPQRSTUWXYZ]{2}", p.postcode), p.postcode
        assert p.name and p.address
        assert 53.6 < p.latitude < 54.0 and -2.95 < p.longitude < -2.1, p.code
    assert len({p.name for p in shipped.practices.values()}) == len(shipped.practices)
    lists = sorted(shipped.list_size(c, LATEST) for c in shipped.practices)
    assert 2_000 < lists[0] and lists[-1] < 25_000


def test_list_sizes_at_three_dates_drift_a_little(shipped):
    assert shipped.list_dates() == [date(2019, 1, 1), date(2020, 1, 1), date(2021, 1, 1)]
    for code, sizes in shipped.list_sizes.items():
        assert abs(sizes[date(2020, 1, 1)] / sizes[LATEST] - 1) < 0.06, code
        assert abs(sizes[date(2019, 1, 1)] / sizes[date(2020, 1, 1)] - 1) < 0.06, code


def test_registrations_add_up_to_the_lists(shipped):
    when, regs = shipped.latest_registrations()
    assert when == LATEST
    per_practice: Counter[str] = Counter()
    for (practice, area), n in regs.items():
        assert n > 0 and area in shipped.areas
        per_practice[practice] += n
    assert per_practice == Counter({c: shipped.list_size(c, LATEST) for c in shipped.practices})
    assert sum(per_practice.values()) >= 300_000
    per_area = Counter()
    for (_, area), n in regs.items():
        per_area[area] += n
    assert set(per_area) == set(shipped.areas)
    assert 850 <= min(per_area.values()) and max(per_area.values()) <= 2_700


def test_areas_tessellate_the_ccg_without_overlaps(shipped):
    assert len(shipped.areas) >= 250
    geoms = [bng(a.geometry) for a in shipped.areas.values()]
    assert all(g.is_valid and g.geom_type == "Polygon" for g in geoms)
    union = shapely.union_all(geoms)
    total = sum(g.area for g in geoms)
    assert union.geom_type == "Polygon" and not union.interiors        # one piece, no gaps inside
    assert abs(total - union.area) / union.area < 1e-6                  # no overlaps
    assert 1_000e6 < union.area < 2_000e6                                 # 1,000-2,000 km²


def test_towns_are_dense_and_the_fells_sparse(shipped):
    km2 = sorted(bng(a.geometry).area / 1e6 for a in shipped.areas.values())
    assert km2[0] < 0.3 and km2[-1] > 25          # a town-centre LSOA and an upland one
    assert np.median(km2) < 4


def test_area_codes_names_and_places(shipped):
    places = Counter(a.place for a in shipped.areas.values())
    assert set(places) == {"Ashbridge", "Wyreford", "Calder Fells"}
    for code, a in shipped.areas.items():
        assert re.fullmatch(r"E0199[0-9]{4}", code)
        assert re.fullmatch(re.escape(a.place) + r" [0-9]{3}[A-J]", a.name), a.name
    assert len({a.name for a in shipped.areas.values()}) == len(shipped.areas)
    places_of: dict[str, set[str]] = defaultdict(set)
    for area, nid in shipped.area_assignments.items():
        places_of[nid].add(shipped.areas[area].place)
    crossing = sorted(shipped.networks[n].name for n, ps in places_of.items() if len(ps) > 1)
    assert crossing == ["Ashbridge North PCN", "Hollinbeck & Kelderby PCN"]     # the two that straddle


def test_registrations_decay_with_distance(shipped):
    _, regs = shipped.latest_registrations()
    at: dict[str, dict[str, int]] = defaultdict(dict)
    for (practice, area), n in regs.items():
        at[area][practice] = n
    codes = sorted(shipped.practices)
    px, py = TO_BNG.transform([shipped.practices[c].longitude for c in codes],
                              [shipped.practices[c].latitude for c in codes])
    nearest_wins = 0
    for area_code, area in shipped.areas.items():
        c = bng(area.geometry).representative_point()
        order = np.argsort(np.hypot(np.array(px) - c.x, np.array(py) - c.y))
        first, fifth = at[area_code].get(codes[order[0]], 0), at[area_code].get(codes[order[4]], 0)
        nearest_wins += first > fifth
    assert nearest_wins / len(shipped.areas) > 0.8


def test_networks_show_the_intended_situations(shipped):
    nets = list(shipped.networks.values())
    assert 7 <= len(nets) <= 9
    rural = [n for n in nets if n.exemption]
    assert len(rural) == 1 and rural[0].exemption == "rural" and len(rural[0].exemption_reason) > 50
    for when in shipped.list_dates():
        assert shipped.network_list_size(rural[0].id, when) < 30_000
        for n in nets:
            if n is not rural[0]:
                assert shipped.network_list_size(n.id, when) >= 30_000, n.name
    assert len([n for n in nets if shipped.network_list_size(n.id, LATEST) > 50_000]) == 1
    assert len([n for n in nets if n.director is None]) == 1
    assert len(shipped.unassigned()) == 1
    for n in nets:
        assert re.fullmatch(r"U9000[1-9]", n.code)
        assert n.nominated_payee in shipped.members(n.id)
        if n.director:
            assert n.director.practice_code in shipped.members(n.id)
            assert n.director.professional_body in ("GMC", "NMC") and n.director.registration_number
            assert n.director.start == date(2019, 7, 1)
    assert len([n for n in nets if n.agreement_signed]) == len(nets) - 1
    assert {m.start for m in shipped.memberships} == {date(2019, 7, 1)}


def test_rules_give_the_expected_findings(shipped):
    found = evaluate(shipped, rule_settings_for(shipped))    # loads every rule module first
    registration_rules = {r for r, spec in RULES.items()
                          if spec.check.__module__ == "pcn_desktop.domain.rules.registration"}
    assert "list-size-minimum" in registration_rules
    counts = Counter(f.rule for f in found if f.rule in registration_rules)
    assert counts == {"director-missing": 1, "practice-unassigned": 1, "agreement-unsigned": 1,
                      "director-wte-low": 1, "large-network": 1}
    missing = next(f for f in found if f.rule == "director-missing")
    unsigned = next(f for f in found if f.rule == "agreement-unsigned")
    assert missing.network_id == unsigned.network_id
    assert [f.value for f in found if f.rule == "practice-unassigned"] == [
        shipped.list_size(shipped.unassigned()[0], LATEST)]


def test_workforce_plans_use_the_policy_role_names(shipped):
    policy = tomllib.loads(resource("policy", "2020-21.toml").read_text(encoding="utf-8"))
    labels = {r["label"] for r in policy["arrs"]["roles"].values()}
    planned = {nid: roles for nid, roles in shipped.workforce.items() if roles}
    assert len(planned) == len(shipped.networks) - 1
    for roles in planned.values():
        assert {"Clinical pharmacist", "Social prescribing link worker"} <= {r.role for r in roles}
        for r in roles:
            assert r.role in labels
            assert "2020-04" <= r.start <= r.end == "2021-03"
            assert 0 < r.wte <= 1 and r.annual_cost > 10_000 * r.wte


def test_audit_has_one_fixed_entry(shipped):
    assert [(e.what, e.when) for e in shipped.audit] == [("sample generated", datetime(2020, 1, 15, 9, 0))]


def test_boundaries_are_built(shipped):
    assert set(shipped.area_assignments) == set(shipped.areas)
    assert set(shipped.boundaries) == set(shipped.networks)
    assert all(b.provenance == "registrations" for b in shipped.boundaries.values())


def test_generator_is_deterministic_and_seeded():
    first, second = canonical_dump(generate_sample()), canonical_dump(generate_sample())
    assert first == second
    assert canonical_dump(generate_sample(seed=7)) != first


def test_shipped_file_equals_a_fresh_generation(shipped, fresh):
    # If this fails, run: .venv/bin/python scripts/make_sample_ccg.py (never edit the file by hand).
    assert canonical_dump(shipped) == canonical_dump(fresh)
