"""All of England counted at one date, checked against pandas (skipped without ../shared/data).

The lists are January 2021 counts and the ePCN file is the May 2022 release with every
practice-to-PCN link and its dates. pandas takes the links in force on the lists' extract
date (start on or before it, end on or after it or open), sums the list sizes per PCN, and
the app's networks, totals and under-30,000 findings must equal it, PCN by PCN.
"""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from cli_run import EPCN_2022, EPRACCUR_2021, LISTS_2021, england_project, run_cli as _run

from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def england(tmp_path_factory) -> dict:
    return england_project(tmp_path_factory.mktemp("england"), EPRACCUR_2021, EPCN_2022, LISTS_2021)


def _expected(files: list[str], at: date | None = None) -> tuple[date, dict[str, set[str]], dict[str, int]]:
    """pandas alone: (list date, members per PCN code in force at the date, combined list per PCN)."""
    lists = pd.read_csv(files[2], dtype=str)
    lists = lists[(lists["SEX"] == "ALL") & (lists["AGE"] == "ALL")]
    extract = pd.to_datetime(lists["EXTRACT_DATE"], format="%d%b%Y").max().date()
    at = at or extract
    sizes = dict(zip(lists["CODE"], lists["NUMBER_OF_PATIENTS"].astype(int)))
    links = pd.read_excel(files[1], sheet_name="PCN Core Partner Details", dtype=str)
    links.columns = [" ".join(str(c).split()) for c in links.columns]
    start = pd.to_datetime(links["Practice to PCN Relationship Start Date"].str[:8], format="%Y%m%d")
    end = pd.to_datetime(links["Practice to PCN Relationship End Date"].str[:8], format="%Y%m%d")
    day = pd.Timestamp(at)
    live = links[(start <= day) & (end.isna() | (end >= day))]
    members = live.groupby("PCN Code")["Partner Organisation Code"].agg(set).to_dict()
    totals = {pcn: sum(sizes.get(c, 0) for c in codes) for pcn, codes in members.items()}
    return extract, members, totals


def test_every_pcn_counted_from_the_links_in_force_on_the_list_date(england):
    extract, members, totals = _expected(england["files"])
    report = england["report"]
    assert report["list_date"] == extract.isoformat() == "2021-01-01"
    app = {n["code"]: n for n in report["networks"]}
    for code, codes in members.items():
        assert set(app[code]["practices"]) == codes, code
        assert app[code]["list_size"] == totals[code], code
    # every other network the app holds has no member on that date
    assert all(not n["practices"] for c, n in app.items() if c not in members)
    assert len(members) > 1200


def test_the_networks_flagged_under_30000_are_those_pandas_finds(england):
    _, members, totals = _expected(england["files"])
    expected = {c for c, n in totals.items() if n < 30000}
    flagged = {f["network"] for f in england["report"]["findings"] if f["rule"] == "list-size-minimum"}
    assert flagged == expected
    assert 50 < len(expected) < 200


def test_practices_in_a_network_on_the_list_date_are_not_reported_unassigned(england):
    _, members, _ = _expected(england["files"])
    in_force = set().union(*members.values())
    unassigned = {f["practice"] for f in england["report"]["findings"] if f["rule"] == "practice-unassigned"}
    assert not unassigned & in_force


def test_the_import_says_the_files_come_from_different_dates(england):
    summary = england["summary"]
    assert "lists counted at 2021-01-01" in summary and "links recorded up to 2022-" in summary
    info = [f for f in england["report"]["findings"] if f["rule"] == "counting-dates-differ"]
    assert len(info) == 1 and info[0]["severity"] == "info"
    assert "2021-01-01" in info[0]["message"] and "2022-" in info[0]["message"]


def test_as_at_recounts_memberships_and_lists_at_another_date(england):
    status, text = _run(["validate", england["path"], "--json", "--as-at", "2020-06-01"])
    report = json.loads(text)
    _, members, _ = _expected(england["files"], date(2020, 6, 1))
    app = {n["code"]: set(n["practices"]) for n in report["networks"]}
    # the import keeps the history its own counting date needs (not a closed PCN nobody was
    # in on 2021-01-01, nor ended links of practices no file names): compare what it holds
    held = set(load_project(england["path"]).practices)
    compared = [c for c in members if c in app]
    assert len(compared) > 1200
    assert all(app[c] == members[c] & held for c in compared)
    january = _expected(england["files"])[1]
    assert sum(app[c] != january.get(c, set()) for c in compared) > 20
    # the only lists held are January 2021's: those are the counts used, and said so
    assert report["list_date"] == "2021-01-01" and report["as_at"] == "2020-06-01"


def test_funding_defaults_to_the_year_the_counts_belong_to(england):
    _, text = _run(["funding", england["path"], "--json"])
    report = json.loads(text)
    assert report["year"] == "2021/22" and report["list_date"] == "2021-01-01"
    assert report["counts_note"] == ""
    _, totals = _expected(england["files"])[1:]
    assert report["ccg"]["registered_list"] == sum(totals.values())


def test_funding_of_another_year_says_which_counts_it_used(england):
    _, text = _run(["funding", england["path"], "--json", "--year", "2024/25"])
    report = json.loads(text)
    assert report["year"] == "2024/25" and report["year_list_date"] == "2024-01-01"
    assert report["list_date"] == "2021-01-01"
    assert "2021-01-01" in report["counts_note"] and "2024-01-01" in report["counts_note"]
    _, table = _run(["funding", england["path"], "--year", "2024/25"])
    assert "lists counted at 2021-01-01" in table.splitlines()[0]
    assert table.splitlines()[1].startswith("Note: 2024/25 counts lists at 2024-01-01")
