"""Schedules 1–7 of the agreement, numbered as the national template numbers them, filled
from the project's data. Each builder returns platypus flowables; no page furniture here."""
from __future__ import annotations

import io
from typing import Callable

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (CondPageBreak, Flowable, Image, KeepTogether, PageBreak, Paragraph,
                                Spacer)

from .agreement_data import AgreementData, long_date
from .clauses import ClauseTemplate, fill, paragraphs
from .pdf_style import FRAME_WIDTH, data_table, escape, styles

W = FRAME_WIDTH


def money(amount: float) -> str:
    return f"£{amount:,.2f}"


def _amount(value: float | None) -> str:
    return "not known" if value is None else money(value)


def member_table(data: AgreementData) -> Flowable:
    rows: list[list[object]] = [[m.code, m.name or "(name not recorded)", f"{m.list_size:,}",
                                 long_date(m.counted) or "not counted"] for m in data.members]
    rows.append(["", "Combined list", f"{data.total_list:,}", long_date(data.counting_date)])
    return data_table(["ODS code", "Practice", "Registered list", "Counted on"], rows,
                      [0.14 * W, 0.50 * W, 0.16 * W, 0.20 * W], align_right={2}, total_row=True)


def director_table(data: AgreementData) -> Flowable:
    d = data.director
    if d is None:
        return Paragraph("No clinical director has been recorded.", styles()["warning"])
    practice = f"{d.practice_name} ({d.practice_code})" if d.practice_name else d.practice_code
    rows = [["Name", d.name], ["Practice", practice or "not recorded"],
            ["Professional body", d.professional_body or "not recorded"],
            ["Registration number", d.registration_number or "not recorded"],
            ["Time (WTE)", f"{d.wte:g}"], ["Appointed from", long_date(d.start) or "not recorded"]]
    return data_table(["Clinical director", ""], rows, [0.30 * W, 0.70 * W])


def _text(template: ClauseTemplate, data: AgreementData, number: str, part: str) -> list[Flowable]:
    """The template's text for a schedule part; the project's own agreed text replaces the
    template's default for the "local" part."""
    raw = template.schedules[number].get(part, "")
    if part == "local" and data.schedule_text.get(number, "").strip():
        raw = data.schedule_text[number]
    text = fill(raw, data.placeholders(), f"{template.path} [schedule.{number}] {part}")
    return [Paragraph(escape(p), styles()["body"]) for p in paragraphs(text)]


def schedule_heading(template: ClauseTemplate, data: AgreementData, number: str) -> list[Flowable]:
    title = fill(template.schedules[number]["title"], data.placeholders(),
                 f"{template.path} [schedule.{number}] title")
    # Schedule 1 opens the schedules on a fresh page; short ones after it share pages
    # rather than leaving most of a sheet blank.
    brk: Flowable = PageBreak() if number == "1" else CondPageBreak(70 * mm)
    return [brk, Spacer(1, 2 * mm), Paragraph(f"Schedule {number}: {escape(title)}", styles()["h1"])]


def schedule_1(t: ClauseTemplate, d: AgreementData, map_png: bytes | None) -> list[Flowable]:
    s = styles()
    out = schedule_heading(t, d, "1") + _text(t, d, "1", "intro")
    out += [Paragraph("Members and registered lists", s["h2"]), member_table(d),
            Paragraph("Clinical director", s["h2"]), director_table(d),
            Paragraph("How decisions are made and the director is appointed", s["h2"])]
    out += _text(t, d, "1", "local")
    heading = Paragraph("Network area", s["h2"])
    if map_png:
        width, height = ImageReader(io.BytesIO(map_png)).getSize()
        shown = min(W * 0.92, 150 * mm * width / height)   # keep its shape; at most 15 cm tall
        img = Image(io.BytesIO(map_png), width=shown, height=shown * height / width)
        out.append(KeepTogether([heading, img, Paragraph(
            "The shaded area is the network area drawn from the project's own geography; "
            "dots mark the member practices.", s["small"])]))
    else:
        out += [heading, Paragraph("No network area or practice locations are recorded in the "
                                   "project.", s["warning"])]
    return out


