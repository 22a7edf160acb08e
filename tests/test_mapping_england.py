"""All of England by the MAPPING_NHS_GEOGRAPHIES route, checked against pandas (skipped without
../shared/data).

NHS Digital's mapping file names each practice's PCN; a practice in no PCN has the network
code ``U`` ("Unallocated"). pandas takes every other code as a PCN, sums the January 2021
list sizes of its practices, and the app's networks, totals and under-30,000 count must equal
it, PCN by PCN; the practices marked ``U`` are in no network and reported so.
"""
from __future__ import annotations

import pandas as pd
import pytest
from cli_run import EPRACCUR_2021, LISTS_2021, MAPPING_2021, england_project

from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def england(tmp_path_factory) -> dict:
    return england_project(tmp_path_factory.mktemp("england"), EPRACCUR_2021, LISTS_2021, MAPPING_2021)


def _expected(files: list[str]) -> tuple[dict[str, tuple[list[str], int]], set[str]]:
    """pandas alone: PCN code -> (its practices, their combined list); the practices in no PCN."""
    lists = pd.read_csv(files[1], dtype=str)
    lists = lists[(lists["SEX"] == "ALL") & (lists["AGE"] == "ALL")]
    sizes = dict(zip(lists["CODE"], lists["NUMBER_OF_PATIENTS"].astype(int)))
    mapping = pd.read_csv(files[2], dtype=str, keep_default_na=False)
    in_none = mapping["PCN_ODS_CODE"].str.strip().str.upper() == "U"
    pcns = mapping[~in_none].groupby("PCN_ODS_CODE")["PRACTICE_CODE"].agg(sorted).to_dict()
    return ({code: (members, sum(sizes.get(c, 0) for c in members)) for code, members in pcns.items()},
            set(mapping.loc[in_none, "PRACTICE_CODE"]))


def test_every_network_equals_pandas_and_unallocated_practices_are_in_none(england):
    expected, in_none = _expected(england["files"])
    assert len(in_none) == 70                       # the January 2021 file's practices in no PCN
    got = {n["code"]: (sorted(n["practices"]), n["list_size"]) for n in england["report"]["networks"]}
    assert "U" not in got and not any(n["name"].casefold() == "unallocated" for n in england["report"]["networks"])
    assert got == expected
    under = {code for code, (_, size) in expected.items() if size < 30_000}
    flagged = {f["network"] for f in england["report"]["findings"] if f["rule"] == "list-size-minimum"}
    assert flagged == under and len(under) > 100
    project = load_project(england["path"])
    assert all(not project.networks_of(code) for code in in_none if code in project.practices)
    unassigned = {f["practice"] for f in england["report"]["findings"] if f["rule"] == "practice-unassigned"}
    assert in_none & set(project.practices) <= unassigned
    assert "70 practices marked as in no PCN" in england["summary"]
