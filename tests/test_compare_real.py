"""Compare on real data (Pennine Lancashire, skipped without ../shared/data): one `assign` in a
copied scenario is exactly one move, and every network's size before and after agrees with
pandas summing the published registrations by the published practice -> PCN table."""
from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest
from conftest import shared_file

from pcn_desktop.cli import main

pytestmark = pytest.mark.realdata

EPRACCUR_2019 = ("england", "psychty_primary-care-geographies", "epraccur.csv")
PCNDEFS = ("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv")
LSOAPOPS = ("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv")
LSOA = ("pennine_lancashire", "bwd-ph_boundaries", "lsoa.geojson")
EPCN_2019 = ("england", "psychty_Population-pyramids", "ePCN.xlsx")


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


@pytest.fixture(scope="module")
def pennine(tmp_path_factory) -> str:
    files = [shared_file(*f) for f in (LSOA, LSOAPOPS, PCNDEFS, EPCN_2019, EPRACCUR_2019)]
    target = tmp_path_factory.mktemp("pennine-compare") / "pennine.pcnproj"
    assert _run("import", str(target), *map(str, files), "--commissioner", "00Q", "01A")[0] == 0
    return str(target)


def test_one_assign_is_one_move_and_sizes_agree_with_pandas(pennine: str) -> None:
    defs = pd.read_csv(shared_file(*PCNDEFS))
    pops = pd.read_csv(shared_file(*LSOAPOPS))
    per_practice = pops.groupby("PRACTICE_CODE")["Number.of.Patients"].sum()
    defs["patients"] = defs["PCode"].map(per_practice).fillna(0).astype(int)
    before = defs.groupby("PCN")["patients"].sum()
    # the smallest network gives its biggest practice to the largest one
    small, large = before.idxmin(), before.idxmax()
    mover = defs[defs["PCN"] == small].sort_values("patients").iloc[-1]
    after = before.copy()
    after[small] -= mover["patients"]
    after[large] += mover["patients"]

    assert _run("scenarios", pennine, "--copy", "current", "option")[0] == 0
    assert _run("assign", pennine, mover["PCode"], large, "--scenario", "option")[0] == 0
    status, out = _run("compare", pennine, "current", "option", "--json")
    assert status == 0
    report = json.loads(out)
    assert len(report["moves"]) == 1
    move = report["moves"][0]
    assert move["practice"] == mover["PCode"] and move["list_size"] == mover["patients"]
    names = {n["network"]: n["name"] for n in report["networks"]}
    assert names[move["from"]] == small and names[move["to"]] == large
    got = {n["name"]: (n["before"], n["after"]) for n in report["networks"]}
    assert got == {name: (int(before[name]), int(after[name])) for name in before.index}
    added = {(f["rule"], f["network"]) for f in report["findings"]["added"]}
    assert (("list-size-minimum", move["from"]) in added) == (after[small] < 30000 <= before[small])
    money = {f["network"]: f for f in report["funding"]["networks"]}
    assert money[move["from"]]["after"] < money[move["from"]]["before"]
    assert sum(1 for f in money.values() if f["before"] != f["after"]) == 2
