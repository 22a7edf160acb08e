"""Schedules 1–7, numbered as the national Schedules number them, filled from the project.
Each builder returns platypus flowables; no page furniture here.

Every money figure comes from ``AgreementData.funding`` (the funding model's answer for the
document's contract year); shares are split by largest remainder so they add up exactly.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from .agreement_data import NOT_RECORDED, AgreementData
from .clauses import ClauseTemplate, fill, paragraphs
from .map_key import MapPicture, map_flowables
from .pdf_style import FRAME_WIDTH, data_table, escape, key_values, styles
from .print_text import largest_remainder, long_date, money, pennies

W = FRAME_WIDTH


def _amount(value: float | None) -> str:
    return "not known" if value is None else money(value)


def _month(yyyy_mm: str) -> str:
    """'2023-04' -> 'Apr 2023', the way every other date in the document is written."""
    try:
        return date(int(yyyy_mm[:4]), int(yyyy_mm[5:7]), 1).strftime("%b %Y")
    except (ValueError, IndexError):
        return yyyy_mm


def _share(bp: int) -> str:
    return f"{bp // 100}.{bp % 100:02d}%"


def member_table(data: AgreementData) -> Flowable:
    rows: list[list[object]] = [[m.code, m.name or NOT_RECORDED, f"{m.list_size:,}",
                                 long_date(m.counted) or "not counted"] for m in data.members]
    rows.append(["", "Combined list", f"{data.total_list:,}", long_date(data.counting_date)])
    return data_table(["ODS code", "Practice", "Registered list", "Counted on"], rows,
                      [0.14 * W, 0.50 * W, 0.16 * W, 0.20 * W], align_right={2}, total_row=True)


def exemption_flowables(data: AgreementData) -> list[Flowable]:
    """The exemption that lets a network under the minimum list register, as approved."""
    e = data.exemption
    if e is None:
        return []
    s = styles()
    under = data.total_list < data.minimum_list
    rows = [["Exemption", f"{e.kind.capitalize()} exemption from the {data.minimum_list:,}-patient "
                          f"minimum" + (f" (combined list {data.total_list:,})" if under else "")],
            ["Reason", e.reason or NOT_RECORDED],
            ["Approved on", long_date(e.approved_on) or NOT_RECORDED],
            ["Approved by", e.approved_by or NOT_RECORDED]]
    return [Paragraph("Exemption from the minimum list size", s["h2"]), key_values(rows)]


def director_table(data: AgreementData) -> Flowable:
    d = data.director
    if d is None:
        return Paragraph("No clinical director has been recorded.", styles()["warning"])
    practice = f"{d.practice_name} ({d.practice_code})" if d.practice_name else d.practice_code
    rows = [["Name", d.name], ["Practice", practice or NOT_RECORDED],
            ["Professional body", d.professional_body or NOT_RECORDED],
            ["Registration number", d.registration_number or NOT_RECORDED],
            ["Time (WTE)", f"{d.wte:g}"], ["Appointed from", long_date(d.start) or NOT_RECORDED]]
    return key_values(rows)


def _text(template: ClauseTemplate, data: AgreementData, number: str, part: str) -> list[Flowable]:
    """The template's text for a schedule part; the project's own agreed text replaces the
    template's default for the "local" part."""
    raw = template.schedules[number].get(part, "")
    if part == "local" and data.schedule_text.get(number, "").strip():
        raw = data.schedule_text[number]
    text = fill(raw, data.placeholders(), f"{template.path} [schedule.{number}] {part}")
    return [Paragraph(escape(p), styles()["body"]) for p in paragraphs(text)]


def schedule_title(template: ClauseTemplate, data: AgreementData, number: str) -> str:
    return fill(template.schedules[number]["title"], data.placeholders(),
                f"{template.path} [schedule.{number}] title").strip()


