"""Agreements and the registration pack on real Pennine Lancashire data (NHS Blackburn with
Darwen 00Q and East Lancashire 01A), checked against the source files read with pandas and
against `pcn-desktop funding --json`. Skipped when ../shared/data is absent."""
from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
from conftest import shared_file
from pypdf import PdfReader

from pcn_desktop.cli import main
from pcn_desktop.store import load_project

pytestmark = pytest.mark.realdata

FILES = [("pennine_lancashire", "bwd-ph_boundaries", "lsoa.geojson"),
         ("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv"),
         ("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv"),
         ("england", "psychty_Population-pyramids", "ePCN.xlsx"),
         ("england", "psychty_primary-care-geographies", "epraccur.csv")]


def _run(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return out.getvalue()


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def pennine(tmp_path_factory):
    files = [str(shared_file(*f)) for f in FILES]
    folder = tmp_path_factory.mktemp("pennine-agreements")
    project = folder / "pennine.pcnproj"
    _run(["import", str(project), *files, "--commissioner", "00Q", "01A"])
    _run(["agreements", str(project), str(folder / "pdf"), "--pack"])
    return project, folder / "pdf"


@pytest.fixture(scope="module")
def source_lists():
    import pandas as pd
    regs = pd.read_csv(shared_file("pennine_lancashire", "bwd-ph_mapdata", "lsoapops.csv"))
    defs = pd.read_csv(shared_file("pennine_lancashire", "bwd-ph_mapdata", "PCNdefs.csv"))
    defs["PCN"] = defs["PCN"].str.strip()
    sizes = regs.groupby("PRACTICE_CODE")["Number.of.Patients"].sum()
    return defs.assign(size=defs["PCode"].map(sizes).fillna(0).astype(int)).groupby("PCN")["size"].sum()


def test_darwen_lists_year_and_figures_equal_funding_json(pennine, source_lists) -> None:
    project, pdf = pennine
    text = _text(pdf / "U88348.pdf")
    flat = " ".join(text.split())
    assert f"Combined list {source_lists['DARWEN PCN']:,}" in flat            # 32,318, from pandas
    assert "Contract year 2020/21" in flat and "Lists counted at 1 January 2020" in flat
    assert "2024/25" not in flat and "2021/22" not in flat                   # one year only
    report = json.loads(_run(["funding", str(project), "--json", "--year", "2020/21"]))
    net = next(n for n in report["networks"] if n["code"] == "U88348")
    assert net["registered_list"] == source_lists["DARWEN PCN"]
    for stream in net["streams"].values():
        if stream["paid_to"] == "network" and stream["amount"] is not None:
            assert f"£{stream['amount']:,.2f}" in flat, stream["label"]
    assert f"£{net['network_payments']:,.2f}" in flat


def test_commissioner_named_and_names_in_title_case(pennine) -> None:
    project, pdf = pennine
    flat = " ".join(_text(pdf / "U88348.pdf").split())
    assert "Commissioner NHS Blackburn with Darwen CCG (00Q)" in flat
    assert "Darwen PCN" in flat and "DARWEN PCN" not in flat
    p = load_project(project)
    for code in p.members(next(n.id for n in p.networks.values() if n.code == "U88348")):
        name = p.practices[code].name
        assert name.isupper() and name not in flat                          # published in capitals
    assert "Darwen Healthcare" in flat and "Spring-Fenisco Healthlink" in flat


def test_real_copy_is_draft_with_reasons_and_no_area_map(pennine) -> None:
    _, pdf = pennine
    flat = " ".join(_text(pdf / "U88348.pdf").split())
    assert "DRAFT. This copy is not for signature until the following are put right:" in flat
    assert "Darwen PCN has no clinical director" in flat
    assert "Schedule 6: its title in the national Schedules is not recorded" in flat
    assert "No network area recorded" in flat and "The shaded area" not in flat
    assert "Open Government Licence v3.0" in flat


def test_real_pack_not_ready_lists_unsigned_per_network(pennine) -> None:
    project, pdf = pennine
    pages = [p.extract_text() for p in PdfReader(str(pdf / "registration-pack.pdf")).pages]
    cover = " ".join(pages[0].split())
    assert "NHS Blackburn with Darwen CCG (00Q) and NHS East Lancashire CCG (01A)" in cover
    assert "Networks 13 (0 ready to register)" in cover
    assert "Ready to register." not in " ".join(pages)
    flat = " ".join(" ".join(pages).split())
    p = load_project(project)
    for net in p.networks.values():
        title = re.sub(r"\bPcn\b", "PCN", net.name.title())
        assert f"{title} has no signed network agreement recorded" in flat
    assert "Coverage: NHS Blackburn with Darwen CCG (00Q) and NHS East Lancashire CCG (01A)" in flat
