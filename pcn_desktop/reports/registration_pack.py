"""The registration pack: one summary page per network with what a commissioner needs to
register it (members and ODS codes, combined list at 1 January, map, director, payee), and a
CCG-wide coverage section (every practice, its network, and whether coverage is complete).

Each page's running head and DRAFT mark follow the network on it: a network with error
findings is marked DRAFT on its own page, and the coverage pages are DRAFT until every open
practice is in exactly one network.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (Flowable, Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from ..domain.model import Project
from .agreement import PrintedDocument
from .agreement_data import AgreementData, gather, long_date
from .agreement_map import map_digest, network_map_png
from .agreement_schedules import member_table
from ..settings import rule_settings_for
from .pdf_style import (FRAME_WIDTH, PageFurniture, base_doc_kwargs, data_table, escape, key_values,
                        numbered_canvas, styles)

W = FRAME_WIDTH
TITLE = "Registration pack"


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


def build_registration_pack(project: Project, target: str | Path | BinaryIO,
                            network_ids: list[str] | None = None) -> PrintedDocument:
    ids = network_ids if network_ids is not None else [n.id for n in project.sorted_networks()]
    summaries = [gather(project, nid, map_digest=map_digest(project, nid)) for nid in ids]
    cov = coverage(project)
    digest = _fingerprint(summaries, cov)
    draft = any(s.draft for s in summaries) or not cov["complete"]
    furniture = PageFurniture(running_head=project.name, document=TITLE, version="1",
                              fingerprint=digest, draft=draft, final_text="Ready to register",
                              draft_text="DRAFT – not ready to register")
    story: list[Flowable] = []
    for data in summaries:
        story += _network_page(project, data)
        story.append(PageBreak())
    story += _coverage_pages(project, cov)
    out = target if hasattr(target, "write") else str(target)
    doc = SimpleDocTemplate(out, **base_doc_kwargs(
        furniture, title=f"{TITLE}: {project.name}",
        subject=f"PCN registration summaries and coverage for {project.name}, fingerprint {digest[:12]}",
        author="PCN Desktop"))
    doc.build(story, canvasmaker=numbered_canvas(furniture))
    return PrintedDocument("", project.name, digest, draft, doc.page,
                           None if hasattr(target, "write") else Path(target))


def _fingerprint(summaries: list[AgreementData], cov: dict) -> str:
    payload = {"kind": "registration-pack", "networks": [s.canonical() for s in summaries],
               "coverage": cov}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _network_page(project: Project, d: AgreementData) -> list[Flowable]:
    s = styles()
    head = f"{d.network_name} ({d.network_code})" if d.network_code else d.network_name
    director = (f"{d.director.name}, {d.director.practice_name or d.director.practice_code}"
                if d.director else "not recorded")
    payee = f"{d.payee_name} ({d.payee_code})" if d.payee_code else "not nominated"
    facts = key_values([["Network code", d.network_code or "not yet assigned"],
                        ["Commissioner", d.commissioner or "not recorded"],
                        ["Combined list", f"{d.total_list:,} at {long_date(d.counting_date) or 'no count'}"],
                        ["Clinical director", director], ["Nominated payee", payee],
                        ["Agreement signed", long_date(d.agreement_signed) or "not recorded"]],
                       width=0.56 * W)
    # Facts and map side by side, so that even a 20-member table leaves the page one page.
    png = network_map_png(project, d.network_id, width_in=4.0, height_in=3.4, dpi=150)
    if png:
        width, height = ImageReader(io.BytesIO(png)).getSize()
        box_w, box_h = 0.42 * W, 70 * mm
        scale = min(box_w / width, box_h / height)
        side: Flowable = Image(io.BytesIO(png), width=width * scale, height=height * scale)
    else:
        side = Paragraph("No network area or practice locations are recorded.", s["warning"])
    top = Table([[facts, side]], colWidths=[0.58 * W, 0.42 * W])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out: list[Flowable] = [PageState(head, d.draft),
                           Paragraph(f"PCN registration: {escape(d.network_name)}", s["h1"]),
                           top, Spacer(1, 4 * mm)]
    if d.errors:
        out.append(Paragraph("Not ready to register: " + "; ".join(escape(e) for e in d.errors),
                             s["warning"]))
    out.append(member_table(d))
    return out


def _coverage_pages(project: Project, cov: dict) -> list[Flowable]:
    s = styles()
    total = len(cov["rows"])
    out: list[Flowable] = [PageState(f"{project.name}: coverage", not cov["complete"]),
                           Paragraph(f"Coverage: {escape(project.name)}", s["h1"])]
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
    rows = [[r["code"], r["name"], ", ".join(r["networks"]) or "NONE",
             f"{r['list_size']:,}"] for r in cov["rows"]]
    when = long_date(cov["counting_date"]) or "latest"
    out.append(data_table(["ODS code", "Practice", "Network", f"List at {when}"], rows,
                          [0.13 * W, 0.55 * W, 0.14 * W, 0.18 * W], align_right={3}))
    return out
