"""The Schedules PDF read as text: what it is, its one contract year, its figures against
`pcn-desktop funding --json`, the workforce schedule, exemptions, cross-references, DRAFT
reasons, maps, exact shares, versions and the fingerprint."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader

from agreements_synthetic import RIVERSIDE_SIZES, complete_settings, synthetic_project
from pcn_desktop.cli import main
from pcn_desktop.domain.model import Practice
from pcn_desktop.reports.agreement import agreement_bytes, build_agreement
from pcn_desktop.reports.agreement_data import gather
from pcn_desktop.reports.agreement_map import map_digest
from pcn_desktop.reports.agreement_period import document_period
from pcn_desktop.reports.agreement_versions import next_entries
from pcn_desktop.reports.clauses import ClauseTemplateError, load_template, shipped_template_path
from pcn_desktop.reports.print_text import largest_remainder, title_case
from pcn_desktop.store import save_project


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def money(x: float) -> str:
    return f"£{x:,.2f}"


def funding_json(project, year: str, tmp_path) -> dict:
    """`funding --json` for the year, counted at the 1 January before it (the agreement's date)."""
    path = tmp_path / "p.pcnproj"
    save_project(project, path)
    out = io.StringIO()
    as_at = f"{year[:4]}-01-01"
    with contextlib.redirect_stdout(out):
        assert main(["funding", str(path), "--json", "--year", year, "--as-at", as_at]) == 0
    return json.loads(out.getvalue())


def section(text: str, start: str, end: str | None) -> str:
    """Text from the heading ``start`` to ``end`` (or the end)."""
    i = text.index(start)
    j = text.index(end, i) if end else len(text)
    return text[i:j]


@pytest.fixture(scope="module")
def complete():
    return complete_settings(synthetic_project())


@pytest.fixture(scope="module")
def riverside(complete):
    pdf, printed = agreement_bytes(complete, "net-river")
    return pdf, printed, pages_text(pdf)


# --- 1. the Schedules to the national agreement, under a cover that says so ----------------
def test_cover_names_the_national_agreement_and_what_members_sign(riverside) -> None:
    _, printed, pages = riverside
    cover = " ".join(pages[0].split())
    assert "Schedules to the Network Agreement" in cover
    assert "Network Contract Directed Enhanced Service (DES) Network Agreement, 2023/24, NHS England" in cover
    assert "clauses are not reproduced here" in cover
    assert "What the members sign" in cover
    assert "Schedules 1 to 7 below, completed for Riverside PCN, version 1" in cover
    assert "NHS Moorton CCG (99X)" in cover
    assert not printed.draft and "DRAFT" not in "\n".join(pages)
    text = "\n".join(pages)
    for number in range(1, 8):
        assert f"Schedule {number}:" in text
    # the project's own explanatory clauses come last, titled as a local supplement
    supplement = [i for i, p in enumerate(pages) if "Local supplement: explanatory notes" in p]
    signatures = [i for i, p in enumerate(pages) if "Signatures" in p]
    assert supplement and signatures and supplement[0] > signatures[0]
    assert "not part of what the members sign" in " ".join(pages[supplement[0]].split())


def test_user_supplied_national_text_is_printed_first_under_its_own_title(tmp_path, monkeypatch) -> None:
    default = agreement_bytes(complete_settings(synthetic_project()), "net-river")[1]
    monkeypatch.setenv("PCN_DESKTOP_CONFIG_DIR", str(tmp_path))
    text = shipped_template_path().read_text(encoding="utf-8")
    text = text.replace('clauses_title = "Local supplement: explanatory notes"',
                        'clauses_title = "Network Agreement (text supplied by the commissioner)"')
    text = text.replace("clauses_first = false", "clauses_first = true")
    text = text.replace('title = "Purpose"', 'title = "Why {network_name} exists"')
    (tmp_path / "agreement").mkdir()
    (tmp_path / "agreement" / "clauses.toml").write_text(text, encoding="utf-8")
    pdf, printed = agreement_bytes(complete_settings(synthetic_project()), "net-river")
    joined = "\n".join(pages_text(pdf))
    assert "1. Why Riverside PCN exists" in joined
    assert joined.index("Network Agreement (text supplied by the commissioner)") < joined.index("Schedule 1:")
    assert printed.fingerprint != default.fingerprint


# --- 2. one contract year and one counting date; figures equal `funding --json` -------------
def test_period_comes_from_the_effective_date() -> None:
    assert document_period(date(2021, 4, 1)) == document_period(date(2022, 2, 15)).__class__(
        date(2021, 4, 1), "2021/22", date(2021, 1, 1))
    later = document_period(date(2022, 2, 15))
    assert (later.year, later.counting_date) == ("2021/22", date(2021, 1, 1))
    assert document_period(date(2024, 3, 31)).year == "2023/24"


def test_every_figure_equals_funding_json_for_the_year(complete, riverside, tmp_path) -> None:
    _, _, pages = riverside
    text = "\n".join(pages)
    report = funding_json(complete, "2023/24", tmp_path)
    assert report["list_date"] == "2023-01-01"
    net = next(n for n in report["networks"] if n["code"] == "U00001")
    assert net["registered_list"] == 33_700 == sum(s - 100 for s in RIVERSIDE_SIZES.values())
    assert "33,700" in text and "1 January 2023" in text and "Contract year" in text
    assert "1 January 2024" not in text and "34,100" not in text      # one counting date only
    for stream in net["streams"].values():
        if stream["paid_to"] == "network":
            assert money(stream["amount"]) in text, stream["label"]
    arrs = net["arrs"]
    for figure in (net["network_payments"], arrs["entitlement"], arrs["plan_cost"],
                   arrs["reimbursable"], arrs["headroom"]):
        assert money(figure) in text
    for role in arrs["roles"]:
        assert money(role["cost"]) in text and money(role["reimbursable"]) in text


def test_sample_agreement_year_matches_funding_for_that_year(tmp_path) -> None:
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    assert project.settings["contract_year"] == "2020/21"
    nid = next(n.id for n in project.networks.values() if n.code == "U90001")
    pdf, _ = agreement_bytes(project, nid)
    text = "\n".join(pages_text(pdf))
    data = gather(project, nid)
    assert (data.effective_date, data.contract_year, data.counting_date) == ("2020-04-01", "2020/21", "2020-01-01")
    net = next(n for n in funding_json(project, "2020/21", tmp_path)["networks"] if n["code"] == "U90001")
    assert net["registered_list"] == 41_530 and "41,530" in text and "42,000" not in text
    assert money(net["network_payments"]) in text
    arrs = net["arrs"]
    assert round(arrs["plan_cost"]) == 194_774 and money(arrs["plan_cost"]) in text   # not the full-time sum
    assert money(arrs["reimbursable"]) in text and money(arrs["headroom"]) in text
    assert "£254,792" not in text                                  # the old sum of full-time costs
    assert "2021/22" not in text and "1 January 2021" not in text
    assert "NHS Wyre Vale CCG (99X)" in text                          # a name, not a bare code
    # the command it names gives these figures: without --as-at, funding counts the project's
    # own (2021) lists, and the agreement said 'the same figures as' a command that did not
    assert "the same figures as 'pcn-desktop funding --year 2020/21 --as-at 2020-01-01'" in " ".join(text.split())


# --- 3. the workforce schedule ----------------------------------------------------------
def test_workforce_schedule_posts_costs_and_sharing(complete, riverside) -> None:
    _, _, pages = riverside
    text = "\n".join(pages)
    s5 = " ".join(section(text, "Schedule 5:", "Schedule 6:").split())
    assert "Riverside Surgery (B82001)" in s5                    # the employer
    assert "Paramedic" not in s5                                  # another scenario's plan is not this one's
    for role in complete.workforce["net-river"]:
        months = sum(1 for m in range(4, 16) if _in_post(role, m, 2023))
        assert months and money(role.annual_cost * role.wte * months / 12) in s5
    sharing = section(s5, "How staff are shared between members", None)
    for code in RIVERSIDE_SIZES:
        assert code in sharing
    assert "100.00%" in sharing


def _in_post(role, month: int, year: int) -> bool:
    y, m = (year, month) if month <= 12 else (year + 1, month - 12)
    return role.start <= f"{y}-{m:02d}" <= role.end


# --- 5. exemptions --------------------------------------------------------------------
def test_exemption_printed_with_reason_date_and_approver() -> None:
    from pcn_desktop.paths import resource
    from pcn_desktop.store import load_project
    project = load_project(resource("sample", "sample_ccg.pcnproj"))
    net = next(n for n in project.networks.values() if n.code == "U90008")
    pdf, _ = agreement_bytes(project, net.id)
    text = " ".join(" ".join(pages_text(pdf)).split())
    assert "Rural exemption from the 30,000 minimum" in text
    assert "approved 23 May 2019 by the CCG's primary care commissioning committee" in text
    assert "A natural community of fell villages" in text
    assert "Approved on 23 May 2019" in text


# --- 6. cross-references ---------------------------------------------------------------
def test_every_clause_reference_points_at_a_printed_section(riverside) -> None:
    _, _, pages = riverside
    text = "\n".join(pages)
    template = load_template()
    headings = [m.start() for m in re.finditer(r"^Schedule \d:", text, re.M)]
    assert len(headings) == 7
    bounds = {text[i + 9]: (i, headings[k + 1] if k + 1 < len(headings) else text.index("Signatures"))
              for k, i in enumerate(headings)}
    checked = 0
    for clause in template.clauses:
        cited = set(re.findall(r"Schedule (\d)", clause.text))
        listed = {r.schedule for r in clause.refs}
        assert cited == listed, f"clause {clause.id}: cites {cited}, lists {listed}"
        for ref in clause.refs:
            start, end = bounds[ref.schedule]
            body = text[start:end]
            assert ref.section in body, f"{clause.id}: Schedule {ref.schedule} has no '{ref.section}'"
            if ref.says:
                after = " ".join(body[body.index(ref.section):].split())
                assert ref.says in after, f"{clause.id}: Schedule {ref.schedule} does not say '{ref.says}'"
            checked += 1
    assert checked >= 8


# --- 7. missing data makes a DRAFT with the reason; names in title case --------------------
def test_missing_data_makes_a_draft_that_says_why() -> None:
    pdf, printed = agreement_bytes(synthetic_project(), "net-river")
    pages = pages_text(pdf)
    cover = " ".join(" ".join(pages[:2]).split())
    assert printed.draft
    assert "The commissioner's name is not recorded (code 99X)" in cover
    assert "Schedule 6: its title in the national Schedules is not recorded" in cover
    assert "the employer of the Clinical pharmacist post is not recorded" in cover


def test_final_copy_has_no_placeholder_text(riverside) -> None:
    text = "\n".join(riverside[2])
    for placeholder in ("not recorded", "not yet", "to be agreed", "Nothing has been recorded",
                        "not entered", "not known", "(no "):
        assert placeholder not in text


def test_names_printed_in_title_case_data_kept() -> None:
    p = complete_settings(synthetic_project())
    p.practices["B82003"].name = "ST MARY'S SURGERY & HEALTH CENTRE"
    p.practices["B82003"].address = ("THE OLD MILL", "MOORTON")
    text = "\n".join(pages_text(agreement_bytes(p, "net-river")[0]))
    assert "St Mary's Surgery & Health Centre" in text and "ST MARY'S" not in text
    assert p.practices["B82003"].name == "ST MARY'S SURGERY & HEALTH CENTRE"
    assert title_case("DR A K JHA (SH)") == "Dr A K Jha (Sh)"
    assert title_case("ROSSENDALE EAST PCN") == "Rossendale East PCN"
    assert title_case("Already Mixed case") == "Already Mixed case"


# --- 9. exact shares, versions, fingerprint, watermark ---------------------------------------
def test_shares_add_up_exactly(complete, riverside, tmp_path) -> None:
    text = "\n".join(riverside[2])
    s4 = section(text, "Each member's share of the combined list", "Locally agreed arrangements")
    shares = [float(x) for x in re.findall(r"(\d+\.\d\d)%", s4)]
    assert shares[-1] == 100.00 and sum(shares[:-1]) == pytest.approx(100.00, abs=1e-9)
    pounds = [float(x.replace(",", "")) for x in re.findall(r"£([\d,]+\.\d\d)", s4)]
    total = next(n for n in funding_json(complete, "2023/24", tmp_path)["networks"]
                 if n["code"] == "U00001")["network_payments"]
    assert pounds[-1] == total and round(sum(pounds[:-1]), 2) == total
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    assert sum(largest_remainder(1_234_567, [3.3, 7.1, 2.9, 0.4])) == 1_234_567


def test_version_rises_when_signed_content_changes() -> None:
    v, h = next_entries([], "a", "2024-03-01")
    assert v == 1 and h[0]["signed"] == "2024-03-01"
    v, h = next_entries(h, "b", "2024-03-01")                   # signed content changed
    assert v == 2
    v, h = next_entries(h, "c", "2024-03-01")                   # version 2 not yet signed
    assert v == 2 and len(h) == 3
    v, h = next_entries(h, "c", "2024-09-01")                   # now signed: same content
    assert v == 2 and h[-1]["signed"] == "2024-09-01"
    assert next_entries(h, "a", "2024-09-01")[0] == 1             # reprint of version 1


def test_cli_keeps_version_history(tmp_path, capsys) -> None:
    from pcn_desktop.store import load_project
    path = tmp_path / "p.pcnproj"
    save_project(complete_settings(synthetic_project()), path)
    assert main(["agreements", str(path), str(tmp_path / "a"), "--network", "U00001"]) == 0
    assert "version 1" in capsys.readouterr().out
    assert main(["agreements", str(path), str(tmp_path / "b"), "--network", "U00001"]) == 0
    assert "version 1" in capsys.readouterr().out
    project = load_project(path)
    project.list_sizes["B82003"][date(2023, 1, 1)] += 50       # a signed agreement's content changes
    save_project(project, path)
    assert main(["agreements", str(path), str(tmp_path / "c"), "--network", "U00001"]) == 0
    assert "version 2" in capsys.readouterr().out
    text = "\n".join(pages_text((tmp_path / "c" / "U00001.pdf").read_bytes()))
    assert "version 2" in text
    assert len(load_project(path).settings["agreement_history"]["U00001"]) == 2


def test_fingerprint_grouped_on_cover_and_watermark_is_not_text(riverside) -> None:
    _, printed, pages = riverside
    grouped = " ".join(printed.fingerprint[i:i + 8] for i in range(0, 64, 8))
    assert grouped in " ".join(pages[0].split())
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page
        assert f"Fingerprint {printed.fingerprint[:12]}" in page
    draft_pages = pages_text(agreement_bytes(synthetic_project(), "net-hill")[0])
    for page in draft_pages[2:]:
        assert page.count("DRAFT") == 1                          # the footer's words only


def test_fingerprint_is_sha256_of_data_and_template(complete) -> None:
    template = load_template()
    _, printed = agreement_bytes(complete, "net-river")
    data = gather(complete, "net-river", map_digest=map_digest(complete, "net-river"))
    data.version = printed.version
    payload = {"kind": "agreement", "data": data.canonical(), "template": template.source_text}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    assert printed.fingerprint == hashlib.sha256(blob.encode()).hexdigest()


def test_fingerprint_stable_and_sensitive() -> None:
    p = complete_settings(synthetic_project())
    first = agreement_bytes(p, "net-river")[1].fingerprint
    assert agreement_bytes(complete_settings(synthetic_project()), "net-river")[1].fingerprint == first
    p.list_sizes["B82003"][date(2023, 1, 1)] += 1
    assert agreement_bytes(p, "net-river")[1].fingerprint != first
    p.list_sizes["B82003"][date(2023, 1, 1)] -= 1
    assert agreement_bytes(p, "net-river")[1].fingerprint == first
    p.practices["B82001"].latitude += 0.001                   # the map moves
    assert agreement_bytes(p, "net-river")[1].fingerprint != first


# --- carried over: draft rules, metadata, templates, long networks ---------------------------
def test_network_with_errors_is_draft_on_every_page(complete) -> None:
    pdf, printed = agreement_bytes(complete, "net-hill")
    pages = pages_text(pdf)
    assert printed.draft and all("DRAFT" in p for p in pages)
    text = "\n".join(pages)
    assert "Hillview PCN has no clinical director" in text
    assert "Hillview PCN has 12,500 patients; the minimum is 30,000" in text


def test_unsigned_agreement_alone_is_not_draft() -> None:
    p = complete_settings(synthetic_project())
    p.networks["net-river"].agreement_signed = None
    pdf, printed = agreement_bytes(p, "net-river")
    assert not printed.draft
    assert "DRAFT" not in "\n".join(pages_text(pdf))


def test_metadata_is_set(riverside) -> None:
    pdf, printed, _ = riverside
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Schedules to the Network Agreement: Riverside PCN"
    assert meta.author == "NHS Moorton CCG"
    assert printed.fingerprint[:12] in meta.subject and "2023/24" in meta.subject
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(595.2756, abs=0.01)


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


def test_twenty_member_network_flows_cleanly(complete) -> None:
    pdf, printed = agreement_bytes(complete, "net-moor")
    text = "\n".join(pages_text(pdf))
    for i in range(20):
        assert f"B83{i:03d}" in text
    assert "52,000" in text
    assert text.count("Signed for Moorside Family Practice number") == 20
    assert printed.draft                                       # the director's details are missing
    assert "clinical director's registration number is not recorded" in text


def test_practice_named_in_caps_only_in_data_is_unchanged() -> None:
    p = synthetic_project()
    p.practices["X1"] = Practice("X1", "SOME PLACE")
    assert p.practices["X1"].name == "SOME PLACE"


def test_the_printed_map_counts_at_the_documents_date_as_its_tables_do():
    """The sample's 2020/21 agreement counts lists at 1 January 2020 while the project is
    counted at 2021: the map's key printed 18,254 patients for a practice the member table
    beside it gave 18,160."""
    import re
    from pcn_desktop.paths import resource
    from pcn_desktop.reports.agreement_map import network_picture
    from pcn_desktop.store import load_project
    p = load_project(resource("sample", "sample_ccg.pcnproj"))
    east = p.find_network("Ashbridge East PCN").id
    before = p.counting_date
    data = gather(p, east)
    assert data.counted_on is not None and data.counted_on != before
    picture = network_picture(p, east, 480, 300, at=data.counted_on)
    keyed = {int(n.replace(",", "")) for label in picture.key for n in re.findall(r"([\d,]+) patients", label)}
    assert keyed and keyed <= {m.list_size for m in data.members}
    assert p.counting_date == before                      # the project's own date is back