def schedule_heading(template: ClauseTemplate, data: AgreementData, number: str) -> list[Flowable]:
    title = schedule_title(template, data, number) or NOT_RECORDED
    # Schedule 1 opens the schedules on a fresh page; short ones after it share pages
    # rather than leaving most of a sheet blank.
    brk: Flowable = PageBreakIfNotEmpty() if number == "1" else CondPageBreak(70 * mm)
    return [brk, Spacer(1, 2 * mm), Paragraph(f"Schedule {number}: {escape(title)}", styles()["h1"])]


def schedule_1(t: ClauseTemplate, d: AgreementData, picture: MapPicture | None) -> list[Flowable]:
    s = styles()
    out = schedule_heading(t, d, "1") + _text(t, d, "1", "intro")
    out += [Paragraph("Members and registered lists", s["h2"]), member_table(d)]
    later = d.extra.get("later_counts") or []
    if later:
        out.append(Paragraph(
            f"The project holds no count at {long_date(d.counting_date)} for {', '.join(later)}: "
            "the earliest later count is shown, as the funding model also uses it.", s["small"]))
    out += exemption_flowables(d)
    out += [Paragraph("Clinical director", s["h2"]), director_table(d),
            Paragraph("How decisions are made and the director is appointed", s["h2"])]
    out += _text(t, d, "1", "local")
    out += map_flowables("Network area", picture, W)
    return out