def schedule_4(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    s = styles()
    out = schedule_heading(t, d, "4") + _text(t, d, "4", "intro")
    payee = f"{d.payee_name} ({d.payee_code})" if d.payee_name else (d.payee_code or "not nominated")
    out += [data_table(["Nominated payee", ""], [["Practice", payee],
                                                 ["Contract year", d.funding_year or "not set"]],
                       [0.30 * W, 0.70 * W]),
            Paragraph("Payments to the network", s["h2"])]
    payments = [f for f in d.funding if f.kind == "payment"]
    total = sum(f.amount for f in payments if f.amount is not None)
    if payments:
        rows: list[list[object]] = [[f.stream, f.basis, _amount(f.amount)] for f in payments]
        rows.append(["Total known payments", "", money(total)])
        out.append(data_table(["Payment", "Basis", "Amount"], rows,
                              [0.30 * W, 0.50 * W, 0.20 * W], align_right={2}, total_row=True))
    others = [f for f in d.funding if f.kind != "payment"]
    if others:
        out.append(Paragraph("Additional roles entitlement, and payments made to each practice "
                             "directly", s["h2"]))
        out.append(data_table(["Entitlement or payment", "Basis", "Amount"],
                              [[f.stream + (" (to each practice)" if f.kind == "practices" else ""),
                                f.basis, _amount(f.amount)] for f in others],
                              [0.30 * W, 0.50 * W, 0.20 * W], align_right={2}))
    out.append(Paragraph(escape(d.funding_note), s["small"]))
    out.append(Paragraph("Each member's share of the combined list", s["h2"]))
    rows = []
    for m in d.members:
        share = m.list_size / d.total_list if d.total_list else 0.0
        row: list[object] = [m.code, m.name, f"{m.list_size:,}", f"{share:.2%}"]
        if payments:
            row.append(money(total * share))
        rows.append(row)
    header = ["ODS code", "Practice", "List", "Share"] + (["Share of payments"] if payments else [])
    widths = ([0.13, 0.43, 0.14, 0.12, 0.18] if payments else [0.15, 0.53, 0.17, 0.15])
    out.append(data_table(header, rows, [w * W for w in widths], align_right={2, 3, 4}))
    planned = sum(r.annual_cost for r in d.workforce)
    if d.workforce:
        out.append(Spacer(1, 2 * mm))
        out.append(Paragraph(f"Planned annual cost of the additional roles in Schedule 5: "
                             f"{money(planned)}.", s["body"]))
    out.append(Paragraph("Locally agreed arrangements", s["h2"]))
    return out + _text(t, d, "4", "local")


def schedule_5(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    out = schedule_heading(t, d, "5") + _text(t, d, "5", "intro")
    if d.workforce:
        rows: list[list[object]] = [[r.role, f"{r.wte:g}", r.start, r.end, money(r.annual_cost)]
                                    for r in d.workforce]
        rows.append(["Total", f"{sum(r.wte for r in d.workforce):g}", "", "",
                     money(sum(r.annual_cost for r in d.workforce))])
        out.append(data_table(["Role", "WTE", "From", "To", "Annual cost"], rows,
                              [0.38 * W, 0.10 * W, 0.15 * W, 0.15 * W, 0.22 * W],
                              align_right={1, 4}, total_row=True))
    else:
        out.append(Paragraph("No additional roles are planned in the project.", styles()["body"]))
    return out + _text(t, d, "5", "local")


def simple_schedule(number: str) -> Callable[[ClauseTemplate, AgreementData], list[Flowable]]:
    def build(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
        return schedule_heading(t, d, number) + _text(t, d, number, "intro") + _text(t, d, number, "local")
    return build


def all_schedules(t: ClauseTemplate, d: AgreementData, map_png: bytes | None) -> list[Flowable]:
    out = schedule_1(t, d, map_png)
    out += simple_schedule("2")(t, d) + simple_schedule("3")(t, d)
    out += schedule_4(t, d) + schedule_5(t, d)
    out += simple_schedule("6")(t, d) + simple_schedule("7")(t, d)
    out.append(Spacer(1, 4 * mm))
    return out
