"""Build the sample CCG, "NHS Wyre Vale CCG (sample)", from one seed.

Deterministic: the same seed gives the same project on every run, independent of the clock
(network ids come from their names, the audit entry has a fixed time).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

import numpy as np

from ..domain.model import AuditEntry, Membership, Network, Practice, Project, SmallArea
from . import geography as geo
from . import networks as nets
from . import people, staffing

SAMPLE_SEED = 20191
COMMISSIONER = "99X"            # not a CCG code NHS Digital ever issued (99A-99Q were)
PROJECT_NAME = "NHS Wyre Vale CCG (sample)"
LIST_DATES = (date(2019, 1, 1), date(2020, 1, 1), date(2021, 1, 1))
MEMBERSHIP_START = date(2019, 7, 1)
GENERATED_AT = datetime(2020, 1, 15, 9, 0)
# Network ODS codes: U9000x, checked absent from NHS Digital's ePCN (May 2022).
NETWORK_CODES = {"ashbridge-north": "U90001", "ashbridge-east": "U90002", "ashbridge-south": "U90003",
                 "ashbridge-west": "U90004", "wyreford": "U90005", "calderby": "U90006",
                 "hollinbeck": "U90007", "fellside": "U90008"}
NO_DIRECTOR = "ashbridge-east"           # the network that has lost its clinical director
UNDERFUNDED_DIRECTOR = "wyreford"        # the large network whose director works 0.25 WTE
RURAL_REASON = ("A natural community of fell villages spread over some 450 km² of upland with "
                "a low population density (DES 2019/20 para 3.2); the nearest town networks are "
                "12-20 km away by road. Exemption agreed by the CCG's primary care commissioning "
                "committee on 23 May 2019.")
_ID_NAMESPACE = uuid.UUID("5a3f1c2e-7d4b-4e0a-9c61-2f8e3b7a9d10")


def generate_sample(seed: int = SAMPLE_SEED) -> Project:
    rng = np.random.default_rng(seed)
    outline = geo.build_outline(rng)
    areas = geo.seed_points(rng, outline)
    geo.tessellate(areas, outline)
    practices = people.place_practices(rng, outline)
    pop = people.populations(rng, areas)
    dist = people.distances_km(areas, practices)
    attract = np.array([p.attractiveness for p in practices])
    plans, unassigned = nets.design(practices, people.expected_lists(dist, attract, pop))
    attract = nets.calibrate(plans, unassigned, dist, attract, pop)
    counts = people.draw_registrations(rng, dist, attract, pop)
    nets.assign_places(areas, counts, plans)
    geo.name_areas(areas)

    project = Project()
    project.name = PROJECT_NAME
    # The workforce plans are for 2020/21, so funding and agreements open on that year.
    project.settings["contract_year"] = "2020/21"
    # Printed on agreements and the registration pack instead of the bare code.
    project.settings["commissioner_names"] = {COMMISSIONER: "NHS Wyre Vale CCG"}
    latest = LIST_DATES[-1]
    for a in sorted(areas, key=lambda a: a.code):
        project.areas[a.code] = SmallArea(a.code, a.name, geo.km_to_wgs84(a.cell), a.place)
    for p in practices:
        lon, lat = geo.km_point_to_lonlat(p.x, p.y)
        project.practices[p.code] = Practice(p.code, p.name, p.address, p.postcode, lat, lon,
                                             opened=date(1974, 4, 1), commissioner=COMMISSIONER)
    regs = project.registrations[latest]
    for ai, pi in zip(*np.nonzero(counts)):
        regs[(practices[pi].code, areas[ai].code)] = int(counts[ai, pi])
    lists = counts.sum(axis=0)
    history = people.earlier_lists(rng, lists, len(LIST_DATES) - 1)
    for i, p in enumerate(practices):
        project.list_sizes[p.code][latest] = int(lists[i])
        for when, sizes in zip(reversed(LIST_DATES[:-1]), history):
            project.list_sizes[p.code][when] = int(sizes[i])
    _add_networks(project, rng, plans, practices)
    project.audit.append(AuditEntry("sample generated", "", f"{PROJECT_NAME}, seed {seed}",
                                    GENERATED_AT, "scripts/make_sample_ccg.py"))
    return project


def _add_networks(project: Project, rng: np.random.Generator, plans: list[nets.NetworkPlan],
                  practices: list[people.PracticeDraft]) -> None:
    latest = LIST_DATES[-1]
    lists = {p.code: project.list_size(p.code, latest) for p in practices}
    for k, plan in enumerate(sorted(plans, key=lambda n: NETWORK_CODES[n.key])):
        members = sorted(practices[i].code for i in plan.members)
        size = sum(lists[c] for c in members)
        situation = {NO_DIRECTOR: "no-director", UNDERFUNDED_DIRECTOR: "director-underfunded"}.get(plan.key, "ok")
        papers = staffing.paperwork(rng, situation, members, lists, k)
        net = Network(uuid.uuid5(_ID_NAMESPACE, plan.key).hex, plan.name, NETWORK_CODES[plan.key],
                      COMMISSIONER, nominated_payee=papers.payee, agreement_signed=papers.agreement_signed,
                      notes=papers.notes, director=papers.director)
        if plan.key == "fellside":
            net.exemption, net.exemption_reason = "rural", RURAL_REASON
        project.add_network(net)
        for code in members:
            project.add_membership(Membership(code, net.id, MEMBERSHIP_START))
        if situation != "no-director":
            project.workforce[net.id] = staffing.workforce_plan(rng, size)
