"""Builds a Project straight from the real Pennine Lancashire files for the geography tests
(csv + geopandas only, so the tests do not depend on the io importers)."""
from __future__ import annotations

import csv
from datetime import date, datetime
from functools import lru_cache

from conftest import shared_file

from pcn_desktop.domain.model import Membership, Network, Practice, Project, SmallArea

PENNINE = "pennine_lancashire"


@lru_cache(maxsize=1)
def _raw() -> tuple[list[tuple[str, str, object]], list[tuple[str, str]], list[tuple[str, str, str, int]]]:
    import geopandas as gpd
    lsoa = gpd.read_file(shared_file(PENNINE, "bwd-ph_boundaries", "lsoa.geojson"))
    areas = list(zip(lsoa["lsoa11cd"], lsoa["lsoa11nm"], lsoa.geometry))
    with open(shared_file(PENNINE, "bwd-ph_mapdata", "PCNdefs.csv"), newline="", encoding="utf-8-sig") as f:
        pcns = [(r["PCode"].strip(), r["PCN"].strip()) for r in csv.DictReader(f)]
    with open(shared_file(PENNINE, "bwd-ph_mapdata", "lsoapops.csv"), newline="", encoding="utf-8") as f:
        regs = [(r["PRACTICE_CODE"], r["PRACTICE_NAME"], r["LSOA_CODE"], int(r["Number.of.Patients"]))
                for r in csv.DictReader(f)]
    return areas, pcns, regs


def pennine_project() -> Project:
    """73+ practices in 13 PCNs, 343 LSOAs, April 2020 registrations (every practice in the
    file, including those outside the PCNs, so that their patients count in area totals)."""
    areas, pcns, regs = _raw()
    project = Project()
    project.name = "Pennine Lancashire"
    for code, name, geom in areas:
        project.areas[code] = SmallArea(code, name, geom)
    for code, name, _area, _n in regs:
        project.practices.setdefault(code, Practice(code, name.strip()))
    by_name: dict[str, Network] = {}
    for code, pcn in pcns:
        net = by_name.get(pcn)
        if net is None:
            net = by_name[pcn] = project.add_network(Network(f"n{len(by_name):02d}", pcn.title().replace("Pcn", "PCN")))
        project.practices.setdefault(code, Practice(code))
        project.add_membership(Membership(code, net.id))
    when = date(2020, 4, 1)
    for code, _name, area, n in regs:
        key = (code, area)
        project.registrations[when][key] = project.registrations[when].get(key, 0) + n
    return project
