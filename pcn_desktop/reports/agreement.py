"""A network's agreement as an A4 PDF: title page, the parties, the clauses (from the editable
template), signature blocks, and Schedules 1–7 filled from the project.

Every page carries the network's name, "page X of Y", the version and a fingerprint; the
document is marked DRAFT while the network has error findings other than the agreement
itself being unsigned. Text is real, searchable text in an embedded font.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)

from ..domain.model import Project
from .agreement_data import AgreementData, FundingProvider, fingerprint, gather, long_date
from .agreement_map import map_digest, network_map_png
from .agreement_schedules import all_schedules
from .clauses import ClauseTemplate, fill, load_template, paragraphs
from .pdf_style import (FRAME_WIDTH, INK, RULE, SHADE, PageFurniture, base_doc_kwargs, data_table,
                        escape, fonts, key_values, numbered_canvas, styles)

W = FRAME_WIDTH


@dataclass(frozen=True)
class PrintedDocument:
    network_id: str
    network_key: str
    fingerprint: str
    draft: bool
    pages: int
    path: Path | None = None

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]


def build_agreement(project: Project, network_id: str, target: str | Path | BinaryIO,
                    template: ClauseTemplate | None = None,
                    funding: FundingProvider | None = None) -> PrintedDocument:
    """Write the agreement to a path or binary stream and say what was printed."""
    template = template or load_template()
    data = gather(project, network_id, funding=funding, map_digest=map_digest(project, network_id))
    digest = fingerprint(data, template.source_text)
    furniture = PageFurniture(running_head=_head(data), document=template.title,
                              version=data.version, fingerprint=digest, draft=data.draft)
    story = _story(template, data, digest, network_map_png(project, network_id))
    out = target if hasattr(target, "write") else str(target)
    doc = SimpleDocTemplate(out, **base_doc_kwargs(
        furniture, title=f"{template.title}: {data.network_name}",
        subject=f"{template.title} for {data.network_name} ({data.key}), version {data.version}, "
                f"fingerprint {digest[:12]}",
        author=data.commissioner or "PCN Desktop"))
    doc.build(story, canvasmaker=numbered_canvas(furniture))
    return PrintedDocument(network_id, data.key, digest, data.draft, doc.page,
                           None if hasattr(target, "write") else Path(target))


def agreement_bytes(project: Project, network_id: str,
                    template: ClauseTemplate | None = None) -> tuple[bytes, PrintedDocument]:
    """The PDF in memory, for a preview that must not touch the disk."""
    buf = io.BytesIO()
    printed = build_agreement(project, network_id, buf, template)
    return buf.getvalue(), printed


def _head(data: AgreementData) -> str:
    return f"{data.network_name} ({data.network_code})" if data.network_code else data.network_name


def _story(t: ClauseTemplate, d: AgreementData, digest: str, map_png: bytes | None) -> list[Flowable]:
    s = styles()
    values = d.placeholders()
    story: list[Flowable] = _title_page(t, d, digest)
    story += [Paragraph("The parties", s["h1"]),
              Paragraph(f"This agreement is between the {len(d.members)} member practices below.",
                        s["body"]),
              data_table(["ODS code", "Practice", "Address"],
                         [[m.code, m.name, ", ".join(x for x in (m.address, m.postcode) if x)]
                          for m in d.members], [0.14 * W, 0.36 * W, 0.50 * W]),
              Spacer(1, 4 * mm)]
    story += [Paragraph(escape(p), s["body"])
              for p in paragraphs(fill(t.preamble, values, f"{t.path} [document] preamble"))]
    for n, clause in enumerate(t.clauses, start=1):
        story.append(CondPageBreak(30 * mm))
        title = fill(clause.title, values, f"{t.path} clause '{clause.id}' title")
        story.append(Paragraph(f"{n}. {escape(title)}", s["h2"]))
        text = fill(clause.text, values, f"{t.path} clause '{clause.id}'")
        for k, para in enumerate(paragraphs(text), start=1):
            story.append(Paragraph(f"{n}.{k}&nbsp;&nbsp;{escape(para)}", s["body"]))
    story += _signatures(t, d)
    story += all_schedules(t, d, map_png)
    return story


def _title_page(t: ClauseTemplate, d: AgreementData, digest: str) -> list[Flowable]:
    s = styles()
    rows = [["Network", d.network_name], ["Network code", d.network_code or "not yet assigned"],
            ["Commissioner", d.commissioner or "not recorded"],
            ["Effective date", long_date(d.effective_date) or "the date all members sign"],
            ["Version", d.version],
            ["Member practices", str(len(d.members))],
            ["Combined list", f"{d.total_list:,} (counted {long_date(d.counting_date) or 'never'})"],
            ["Fingerprint", digest]]
    out: list[Flowable] = [Spacer(1, 30 * mm), Paragraph(escape(t.title), s["title"]),
                           Paragraph(escape(d.network_name), s["subtitle"]), Spacer(1, 12 * mm),
                           key_values(rows), Spacer(1, 10 * mm)]
    if d.draft:
        out.append(Paragraph("<b>DRAFT.</b> This network does not yet meet the registration rules, "
                             "so this copy is not for signature:", s["warning"]))
        out += [Paragraph("• " + escape(e), s["warning"]) for e in d.errors]
    else:
        out.append(Paragraph("The network meets the registration rules checked by PCN Desktop. "
                             "This copy is for signature by every member practice.", s["body"]))
    out.append(PageBreak())
    return out


def _signatures(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [PageBreak(), Paragraph("Signatures", s["h1"])]
    out += [Paragraph(escape(p), s["body"])
            for p in paragraphs(fill(t.signature_text, d.placeholders(), f"{t.path} [document] signature"))]
    for m in d.members:
        out.append(KeepTogether([Spacer(1, 3 * mm), _signature_block(m.code, m.name)]))
    return out


def _signature_block(code: str, name: str) -> Table:
    s = styles()
    line = ""   # blank cells with a rule under them, to write on
    rows = [[Paragraph(f"Signed for {escape(name or code)} ({escape(code)})", s["cellbold"]), "", "", ""],
            [Paragraph("Name", s["cell"]), line, Paragraph("Role", s["cell"]), line],
            [Paragraph("Signature", s["cell"]), line, Paragraph("Date", s["cell"]), line]]
    table = Table(rows, colWidths=[0.15 * W, 0.45 * W, 0.10 * W, 0.30 * W],
                  rowHeights=[7 * mm, 10 * mm, 12 * mm])
    f = fonts()
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("LINEBELOW", (1, 1), (1, 2), 0.5, INK),
        ("LINEBELOW", (3, 1), (3, 2), 0.5, INK),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
        ("FONTNAME", (0, 0), (-1, -1), f.regular),
    ]))
    return table
