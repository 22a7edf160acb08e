"""Clauses about a director or payee not yet recorded say so in words: never "is  ()"."""
from __future__ import annotations

import re

from pypdf import PdfReader

from pcn_desktop.paths import resource
from pcn_desktop.reports.agreement_batch import export_agreements
from pcn_desktop.store import load_project


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def test_a_network_without_director_or_payee_prints_not_recorded(tmp_path) -> None:
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    east = project.find_network("U90002")             # the sample's network with no director
    assert east.director is None or not east.director.name
    east.nominated_payee = ""
    north = project.find_network("U90001")            # and one with both
    written = export_agreements(project, tmp_path, network_ids=[east.id, north.id])
    texts = {path.stem: _text(path) for path in (tmp_path / "U90002.pdf", tmp_path / "U90001.pdf")}
    assert written
    east_text, north_text = texts["U90002"], texts["U90001"]
    assert not re.search(r"\(\s*\)", east_text), "an empty pair of brackets was printed"
    assert "the clinical director is [not recorded]" in east_text
    assert "paid to the nominated payee, [not recorded]" in east_text
    assert "The members chose [not recorded] as the nominated payee" in east_text
    assert "the clinical director is Dr Helen Marsden (The Elms Surgery (Y90008))" in north_text
    assert "paid to the nominated payee, Wellspring Medical Practice (Y90012)" in north_text
