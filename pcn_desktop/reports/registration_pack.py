"""The registration pack: a cover for the whole CCG (name, dates, totals, coverage, a map of
every network, and whether it is ready to register), one summary per network with what a
commissioner needs to register it (members and ODS codes, combined list at 1 January, map,
director, payee, exemption, agreement signed), and the CCG's coverage.

The pack is "Ready to register" only when every registration rule passes for every network
(the agreement being signed included), nothing a network's Schedules need is missing, and
coverage is complete; otherwise it says what is missing, network by network. Each page's
running head and DRAFT mark follow the network on it.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from ..domain.model import Project
from ..settings import rule_settings_for
from .agreement import PrintedDocument
from .agreement_data import AgreementData, gather
from .agreement_map import network_picture
from .agreement_schedules import exemption_flowables, member_table
from .ccg_map import ccg_map_png
from .map_key import ATTRIBUTION, fit, map_flowables
from .pdf_style import (FRAME_WIDTH, PageFurniture, base_doc_kwargs, data_table, escape, key_values,
                        numbered_canvas, styles)
from .print_text import long_date

W = FRAME_WIDTH
TITLE = "Registration pack"
READY = "Ready to register"
NOT_READY = "DRAFT – not ready to register"


class PageState(Flowable):
    """Draws nothing; tells the page furniture which network (and draft state) this page
    belongs to. The canvas keeps it per page, so "page X of Y" drawing at the end sees it."""

    def __init__(self, head: str, draft: bool) -> None:
        super().__init__()
        self.head, self.draft = head, draft

    def wrap(self, *_: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._pcn_head = self.head      # read by pdf_style.draw_furniture
        self.canv._pcn_draft = self.draft


def coverage(project: Project) -> dict:
    """Every open practice's network(s), and what stops coverage being 100%."""
    counting = rule_settings_for(project).counting_date(project.list_dates())
    rows = []
    for code in sorted(project.practices):
        if project.is_closed(code):
            continue
        p = project.practices[code]
        nets = sorted(project.networks[n].key for n in project.networks_of(code))
        rows.append({"code": code, "name": p.name, "networks": nets,
                     "list_size": project.list_size(code, counting)})
    unassigned = [r["code"] for r in rows if not r["networks"]]
    several = [r["code"] for r in rows if len(r["networks"]) > 1]
    areas_without = sorted(a for a in project.areas if a not in project.area_assignments)
    return {"rows": rows, "unassigned": unassigned, "several": several,
            "counting_date": counting.isoformat() if counting else "",
            "areas_without": areas_without,
            "complete": not unassigned and not several and not areas_without}


def missing(d: AgreementData) -> list[str]:
    """Everything that stops this network registering: error findings, the agreement not
    being signed, and data the Schedules need."""
    return list(dict.fromkeys(d.errors + list(d.extra.get("unsigned", [])) + d.gaps))


def ccg_name(project: Project, summaries: list[AgreementData]) -> str:
    """The commissioners' names (a pack may span two CCGs); the project's name when no
    commissioner's name is recorded, rather than a bare code."""
    names = sorted({d.commissioner_label for d in summaries if d.commissioner})
    return " and ".join(names) or project.name


def build_registration_pack(project: Project, target: str | Path | BinaryIO,
                            network_ids: list[str] | None = None) -> PrintedDocument:
    ids = network_ids if network_ids is not None else [n.id for n in project.sorted_networks()]
    summaries = [gather(project, nid) for nid in ids]
    cov = coverage(project)
    digest = _fingerprint(summaries, cov)
    ready = not any(missing(d) for d in summaries) and cov["complete"]
    name = ccg_name(project, summaries)
    furniture = PageFurniture(running_head=name, document=TITLE, version="1", fingerprint=digest,
                              draft=not ready, final_text=READY, draft_text=NOT_READY)
    story: list[Flowable] = _cover(project, name, summaries, cov, ready)
    for data in summaries:
        story.append(PageBreak())
        story += _network_page(project, data)
    story.append(PageBreak())
    story += _coverage_pages(name, cov)
    out = target if hasattr(target, "write") else str(target)
    doc = SimpleDocTemplate(out, **base_doc_kwargs(
        furniture, title=f"{TITLE}: {name}",
        subject=f"PCN registration summaries and coverage for {name}, fingerprint {digest[:12]}",
        author=name))
    doc.build(story, canvasmaker=numbered_canvas(furniture))
    return PrintedDocument("", name, digest, not ready, doc.page,
                           None if hasattr(target, "write") else Path(target))


