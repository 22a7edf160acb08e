"""The registration pack, batch export and the `agreements` subcommand."""
from __future__ import annotations

import argparse
import io
from datetime import date

from pypdf import PdfReader

from agreements_synthetic import complete_settings, synthetic_project
from pcn_desktop.cli import agreements as agreements_cli
from pcn_desktop.domain.model import Membership, Network, Practice
from pcn_desktop.reports.agreement_batch import agreement_filenames, export_agreements, safe_filename
from pcn_desktop.reports.registration_pack import build_registration_pack, coverage
from pcn_desktop.store import save_project


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pack_pages(project) -> tuple[list[str], object]:
    buf = io.BytesIO()
    printed = build_registration_pack(project, buf)
    return pages_text(buf.getvalue()), printed


def _page_of(pages: list[str], needle: str) -> int:
    return next(i for i, p in enumerate(pages) if needle in p)


def test_cover_then_one_section_per_network_then_coverage() -> None:
    pages, printed = pack_pages(complete_settings(synthetic_project()))
    cover = " ".join(pages[0].split())
    assert "Registration pack" in cover and "NHS Moorton CCG (99X)" in cover
    assert "Effective date 1 April 2023" in cover and "Lists counted at 1 January 2023" in cover
    assert "Networks 3 (1 ready to register)" in cover
    assert "Open practices 26, 26 in a network (100.0%)" in cover
    assert "Patients in networks 98,200" in cover
    assert "Not ready to register" in cover and "Ready to register." not in cover
    assert "Open Government Licence v3.0" in cover                # the map's attribution
    # sorted by name: Greater Moor, Hillview, Riverside; then coverage (26 practices)
    moor, hill, river = (_page_of(pages, f"PCN registration: {n}") for n in
                         ("Greater Moor PCN", "Hillview PCN", "Riverside PCN"))
    assert 0 < moor < hill < river
    assert "Greater Moor PCN (U00003)" in pages[moor] and "Hillview PCN (U00002)" in pages[hill]
    assert "52,000 at 1 January 2023" in pages[moor]
    assert "33,700 at 1 January 2023" in pages[river]
    assert "Dr Asha Patel" in pages[river] and "Riverside Surgery (B82001)" in pages[river]
    assert "DRAFT" in pages[hill] and "DRAFT" not in pages[river]
    missing = " ".join(" ".join(pages[:moor]).split())
    assert "Hillview PCN has no signed network agreement recorded" in missing
    assert "Hillview PCN has no clinical director" in missing
    cov = "\n".join(pages[_page_of(pages, "Coverage: NHS Moorton CCG"):])
    assert "All 26 open practices are in exactly one network: 100% coverage." in cov
    assert "DRAFT" not in cov
    assert printed.draft
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page
        assert f"Fingerprint {printed.fingerprint[:12]}" in page


def test_ready_only_when_every_rule_passes_signed_included() -> None:
    p = complete_settings(synthetic_project())
    buf = io.BytesIO()
    printed = build_registration_pack(p, buf, ["net-river"])
    pages = pages_text(buf.getvalue())
    assert not printed.draft
    assert "Ready to register." in pages[0] and "DRAFT" not in "\n".join(pages)
    p.networks["net-river"].agreement_signed = None              # the agreement is unsigned
    buf = io.BytesIO()
    printed = build_registration_pack(p, buf, ["net-river"])
    text = " ".join(" ".join(pages_text(buf.getvalue())).split())
    assert printed.draft and "Not ready to register" in text
    assert "Riverside PCN has no signed network agreement recorded" in text
    assert "Agreement signed not signed" in text


def test_incomplete_coverage_is_named_and_draft() -> None:
    p = synthetic_project()
    p.practices["B89999"] = Practice("B89999", "Lonely Lane Surgery", commissioner="99X")
    p.list_sizes["B89999"][date(2024, 1, 1)] = 4100
    p.add_membership(Membership("B82010", "net-river"))            # now in two networks
    cov = coverage(p)
    assert cov["unassigned"] == ["B89999"] and cov["several"] == ["B82010"]
    pages, _ = pack_pages(p)
    first = _page_of(pages, "Coverage: Synthetic CCG")
    text = "\n".join(pages[first:])
    assert "26 of 27 open practices (96.3%) are in a network" in text
    assert "In no network: B89999" in text
    assert "In more than one network: B82010" in text
    assert "DRAFT" in pages[first]
    assert "not complete (see the coverage pages)" in pages[0]


