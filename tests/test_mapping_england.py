"""All of England by the MAPPING_NHS_GEOGRAPHIES route, checked against pandas (skipped without
../shared/data).

NHS Digital's mapping file names each practice's PCN; a practice in no PCN has the network
code ``U`` ("Unallocated"). pandas takes every other code as a PCN, sums the January 2021
list sizes of its practices, and the app's networks, totals and under-30,000 count must equal
it, PCN by PCN; the practices marked ``U`` are in no network and reported so.
"""
from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest
from conftest import shared_file

from pcn_desktop.cli import main
from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata

EPRACCUR = ("england", "psychty_pcn_hi_2022_des", "epraccur.csv")
LISTS = ("england", "bristolpeteredwards_Patient-satisfaction-GP-list-size-2021", "gp-reg-pat-prac-all.csv")
MAPPING = ("england", "psychty_pcn_hi_2022_des", "MAPPING_NHS_GEOGRAPHIES_2021.csv")


def _run(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    return status, out.getvalue()


@pytest.fixture(scope="module")
def england(tmp_path_factory) -> dict:
    files = [str(shared_file(*f)) for f in (EPRACCUR, LISTS, MAPPING)]
    target = str(tmp_path_factory.mktemp("england") / "england.pcnproj")
    status, summary = _run(["import", target, *files])
    assert status == 0, summary
    _, report = _run(["validate", target, "--json"])
    return {"path": target, "summary": summary, "report": json.loads(report), "files": files}


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
