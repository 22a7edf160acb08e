"""The agreement PDF: what it says, when it is a DRAFT, and its fingerprint."""
from __future__ import annotations

import hashlib
import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from agreements_synthetic import HILLVIEW_SIZES, RIVERSIDE_SIZES, synthetic_project
from pcn_desktop.reports.agreement import agreement_bytes, build_agreement
from pcn_desktop.reports.agreement_data import gather
from pcn_desktop.reports.agreement_map import map_digest
from pcn_desktop.reports.clauses import ClauseTemplateError, load_template, shipped_template_path


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def project():
    return synthetic_project()


@pytest.fixture(scope="module")
def riverside(project):
    pdf, printed = agreement_bytes(project, "net-river")
    return pdf, printed, pages_text(pdf)


def test_valid_network_lists_members_sizes_director_payee(riverside) -> None:
    pdf, printed, pages = riverside
    text = "\n".join(pages)
    for code, size in RIVERSIDE_SIZES.items():
        assert code in text
        assert f"{size:,}" in text
    assert "34,100" in text                                   # combined list at 1 January
    assert "1 January 2024" in text
    assert "Dr Asha Patel" in text
    assert "Riverside Surgery (B82001)" in text               # the nominated payee
    assert "St Anne’s Medical Centre" in text                 # "’" printed as text
    assert "£131,676.00" in text and "£221,929.00" in text    # workforce plan, "£" printed
    assert "Paramedic" not in text                            # a what-if scenario is not the plan
    # Schedule 4 from the funding model: 2024/25 core funding, registered part, £2.218 x 34,100
    assert "£75,633.80" in text
    assert "Contract year" in text and "2024/25" in text
    assert "DRAFT" not in text
    assert not printed.draft


def test_every_page_has_name_page_of_and_fingerprint(riverside) -> None:
    _, printed, pages = riverside
    n = len(pages)
    assert n == printed.pages >= 5
    for i, page in enumerate(pages, start=1):
        assert "Riverside PCN (U00001)" in page
        assert f"Page {i} of {n}" in page
        assert f"Fingerprint {printed.fingerprint[:12]}" in page
    # in full on the title page (the table cell may wrap its last characters onto a new line)
    assert printed.fingerprint in "".join(pages[0].split())
    for number in range(1, 8):
        assert any(f"Schedule {number}:" in p for p in pages)
    assert any("Schedule 6: Title to be agreed locally" in p for p in pages)


def test_metadata_is_set(riverside) -> None:
    pdf, printed, _ = riverside
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Network agreement: Riverside PCN"
    assert meta.author == "99X"
    assert printed.fingerprint[:12] in meta.subject
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(595.2756, abs=0.01)


def test_network_with_errors_is_draft_on_every_page(project) -> None:
    pdf, printed = agreement_bytes(project, "net-hill")
    pages = pages_text(pdf)
    assert printed.draft
    assert all("DRAFT" in p for p in pages)
    text = "\n".join(pages)
    for code, size in HILLVIEW_SIZES.items():
        assert code in text and f"{size:,}" in text
    assert "Hillview PCN has no clinical director" in text
    assert "Hillview PCN has 12,500 patients; the minimum is 30,000" in text


def test_unsigned_agreement_alone_is_not_draft() -> None:
    p = synthetic_project()
    p.networks["net-river"].agreement_signed = None
    pdf, printed = agreement_bytes(p, "net-river")
    assert not printed.draft
    assert "DRAFT" not in "\n".join(pages_text(pdf))


def test_fingerprint_is_sha256_of_data_and_template(project) -> None:
    template = load_template()
    data = gather(project, "net-river", map_digest=map_digest(project, "net-river"))
    payload = {"kind": "agreement", "data": data.canonical(), "template": template.source_text}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    _, printed = agreement_bytes(project, "net-river")
    assert printed.fingerprint == hashlib.sha256(blob.encode()).hexdigest()


def test_fingerprint_stable_and_sensitive() -> None:
    p = synthetic_project()
    first = agreement_bytes(p, "net-river")[1].fingerprint
    assert agreement_bytes(synthetic_project(), "net-river")[1].fingerprint == first
    p.list_sizes["B82003"][date(2024, 1, 1)] = 7601
    assert agreement_bytes(p, "net-river")[1].fingerprint != first
    p.list_sizes["B82003"][date(2024, 1, 1)] = 7600
    assert agreement_bytes(p, "net-river")[1].fingerprint == first
    p.practices["B82001"].latitude += 0.001                   # the map moves
    assert agreement_bytes(p, "net-river")[1].fingerprint != first


def test_user_template_overrides_wording(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PCN_DESKTOP_CONFIG_DIR", str(tmp_path))
    text = shipped_template_path().read_text(encoding="utf-8").replace(
        'title = "Purpose"', 'title = "Why {network_name} exists"')
    (tmp_path / "agreement").mkdir()
    (tmp_path / "agreement" / "clauses.toml").write_text(text, encoding="utf-8")
    p = synthetic_project()
    p.settings["agreement"] = {"version": "3", "schedule6_title": "Estates and premises",
                               "schedules": {"2": "The director also chairs the estates group."}}
    pdf, printed = agreement_bytes(p, "net-river")
    joined = "\n".join(pages_text(pdf))
    assert "1. Why Riverside PCN exists" in joined
    assert "Schedule 6: Estates and premises" in joined
    assert "The director also chairs the estates group." in joined
    assert "version 3" in joined
    default = agreement_bytes(synthetic_project(), "net-river")[1].fingerprint
    assert printed.fingerprint != default


def test_unknown_placeholder_names_file_and_clause(tmp_path) -> None:
    path = tmp_path / "clauses.toml"
    path.write_text(shipped_template_path().read_text(encoding="utf-8").replace(
        "{network_name} to plan", "{network_nmae} to plan"), encoding="utf-8")
    template = load_template(path)
    with pytest.raises(ClauseTemplateError, match=r"clauses.toml clause 'purpose': unknown placeholder \{network_nmae\}"):
        build_agreement(synthetic_project(), "net-river", io.BytesIO(), template)


def test_broken_template_is_refused_by_name(tmp_path) -> None:
    path = tmp_path / "clauses.toml"
    path.write_text('[document]\ntitle = "x"\n[[clause]]\nid = "a"\ntitle = "A"\n', encoding="utf-8")
    with pytest.raises(ClauseTemplateError, match=r"clauses.toml: clause 1 has no 'text'"):
        load_template(path)


def test_twenty_member_network_flows_cleanly(project) -> None:
    pdf, printed = agreement_bytes(project, "net-moor")
    pages = pages_text(pdf)
    text = "\n".join(pages)
    for i in range(20):
        assert f"B83{i:03d}" in text
    assert "52,000" in text
    # every member has a signature block
    assert text.count("Signed for Moorside Family Practice number") == 20
    assert not printed.draft
