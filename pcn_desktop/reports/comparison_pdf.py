"""The printable comparison for a workshop: one page per option, each compared with the same
base scenario: the map of the difference, the practices that move, the networks' sizes before
and after, and the money by network before and after.

A page carries the option's name in its running head; the footer carries a fingerprint of
the figures printed, so two copies can be told apart at a glance.
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

from .. import __version__
from ..domain.model import Project
from ..domain.wording import plural
from ..settings import rule_settings_for
from .comparison import Comparison
from .comparison_map import comparison_map_png
from .pdf_style import FRAME_WIDTH, PageFurniture, base_doc_kwargs, data_table, escape, numbered_canvas, styles

TITLE = "Scenario comparison"
MAP_HEIGHT = 88 * mm
MOVES_SHOWN = 18               # a page per option: longer lists are summarised
NETWORKS_SHOWN = 14
ERRORS_LISTED = 4              # of each kind, resolved and new


def _money(value: float | None) -> str:
    return "–" if value is None else f"£{value:,.0f}"


def _size(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _delta(before: float | None, after: float | None, money: bool = False) -> str:
    if before is None or after is None:
        return ""
    d = after - before
    if not d:
        return "0"
    return ("+" if d > 0 else "−") + (f"£{abs(d):,.0f}" if money else f"{abs(d):,.0f}")


def write_comparison_pdf(project: Project, comparisons: list[Comparison], out: str | Path) -> int:
    """Write the PDF; returns its page count."""
    minimum = rule_settings_for(project).minimum_list
    story: list = []
    for i, c in enumerate(comparisons):
        if i:
            story.append(PageBreak())
        story += _option_page(project, c, minimum)
    digest = hashlib.sha256(json.dumps([c.as_json() for c in comparisons], sort_keys=True,
                                       default=str).encode()).hexdigest()
    names = ", ".join(c.b for c in comparisons)
    furniture = PageFurniture(running_head=f"{project.name}: {names} compared with {comparisons[0].a}",
                              document=TITLE, version=__version__, fingerprint=digest, draft=False,
                              final_text="for discussion")
    doc = SimpleDocTemplate(str(out), **base_doc_kwargs(
        furniture, title=f"{project.name}: scenario comparison", subject=f"{names} compared with {comparisons[0].a}",
        author="PCN Desktop"))
    pages: list[int] = []
    doc.build(story, canvasmaker=numbered_canvas(furniture), onLaterPages=lambda c, d: pages.append(d.page),
              onFirstPage=lambda c, d: pages.append(d.page))
    return len(pages)


def _option_page(project: Project, c: Comparison, minimum: int) -> list:
    s = styles()
    counted = f" Lists counted at {c.list_date.day} {c.list_date:%B %Y}." if c.list_date else ""
    story: list = [
        Paragraph(f"Option: {escape(c.b)}", s["h1"]),
        Paragraph(f"Compared with <b>{escape(c.a)}</b>: {plural(len(c.moves), 'practice moves', 'practices move')}, "
                  f"{plural(c.patients_moved, 'patient')}; {plural(len(c.added), 'finding appears', 'findings appear')}, {len(c.removed)} "
                  f"disappear.{counted}", s["body"]),
    ]
    png = comparison_map_png(project, c, width_px=1500, height_px=820)
    if png is not None:
        width = FRAME_WIDTH
        story.append(Image(io.BytesIO(png), width=width, height=min(MAP_HEIGHT, width * 820 / 1500)))
    else:
        story.append(Paragraph("No map: the project has no small areas or practice locations.", s["small"]))
    story.append(Spacer(1, 2 * mm))

    moves = [[m.practice, m.name, m.source or "none", m.target or "none", f"{m.list_size:,}"]
             for m in c.moves[:MOVES_SHOWN]]
    if not moves:
        moves_block: list = [Paragraph("Moves", s["h2"]), Paragraph("No practice moves.", s["small"])]
    else:
        moves_block = [Paragraph("Moves", s["h2"]),
                       data_table(["Practice", "Name", "From", "To", "Patients"], moves,
                                  [18 * mm, 70 * mm, 28 * mm, 28 * mm, 26 * mm], align_right={4})]
        if len(c.moves) > MOVES_SHOWN:
            moves_block.append(Paragraph(f"… and {len(c.moves) - MOVES_SHOWN} more moves "
                                         f"(pcn-desktop compare lists them all).", s["small"]))
    story.append(KeepTogether(moves_block))

    changed = [n for n in c.networks if n.changed]
    shown = changed[:NETWORKS_SHOWN]
    money = {f.network: f for f in c.funding}
    after_nets = project.scenario(c.b).networks
    rows = []
    for n in shown:
        f = money.get(n.network)
        exempt = n.network_id in after_nets and bool(after_nets[n.network_id].exemption)
        flag = " (under floor)" if n.after is not None and 0 < n.after < minimum and not exempt else ""
        rows.append([n.name, _size(n.before), _size(n.after) + flag, _delta(n.before, n.after),
                     _money(f.before) if f else "", _money(f.after) if f else "",
                     _delta(f.before, f.after, money=True) if f else ""])
    if c.funding:
        t = c.funding_total()
        rows.append(["All networks", "", "", "", _money(t.before), _money(t.after),
                     _delta(t.before, t.after, money=True)])
    title = f"Sizes and money ({c.funding_year} payments to networks and practices)" if c.funding_year \
        else "Sizes"
    block: list = [Paragraph(escape(title), s["h2"])]
    if rows:
        block.append(data_table(["Network", "Patients before", "after", "change", "Money before", "after",
                                 "change"], rows,
                                [40 * mm, 20 * mm, 26 * mm, 18 * mm, 22 * mm, 22 * mm, 22 * mm],
                                align_right={1, 2, 3, 4, 5, 6}, total_row=bool(c.funding)))
    else:
        block.append(Paragraph("No network changes size.", s["small"]))
    if len(changed) > NETWORKS_SHOWN:
        block.append(Paragraph(f"… and {len(changed) - NETWORKS_SHOWN} more networks change.", s["small"]))
    if c.funding_problem:
        block.append(Paragraph(f"Funding not computed: {escape(c.funding_problem)}", s["warning"]))
    story.append(KeepTogether(block))
    errors_gone = [f for f in c.removed if f.severity.value == "error"]
    errors_new = [f for f in c.added if f.severity.value == "error"]
    lines = [Paragraph("Findings", s["h2"]),
             Paragraph(f"{plural(len(errors_gone), 'error')} resolved, {plural(len(errors_new), 'new error')}; "
                       f"{plural(len(c.removed) - len(errors_gone), 'other finding')} resolved, "
                       f"{len(c.added) - len(errors_new)} new.", s["small"])]
    for mark, found in (("resolved", errors_gone), ("new", errors_new)):
        for f in found[:ERRORS_LISTED]:
            lines.append(Paragraph(f"{mark}: {escape(f.message)}", s["small"]))
    story.append(KeepTogether(lines))
    return story