def _fingerprint(summaries: list[AgreementData], cov: dict) -> str:
    payload = {"kind": "registration-pack", "networks": [s.canonical() for s in summaries],
               "coverage": cov}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _cover(project: Project, name: str, summaries: list[AgreementData], cov: dict,
           ready: bool) -> list[Flowable]:
    s = styles()
    total = len(cov["rows"])
    covered = total - len(cov["unassigned"])
    in_networks = sum(d.total_list for d in summaries)
    years = sorted({d.contract_year for d in summaries if d.contract_year})
    counted = sorted({d.counting_date for d in summaries if d.counting_date})
    effective = sorted({d.effective_date for d in summaries if d.effective_date})
    ok = sum(1 for d in summaries if not missing(d))
    rows = [["Commissioner", name],
            ["Effective date", ", ".join(long_date(e) for e in effective) or "not recorded"],
            ["Contract year", ", ".join(years) or "not recorded"],
            ["Lists counted at", ", ".join(long_date(c) for c in counted) or "not recorded"],
            ["Networks", f"{len(summaries)} ({ok} ready to register)"],
            ["Open practices", f"{total:,}, {covered:,} in a network ({covered / total:.1%})" if total else "0"],
            ["Patients in networks", f"{in_networks:,}"],
            ["Coverage", "complete: every open practice is in exactly one network"
             if cov["complete"] else "not complete (see the coverage pages)"]]
    out: list[Flowable] = [PageState(name, not ready), Paragraph(TITLE, s["title"]),
                           Paragraph(escape(name), s["subtitle"]), Spacer(1, 3 * mm), key_values(rows),
                           Spacer(1, 3 * mm)]
    if ready:
        out.append(Paragraph(f"<b>{READY}.</b> Every registration rule passes for every network, "
                             "every agreement is signed, and coverage is complete.", s["body"]))
    else:
        out.append(Paragraph("<b>Not ready to register.</b> What is missing, network by network, "
                             "is listed after the map.", s["warning"]))
    drawn = ccg_map_png(project, W / 72, 120 * mm / 72)
    numbered: list[tuple[int, str]] = []
    if drawn is not None:
        png, numbered, has_area = drawn
        w, h = fit(W, 120 * mm, W / (120 * mm))
        out += [Image(io.BytesIO(png), width=w, height=h),
                Paragraph(("Network areas from the project's own geography; dots are practices."
                           if has_area else "No network area recorded: dots are practices, in "
                           "their network's colour.") + " " + escape(ATTRIBUTION), s["small"])]
    else:
        out.append(Paragraph("No network area recorded and no practice has a location: there "
                             "is no map.", s["warning"]))
    number = {nid: n for n, nid in numbered}
    key_rows = [[str(number.get(d.network_id, "")), d.network_code, d.network_name + _exempt(d),
                 f"{d.total_list:,}", "ready" if not missing(d) else f"{len(missing(d))} to put right"]
                for d in summaries]
    out.append(data_table(["No.", "Code", "Network", "List", "Status"], key_rows,
                          [0.07 * W, 0.12 * W, 0.47 * W, 0.14 * W, 0.20 * W], align_right={3}))
    problems = [(d, missing(d)) for d in summaries if missing(d)]
    if problems:
        out.append(Paragraph("What is missing", s["h2"]))
        for d, items in problems:
            heading = Paragraph(f"<b>{escape(d.network_name)}</b>"
                                + (f" ({escape(d.network_code)})" if d.network_code else ""), s["body"])
            lines = [Paragraph("• " + escape(m), s["warning"]) for m in items]
            # a network's name never ends a page with its list on the next
            out.append(KeepTogether([heading, *lines[:2]]))
            out += lines[2:]
    if not cov["complete"]:
        out.append(Paragraph("Coverage is not complete: see the coverage pages.", s["warning"]))
    return out