def schedule_4(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    s = styles()
    f = d.funding
    out = schedule_heading(t, d, "4") + _text(t, d, "4", "intro")
    out += [data_table(["Nominated payee", ""],
                       [["Practice", d.payee_label], ["Contract year", d.contract_year or NOT_RECORDED],
                        ["Lists counted at", long_date(d.counting_date) or NOT_RECORDED]],
                       [0.30 * W, 0.70 * W]),
            Paragraph("Payments to the network", s["h2"])]
    payments = [line for line in f.lines if line.kind == "payment"]
    rows: list[list[object]] = [[x.stream, x.basis, _amount(x.amount)] for x in payments]
    rows.append(["Total payments to the network", "", money(f.network_payments)])
    out.append(data_table(["Payment", "Basis", "Amount in the year"], rows,
                          [0.30 * W, 0.48 * W, 0.22 * W], align_right={2}, total_row=True))
    out.append(Paragraph("Additional roles", s["h2"]))
    arrs = [[x.stream, x.basis, _amount(x.amount)] for x in f.lines if x.kind == "entitlement"]
    arrs += [["Planned cost of the posts in the year", "Schedule 5", money(f.plan_cost)],
             ["Reimbursable under the scheme", "Schedule 5", money(f.reimbursable)],
             ["Headroom (entitlement less reimbursable)", "", _amount(f.headroom)]]
    out.append(data_table(["Entitlement or figure", "Basis", "Amount in the year"], arrs,
                          [0.40 * W, 0.38 * W, 0.22 * W], align_right={2}))
    direct = [line for line in f.lines if line.kind == "practices"]
    if direct:
        out.append(Paragraph("Payments made to each practice directly", s["h2"]))
        out.append(data_table(["Payment", "Basis", "Amount in the year"],
                              [[x.stream, x.basis, _amount(x.amount)] for x in direct]
                              + [["Total to the member practices", "", money(f.practice_payments)]],
                              [0.30 * W, 0.48 * W, 0.22 * W], align_right={2}, total_row=True))
    out.append(Paragraph(escape(f.note), s["small"]))
    out.append(Paragraph("Each member's share of the combined list", s["h2"]))
    rows = [[m.code, m.name, f"{m.list_size:,}", _share(m.share_bp), money(m.payment_pence / 100)]
            for m in d.members]
    rows.append(["", "All members", f"{d.total_list:,}", _share(sum(m.share_bp for m in d.members)),
                 money(sum(m.payment_pence for m in d.members) / 100)])
    out.append(data_table(["ODS code", "Practice", "List", "Share", "Share of payments"], rows,
                          [w * W for w in (0.13, 0.43, 0.14, 0.12, 0.18)], align_right={2, 3, 4},
                          total_row=True))
    out.append(Paragraph("Locally agreed arrangements", s["h2"]))
    return out + _text(t, d, "4", "local")


def schedule_5(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
    s = styles()
    f = d.funding
    out = schedule_heading(t, d, "5") + _text(t, d, "5", "intro")
    out.append(Paragraph("Posts in the contract year", s["h2"]))
    posts = [r for r in f.roles if r.months]
    if posts:
        rows: list[list[object]] = [
            [r.post, r.employer or NOT_RECORDED, f"{r.wte:g}", f"{_month(r.start)} to {_month(r.end)}", str(r.months),
             money(r.annual_cost), money(r.cost), money(r.reimbursable)] for r in posts]
        rows.append(["Total", "", f"{sum(r.wte for r in posts):g}", "", "", "",
                     money(f.plan_cost), money(f.reimbursable)])
        out.append(data_table(["Post", "Employer", "WTE", "In post", "Months", "Full-time annual cost",
                               "Cost in the year", "Reimbursable"], rows,
                              [w * W for w in (0.15, 0.16, 0.06, 0.12, 0.09, 0.13, 0.13, 0.16)],
                              align_right={2, 4, 5, 6, 7}, total_row=True))
        out.append(Paragraph(
            f"Cost in the year is the full-time annual cost × WTE × months in post ÷ 12. "
            f"Entitlement {_amount(f.entitlement)}; reimbursable {money(f.reimbursable)}; "
            f"headroom {_amount(f.headroom)}.", s["small"]))
    else:
        out.append(Paragraph("No additional roles are planned in the project for "
                             f"{d.contract_year}.", s["body"]))
    outside = [r for r in f.roles if not r.months]
    if outside:
        out.append(Paragraph(f"Planned outside {d.contract_year}, so not part of these Schedules: "
                             + "; ".join(f"{escape(r.post)} ({_month(r.start)} to {_month(r.end)})"
                                         for r in outside)
                             + ".", s["small"]))
    out.append(Paragraph("How staff are shared between members", s["h2"]))
    out += _text(t, d, "5", "local")
    if posts and d.members:
        sizes = [float(m.list_size) for m in d.members]
        year_wte = sum(r.wte * r.months / 12 for r in f.roles)
        wte_parts = largest_remainder(round(year_wte * 1000), sizes)
        cost_parts = largest_remainder(pennies(f.plan_cost), sizes)
        rows = [[m.code, m.name, _share(m.share_bp), f"{w / 1000:.3f}", money(c / 100)]
                for m, w, c in zip(d.members, wte_parts, cost_parts)]
        rows.append(["", "All members", _share(sum(m.share_bp for m in d.members)),
                     f"{sum(wte_parts) / 1000:.3f}", money(sum(cost_parts) / 100)])
        out.append(data_table(["ODS code", "Practice", "Share", "WTE over the year", "Share of cost"],
                              rows, [w * W for w in (0.13, 0.43, 0.12, 0.14, 0.18)],
                              align_right={2, 3, 4}, total_row=True))
    return out


def simple_schedule(number: str) -> Callable[[ClauseTemplate, AgreementData], list[Flowable]]:
    def build(t: ClauseTemplate, d: AgreementData) -> list[Flowable]:
        body = _text(t, d, number, "intro") + _text(t, d, number, "local")
        if not body:
            body = [Paragraph(NOT_RECORDED, styles()["warning"])]
        return schedule_heading(t, d, number) + body
    return build


def all_schedules(t: ClauseTemplate, d: AgreementData, picture: MapPicture | None) -> list[Flowable]:
    out = schedule_1(t, d, picture)
    out += simple_schedule("2")(t, d) + simple_schedule("3")(t, d)
    out += schedule_4(t, d) + schedule_5(t, d)
    out += simple_schedule("6")(t, d) + simple_schedule("7")(t, d)
    out.append(Spacer(1, 4 * mm))
    return out
