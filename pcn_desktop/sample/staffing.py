"""The sample networks' people and paperwork: clinical directors, payees, agreements, plans.

Each network is given the situation it is meant to show in the sample: most are in order, one
has lost its director (and so has not re-signed its agreement), and the large network's
director works the standard quarter-time although its list funds a little more.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from ..domain.model import ClinicalDirector, PlannedRole

# Fictional clinicians. GMC numbers 99xxxxx are above any the GMC has issued (it was issuing
# 7xxxxxx in 2020); the NMC PIN uses "Z", a letter no real PIN's month code takes.
DIRECTORS = (
    ("Dr Helen Marsden", "GMC", "9901217"),
    ("Dr Aamir Qureshi", "GMC", "9904452"),
    ("Dr Sarah Whitlock", "GMC", "9902981"),
    ("Dr Tom Bexley", "GMC", "9907310"),
    ("Dr Priya Raman", "GMC", "9905546"),
    ("Claire Redfern", "NMC", "99Z0417E"),
    ("Dr Owen Tattersall", "GMC", "9908823"),
    ("Dr Fiona McAllister", "GMC", "9903374"),
)

# Per-WTE yearly cost (salary + on-costs) a network plans to pay; the funding engine caps
# reimbursement at the policy maxima, so one pharmacist deliberately costs more than the cap.
ROLE_COSTS = {
    "Clinical pharmacist": 53_200.0,
    "Social prescribing link worker": 31_400.0,
    "Pharmacy technician": 31_900.0,
    "Care coordinator": 26_800.0,
    "First contact physiotherapist": 55_100.0,
    "Health and wellbeing coach": 28_300.0,
}


@dataclass(frozen=True)
class Paperwork:
    director: ClinicalDirector | None
    payee: str
    agreement_signed: date | None
    notes: str


def director_wte(patients: int, per_50000: float = 0.25) -> float:
    """The funded time rounded up to a twentieth (half a session), as directors are contracted."""
    return math.ceil(per_50000 * patients / 50_000 * 20 - 1e-9) / 20


def paperwork(rng: np.random.Generator, situation: str, members: list[str], lists: dict[str, int],
              director_index: int) -> Paperwork:
    """``situation``: "ok", "no-director" or "director-underfunded"."""
    by_size = sorted(members, key=lambda c: (-lists[c], c))
    payee = by_size[0]
    size = sum(lists[c] for c in members)
    signed = date(2019, 6, int(rng.integers(17, 29)))
    if situation == "no-director":
        return Paperwork(None, payee, None,
                         "Clinical director stepped down on 31 December 2020; the member practices are "
                         "choosing a successor. The revised network agreement awaits the new director.")
    name, body, number = DIRECTORS[director_index % len(DIRECTORS)]
    home = by_size[int(rng.integers(0, min(3, len(by_size))))]
    wte = director_wte(size)
    notes = ""
    if situation == "director-underfunded":
        wte = 0.25
        notes = "Director contracted at the standard 0.25 WTE in 2019; the list has grown since."
    return Paperwork(ClinicalDirector(name, home, body, number, wte, date(2019, 7, 1)), payee, signed, notes)


def workforce_plan(rng: np.random.Generator, patients: int) -> list[PlannedRole]:
    """A 2020/21 Additional Roles plan sized to the network: about a pharmacist per 25,000."""
    year_start, year_end = "2020-04", "2021-03"
    pharmacists = max(1, round(patients / 25_000))
    lines: list[PlannedRole] = []

    def add(role: str, wte: float, start: str = year_start, cost_factor: float = 1.0) -> None:
        cost = round(ROLE_COSTS[role] * cost_factor, 2)   # a full-time post: the model pro-rates by WTE
        lines.append(PlannedRole(role, wte, start, year_end, cost))

    for k in range(pharmacists):
        # The senior pharmacist of a bigger team is paid above the reimbursable maximum.
        add("Clinical pharmacist", 1.0, cost_factor=1.06 if k == 1 else 1.0)
    add("Social prescribing link worker", 1.0)
    if patients > 30_000:
        add("Pharmacy technician", float(rng.choice([0.6, 0.8, 1.0])), start="2020-07")
    add("Care coordinator", float(rng.choice([0.5, 1.0])), start=str(rng.choice(["2020-06", "2020-09"])))
    if patients > 38_000:
        add("First contact physiotherapist", float(rng.choice([0.5, 0.8])), start="2020-10")
    if rng.random() < 0.5:
        add("Health and wellbeing coach", 1.0, start="2021-01")
    return lines
