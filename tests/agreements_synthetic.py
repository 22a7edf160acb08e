"""A small synthetic CCG for the agreement tests and benchmark: three networks whose
validity is known by construction.

- Riverside PCN (U00001): 4 practices, 34,100 patients, director, payee, signed: valid.
- Hillview PCN (U00002): 2 practices, 12,500 patients, no director, no payee: not valid.
- Greater Moor PCN (U00003): 20 practices, 20 x 2,600 = 52,000 patients, valid; tests
  that long tables flow over pages.
"""
from __future__ import annotations

from datetime import date

from shapely.geometry import box

from pcn_desktop.domain.model import (ClinicalDirector, Membership, Network, PlannedRole, Practice,
                                      Project, SmallArea)

COUNTED = date(2024, 1, 1)
RIVERSIDE_SIZES = {"B82001": 9800, "B82002": 11250, "B82003": 7600, "B82004": 5450}
HILLVIEW_SIZES = {"B82010": 7300, "B82011": 5200}


def _practice(code: str, name: str, lon: float, lat: float) -> Practice:
    return Practice(code=code, name=name, address=(f"{code[-2:]} High Street", "Moorton"),
                    postcode=f"MT{int(code[-2:]) % 9 + 1} 4AB", latitude=lat, longitude=lon,
                    commissioner="99X")


def synthetic_project() -> Project:
    p = Project()
    p.name = "Synthetic CCG"
    riverside = p.add_network(Network("net-river", "Riverside PCN", code="U00001", commissioner="99X"))
    hillview = p.add_network(Network("net-hill", "Hillview PCN", code="U00002", commissioner="99X"))
    moor = p.add_network(Network("net-moor", "Greater Moor PCN", code="U00003", commissioner="99X"))

    names = ["Riverside Surgery", "St Anne’s Medical Centre", "The Quay Practice", "Mill Lane Health"]
    for i, (code, size) in enumerate(RIVERSIDE_SIZES.items()):
        p.practices[code] = _practice(code, names[i], -1.60 + 0.025 * i, 53.80 + 0.02 * i)
        p.list_sizes[code][COUNTED] = size
        p.list_sizes[code][date(2023, 1, 1)] = size - 100
        p.add_membership(Membership(code, riverside.id, start=date(2019, 7, 1)))
    for i, (code, size) in enumerate(HILLVIEW_SIZES.items()):
        p.practices[code] = _practice(code, ["Hillview Surgery", "Crag Road Practice"][i],
                                      -1.50 + 0.04 * i, 53.83)
        p.list_sizes[code][COUNTED] = size
        p.add_membership(Membership(code, hillview.id, start=date(2019, 7, 1)))
    for i in range(20):
        code = f"B83{i:03d}"
        p.practices[code] = _practice(code, f"Moorside Family Practice number {i + 1} with a long name",
                                      -1.41 + 0.018 * (i % 5), 53.79 + 0.022 * (i // 5))
        p.list_sizes[code][COUNTED] = 2600
        p.add_membership(Membership(code, moor.id, start=date(2020, 4, 1)))

    riverside.director = ClinicalDirector("Dr Asha Patel", practice_code="B82002",
                                          professional_body="GMC", registration_number="7012345",
                                          wte=0.25, start=date(2023, 4, 1))
    riverside.nominated_payee = "B82001"
    riverside.agreement_signed = date(2024, 3, 28)
    moor.director = ClinicalDirector("Dr Tom O’Neill", practice_code="B83004", wte=0.3)
    moor.nominated_payee = "B83000"
    moor.agreement_signed = date(2024, 3, 30)

    # A 3 x 2 grid of small areas: the left column Riverside, the middle Hillview, the
    # right Greater Moor.
    for col, net in enumerate([riverside, hillview, moor]):
        for row in range(2):
            code = f"E0100{col}{row}"
            p.areas[code] = SmallArea(code, f"Area {col}{row}",
                                      box(-1.62 + 0.1 * col, 53.78 + 0.05 * row,
                                          -1.52 + 0.1 * col, 53.83 + 0.05 * row))
            p.area_assignments[code] = net.id

    p.workforce[riverside.id] = [
        PlannedRole("Clinical pharmacist", 2.0, "2024-04", "2025-03", 131676.0),
        PlannedRole("Social prescribing link worker", 1.0, "2024-04", "2025-03", 40159.0),
        PlannedRole("Care coordinator", 1.5, "2024-07", "2025-03", 50094.0),
    ]
    # another scenario's plan is not this one's: its agreement must not print it
    p.copy_scenario(p.scenario_name, "what-if").workforce[riverside.id].append(
        PlannedRole("Paramedic", 1.0, "2024-04", "2025-03", 60000.0))
    return p