def _exempt(d: AgreementData) -> str:
    """Under the minimum list with an exemption: say so, and when and by whom it was approved."""
    e = d.exemption
    if e is None or d.total_list >= d.minimum_list:
        return ""
    return (f" ({e.kind} exemption approved {long_date(e.approved_on) or 'on a date not recorded'}"
            f" by {e.approved_by or 'an approver not recorded'})")


def _network_page(project: Project, d: AgreementData) -> list[Flowable]:
    s = styles()
    head = f"{d.network_name} ({d.network_code})" if d.network_code else d.network_name
    director = (f"{d.director.name}, {d.director.practice_name or d.director.practice_code}"
                if d.director else "not recorded")
    payee = f"{d.payee_name} ({d.payee_code})" if d.payee_code else "not nominated"
    problems = missing(d)
    facts = key_values([["Network code", d.network_code or "not yet assigned"],
                        ["Commissioner", d.commissioner_label or "not recorded"],
                        ["Combined list", f"{d.total_list:,} at {long_date(d.counting_date) or 'no count'}"],
                        ["Clinical director", director], ["Nominated payee", payee],
                        ["Agreement signed", long_date(d.agreement_signed) or "not signed"],
                        ["Status", READY if not problems else "not ready to register"]])
    out: list[Flowable] = [PageState(head, bool(problems)),
                           Paragraph(f"PCN registration: {escape(d.network_name)}", s["h1"]), facts,
                           Spacer(1, 2 * mm)]
    if problems:
        out.append(Paragraph("Not ready to register:", s["warning"]))
        out += [Paragraph("• " + escape(m), s["warning"]) for m in problems]
    out += exemption_flowables(d)
    out += map_flowables("Network area", network_picture(project, d.network_id, W, 95 * mm, at=d.counted_on), W)
    out += [Paragraph("Members", s["h2"]), member_table(d)]
    return out


def _coverage_pages(name: str, cov: dict) -> list[Flowable]:
    s = styles()
    total = len(cov["rows"])
    out: list[Flowable] = [PageState(f"{name}: coverage", not cov["complete"]),
                           Paragraph(f"Coverage: {escape(name)}", s["h1"])]
    if cov["complete"]:
        out.append(Paragraph(f"All {total:,} open practices are in exactly one network: "
                             "100% coverage.", s["body"]))
    else:
        covered = total - len(cov["unassigned"])
        share = covered / total if total else 0.0
        out.append(Paragraph(f"{covered:,} of {total:,} open practices ({share:.1%}) are in a "
                             "network. Coverage is not complete:", s["warning"]))
        if cov["unassigned"]:
            out.append(Paragraph("In no network: " + ", ".join(cov["unassigned"]), s["warning"]))
        if cov["several"]:
            out.append(Paragraph("In more than one network: " + ", ".join(cov["several"]), s["warning"]))
        if cov["areas_without"]:
            n = len(cov["areas_without"])
            shown = ", ".join(cov["areas_without"][:30]) + (" …" if n > 30 else "")
            out.append(Paragraph(f"{n:,} small areas have no network: {shown}", s["warning"]))
    from .print_text import title_case
    rows = [[r["code"], title_case(r["name"]), ", ".join(r["networks"]) or "NONE",
             f"{r['list_size']:,}"] for r in cov["rows"]]
    when = long_date(cov["counting_date"]) or "latest"
    out.append(data_table(["ODS code", "Practice", "Network", f"List at {when}"], rows,
                          [0.13 * W, 0.55 * W, 0.14 * W, 0.18 * W], align_right={3}))
    return out
