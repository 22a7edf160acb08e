"""A network's locally completed Schedules to the national Network Agreement, as an A4 PDF.

A cover that names the national agreement (and its contract year) the Schedules attach to,
says its text is not reproduced and lists what the members sign; Schedules 1–7 filled from
the project; signature blocks; and the template's clauses, titled as the local supplement
they are (or, when a user supplies the national text as the template, as they title it).

Every page carries the network's name, "page X of Y", the version and a fingerprint; the
document is marked DRAFT, with the reasons on its cover, while the network has error
findings (other than the agreement itself being unsigned) or data the document needs is
missing. Text is real, searchable text in an embedded font.
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
from .agreement_data import AgreementData, fingerprint, gather
from .agreement_map import network_picture
from .agreement_schedules import NOT_RECORDED, all_schedules
from .agreement_versions import version_for
from .clauses import ClauseTemplate, fill, load_template, paragraphs
from .pdf_style import (FRAME_WIDTH, INK, RULE, SHADE, PageFurniture, base_doc_kwargs, escape,
                        fonts, key_values, numbered_canvas, styles)
from .print_text import fingerprint_groups, long_date

W = FRAME_WIDTH
MAP_HEIGHT = 95 * mm


@dataclass(frozen=True)
class PrintedDocument:
    network_id: str
    network_key: str
    fingerprint: str
    draft: bool
    pages: int
    path: Path | None = None
    version: str = "1"
    content: str = ""              # digest of what is signed, without version and signing

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]


def build_agreement(project: Project, network_id: str, target: str | Path | BinaryIO,
                    template: ClauseTemplate | None = None,
                    version: str | None = None) -> PrintedDocument:
    """Write the Schedules to a path or binary stream and say what was printed."""
    template = template or load_template()
    data = gather(project, network_id, version=version)
    if version is None and "version" not in (project.settings.get("agreement") or {}):
        data.version = str(version_for(project, data.key, data.content_digest(template.source_text),
                                       data.agreement_signed))
    digest = fingerprint(data, template.source_text)
    furniture = PageFurniture(running_head=_head(data), document=template.title,
                              version=data.version, fingerprint=digest, draft=data.draft)
    picture = network_picture(project, network_id, W, MAP_HEIGHT, at=data.counted_on)
    story = _story(template, data, digest, picture)
    out = target if hasattr(target, "write") else str(target)
    doc = SimpleDocTemplate(out, **base_doc_kwargs(
        furniture, title=f"{template.title}: {data.network_name}",
        subject=f"{template.title} for {data.network_name} ({data.key}), {data.contract_year}, "
                f"version {data.version}, fingerprint {digest[:12]}",
        author=data.commissioner or data.commissioner_code or "PCN Desktop"))
    doc.build(story, canvasmaker=numbered_canvas(furniture))
    return PrintedDocument(network_id, data.key, digest, data.draft, doc.page,
                           None if hasattr(target, "write") else Path(target), data.version,
                           data.content_digest(template.source_text))


def agreement_bytes(project: Project, network_id: str, template: ClauseTemplate | None = None,
                    version: str | None = None) -> tuple[bytes, PrintedDocument]:
    """The PDF in memory, for a preview that must not touch the disk."""
    buf = io.BytesIO()
    printed = build_agreement(project, network_id, buf, template, version)
    return buf.getvalue(), printed


def _head(data: AgreementData) -> str:
    return f"{data.network_name} ({data.network_code})" if data.network_code else data.network_name


def _values(d: AgreementData) -> dict[str, str]:
    return {k: (v or NOT_RECORDED) for k, v in d.placeholders().items()}


def _story(t: ClauseTemplate, d: AgreementData, digest: str, picture: object) -> list[Flowable]:
    story: list[Flowable] = _cover(t, d, digest)
    clauses = _clauses(t, d)
    if t.clauses_first:
        story += clauses
    story += all_schedules(t, d, picture)           # type: ignore[arg-type]
    story += _signatures(t, d)
    if not t.clauses_first:
        story += clauses
    return story


def _cover(t: ClauseTemplate, d: AgreementData, digest: str) -> list[Flowable]:
    s = styles()
    values = _values(d)
    national = f"{d.national_agreement}, {d.contract_year or NOT_RECORDED}, NHS England"
    if d.national_version:
        national += f" (version {d.national_version})"
    rows = [["Network", d.network_name], ["Network code", d.network_code or NOT_RECORDED],
            ["Commissioner", d.commissioner_label or NOT_RECORDED],
            ["Attached to", national],
            ["Contract year", d.contract_year or NOT_RECORDED],
            ["Effective date", long_date(d.effective_date) or NOT_RECORDED],
            ["Lists counted at", long_date(d.counting_date) or NOT_RECORDED],
            ["Version", d.version],
            ["Member practices", str(len(d.members))],
            ["Combined list", f"{d.total_list:,}"]]
    if d.exemption is not None:
        e = d.exemption
        rows.append(["Exemption", f"{e.kind.capitalize()} exemption from the {d.minimum_list:,} "
                                  f"minimum, approved {long_date(e.approved_on) or NOT_RECORDED} "
                                  f"by {e.approved_by or NOT_RECORDED} (Schedule 1)"])
    rows.append(["Fingerprint", Paragraph(fingerprint_groups(digest, 8), s["mono"])])
    out: list[Flowable] = [Spacer(1, 14 * mm), Paragraph(escape(t.title), s["title"]),
                           Paragraph(escape(d.network_name), s["subtitle"]), Spacer(1, 6 * mm),
                           key_values(rows), Spacer(1, 5 * mm)]
    out += [Paragraph(escape(p), s["body"])
            for p in paragraphs(fill(t.cover, values, f"{t.path} [document] cover"))]
    signs = paragraphs(fill(t.signs, values, f"{t.path} [document] signs"))
    if signs:
        out.append(Paragraph("What the members sign", s["h2"]))
        out += [Paragraph(escape(p), s["body"]) for p in signs]
    out.append(Spacer(1, 3 * mm))
    if d.draft:
        out.append(Paragraph("<b>DRAFT.</b> This copy is not for signature until the following "
                             "are put right:", s["warning"]))
        out += [Paragraph("• " + escape(e), s["warning"]) for e in d.reasons]
    else:
        out.append(Paragraph("Every registration rule checked by PCN Desktop passes and nothing "
                             "the Schedules need is missing. This copy is for signature by every "
                             "member practice.", s["body"]))
    out.append(PageBreak())
    return out


def _clauses(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    s = styles()
    values = _values(d)
    out: list[Flowable] = [PageBreak(), Paragraph(escape(t.clauses_title), s["h1"])]
    out += [Paragraph(escape(p), s["body"])
            for p in paragraphs(fill(t.clauses_intro, values, f"{t.path} [document] clauses_intro"))]
    out += [Paragraph(escape(p), s["body"])
            for p in paragraphs(fill(t.preamble, values, f"{t.path} [document] preamble"))]
    for n, clause in enumerate(t.clauses, start=1):
        out.append(CondPageBreak(30 * mm))
        title = fill(clause.title, values, f"{t.path} clause '{clause.id}' title")
        out.append(Paragraph(f"{n}. {escape(title)}", s["h2"]))
        text = fill(clause.text, values, f"{t.path} clause '{clause.id}'")
        for k, para in enumerate(paragraphs(text), start=1):
            out.append(Paragraph(f"{n}.{k}&nbsp;&nbsp;{escape(para)}", s["body"]))
    return out


def _signatures(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = [PageBreak(), Paragraph("Signatures", s["h1"])]
    out += [Paragraph(escape(p), s["body"])
            for p in paragraphs(fill(t.signature_text, _values(d), f"{t.path} [document] signature"))]
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
