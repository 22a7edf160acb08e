"""West Sussex (Dec 2019) and Pennine Lancashire (2020) as projects for the formation tests,
built straight from the real files with pandas, directors, payees and agreements filled in so
that only what membership decides is left for the proposals to fix."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
from conftest import shared_file

from pcn_desktop.domain.model import ClinicalDirector, Membership, Network, Practice, PracticeStatus, Project

WS_DATE = date(2019, 12, 1)
PENNINE_DATE = date(2020, 4, 1)


def west_sussex_frame() -> pd.DataFrame:
    path = shared_file("west_sussex", "psychty_primary-care-geographies", "gp_lookup_pcn_overview.json")
    return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))


def west_sussex_project() -> Project:
    df = west_sussex_frame()
    project = Project()
    project.name = "West Sussex, December 2019"
    nets: dict[str, Network] = {}
    for row in df.itertuples():
        project.practices[row.Code] = Practice(row.Code, row.Name, latitude=float(row.lat), longitude=float(row.long))
        project.list_sizes[row.Code][WS_DATE] = int(row.Patients)
        net = nets.get(row.PCN) or nets.setdefault(
            row.PCN, project.add_network(Network(f"ws{len(nets):02d}", row.PCN)))
        project.add_membership(Membership(row.Code, net.id))
    _complete(project)
    return project


def pennine_frames() -> tuple[pd.DataFrame, pd.Series]:
    pcns = pd.read_csv(shared_file("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv"))
    pcns["PCN"] = pcns["PCN"].str.strip()
    pops = pd.read_csv(shared_file("pennine_lancashire", "bwd-ph_mapdata", "practicepops.csv"))
    sizes = pops.groupby("ORG_CODE")["abs_pop"].sum()
    return pcns, sizes


def pennine_project(closed: str = "") -> Project:
    """The 13 PCNs of 2020 with April 2020 lists and postcode coordinates; ``closed`` names a
    practice to mark closed (a closure that takes its network under the floor)."""
    from pcn_desktop.io.postcodes import lat_longs
    pcns, sizes = pennine_frames()
    ods = pd.read_csv(shared_file("england", "psychty_primary-care-geographies", "epraccur.csv"),
                      header=None, dtype=str, usecols=[0, 9, 12])
    postcode = dict(zip(ods[0], ods[9]))
    where = lat_longs(postcode[c] for c in pcns["PCode"] if c in postcode)
    project = Project()
    project.name = "Pennine Lancashire, 2020"
    nets: dict[str, Network] = {}
    for row in pcns.itertuples():
        loc = where.get(postcode.get(row.PCode, ""))
        p = Practice(row.PCode, row._2, postcode=postcode.get(row.PCode, ""),
                     latitude=loc[0] if loc else None, longitude=loc[1] if loc else None)
        if row.PCode == closed:
            p.status = PracticeStatus.CLOSED
        project.practices[row.PCode] = p
        if row.PCode in sizes.index:
            project.list_sizes[row.PCode][PENNINE_DATE] = int(sizes[row.PCode])
        else:                          # P81778: no patients left; dormant in ODS
            p.status = PracticeStatus.DORMANT
        net = nets.get(row.PCN) or nets.setdefault(row.PCN, project.add_network(Network(f"pl{len(nets):02d}", row.PCN)))
        project.add_membership(Membership(row.PCode, net.id))
    _complete(project)
    return project


def _complete(project: Project) -> None:
    for net in project.networks.values():
        open_members = sorted(c for c in project.members(net.id) if not project.is_closed(c))
        first = open_members[0]
        net.director = ClinicalDirector("Dr Example", first, "GMC", "1000000", 1.0, date(2019, 7, 1))
        net.nominated_payee = first
        net.agreement_signed = date(2019, 6, 30)