def test_long_coverage_table_repeats_its_header() -> None:
    p = synthetic_project()
    net = p.networks["net-moor"]
    for i in range(120):
        code = f"C{i:05d}"
        p.practices[code] = Practice(code, f"Extra practice {i}")
        p.list_sizes[code][date(2024, 1, 1)] = 1000 + i
        p.add_membership(Membership(code, net.id))
    pages, _ = pack_pages(p)
    coverage_pages = [pg for pg in pages if "Synthetic CCG: coverage" in pg]
    assert len(coverage_pages) >= 3
    for page in coverage_pages:
        assert "ODS code Practice Network List at 1 January 2024" in " ".join(page.split())
    assert "C00119" in coverage_pages[-1] and "1,119" in coverage_pages[-1]


def test_file_names_from_code_or_safe_name() -> None:
    p = synthetic_project()
    p.add_network(Network("n4", "St Anne’s / North: PCN", code=""))
    p.add_network(Network("n5", "CON", code=""))
    p.add_network(Network("n6", "Riverside PCN", code="U00001"))     # a clashing code
    names = agreement_filenames(p, ["net-river", "n4", "n5", "n6"])
    assert names == {"net-river": "U00001.pdf", "n4": "St_Annes_North_PCN.pdf",
                     "n5": "network_CON.pdf", "n6": "U00001-2.pdf"}
    assert safe_filename("..") == "network"


def test_batch_export_and_cancel(tmp_path) -> None:
    p = synthetic_project()
    seen = []
    done = export_agreements(p, tmp_path / "out", pack=True,
                             progress=lambda i, n, path: seen.append((i, n)))
    assert [d.path.name for d in done] == ["U00003.pdf", "U00002.pdf", "U00001.pdf",
                                           "registration-pack.pdf"]
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert all(d.path.stat().st_size > 10_000 for d in done)
    calls = iter([False, True])
    partial = export_agreements(p, tmp_path / "cancelled", cancelled=lambda: next(calls))
    assert [d.path.name for d in partial] == ["U00003.pdf"]


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    agreements_cli.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_writes_named_network(tmp_path, capsys) -> None:
    project_file = tmp_path / "ccg.pcnproj"
    save_project(synthetic_project(), project_file)
    status = _run_cli(["agreements", str(project_file), str(tmp_path / "pdf"), "--network", "U00002",
                       "--pack"])
    out = capsys.readouterr().out
    assert status == 0
    assert sorted(f.name for f in (tmp_path / "pdf").iterdir()) == ["U00002.pdf", "registration-pack.pdf"]
    assert "U00002.pdf" in out and "DRAFT" in out and "s per agreement" in out
    text = "\n".join(pages_text((tmp_path / "pdf" / "U00002.pdf").read_bytes()))
    assert "B82010" in text and "7,300" in text


def test_cli_refuses_unknown_network(tmp_path) -> None:
    import pytest
    from pcn_desktop.cli import CliError
    project_file = tmp_path / "ccg.pcnproj"
    save_project(synthetic_project(), project_file)
    with pytest.raises(CliError, match="no network 'U99999'"):
        _run_cli(["agreements", str(project_file), str(tmp_path / "pdf"), "--network", "U99999"])


def test_sample_pack_prints_the_exemption_and_names_the_ccg() -> None:
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    pages, printed = pack_pages(project)
    assert "NHS Wyre Vale CCG (99X)" in pages[0] and printed.draft
    cover = " ".join(" ".join(pages[:2]).split())
    assert ("Fellside Rural PCN (rural exemption approved 23 May 2019 by the CCG's primary care "
            "commissioning committee)") in cover
    fellside = " ".join(pages[_page_of(pages, "PCN registration: Fellside Rural PCN")].split())
    assert "Exemption from the minimum list size" in fellside
    assert "Rural exemption from the 30,000-patient minimum (combined list 25," in fellside
    assert "Approved on 23 May 2019" in fellside
    assert "Approved by the CCG's primary care commissioning committee" in fellside


def test_no_page_ends_on_a_network_name_whose_list_is_overleaf() -> None:
    """'What is missing' names each network then lists its gaps: the sample's page 3 ended on
    "Hollinbeck & Kelderby PCN (U90007)" with every line of its list on page 4."""
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    pages, _ = pack_pages(project)
    headings = {f"{n.name} ({n.code})" for n in project.networks.values()}
    seen = 0
    for number in range(_page_of(pages, "What is missing"), len(pages)):
        if "PCN registration:" in pages[number]:
            break                              # the networks' own sections begin
        lines = [" ".join(line.split()) for line in pages[number].splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if line in headings:
                seen += 1
                assert lines[i + 1:i + 2] and lines[i + 1].startswith("•"), \
                    f"page {number + 1}: {line} is not followed by its first gap"
    assert seen >= 6
