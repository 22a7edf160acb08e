"""Schedule 4's payments: the one place the agreement asks the funding model for figures.

The funding model (``pcn_desktop.funding``) owns every rate, formula and contract year; this
adapter only turns its answer for one network into printable lines. A figure the model does
not know (a rate "not found" in the sources, or an input the user has not entered) is printed
as not known, never as a number nobody computed.
"""
from __future__ import annotations

from ..domain.model import Project
from ..funding.model import network_funding
from ..funding.policy import PolicyError
from ..funding.policy_store import policy_for, year_of_project
from ..settings import rule_settings_for
from .agreement_data import FundingLine

BASIS_WORDS = {"registered": "registered patients", "weighted": "weighted patients",
               "adjusted": "adjusted population", "beds": "care home beds", "fixed": "per network"}


def default_year(project: Project) -> str:
    """The project's contract year as the funding model sees it ("" when it has no policy)."""
    try:
        return year_of_project(project)
    except PolicyError:
        return ""


def funding_lines(project: Project, network_id: str, year: str) -> tuple[list[FundingLine], str]:
    """(lines, note) for the network's funding in the contract year, e.g. "2024/25"."""
    if not year:
        return [], "No contract year is set, so payments are not shown."
    try:
        policy = policy_for(year)
    except PolicyError as exc:
        return [], f"Payments for {year} are not shown: {exc}"
    result = network_funding(project, network_id, policy,
                             director_wte_per_50000=rule_settings_for(project).director_wte_per_50000)
    lines: list[FundingLine] = []
    for s in result.streams:
        if s.paid_to != "network":
            continue
        lines.append(FundingLine(s.label, _basis(s.basis, s.units, s.stream.figure.value, s.stream.per),
                                 s.amount, "payment"))
    for e in result.entitlements:
        lines.append(FundingLine(e.label, _basis(e.stream.basis, e.units, e.stream.figure.value,
                                                 e.stream.per), e.amount, "entitlement"))
    for s in result.streams:
        if s.paid_to == "practices":
            lines.append(FundingLine(s.label, _basis(s.basis, s.units, s.stream.figure.value, s.stream.per),
                                     s.amount, "practices"))
    assumed = [name for name, pop in (("weighted", result.inputs.weighted),
                                      ("adjusted", result.inputs.adjusted)) if pop.assumed]
    note = f"Figures from PCN Desktop's funding model for {year}."
    if assumed:
        note += (f" The {' and '.join(assumed)} population{'s are' if len(assumed) > 1 else ' is'} "
                 "assumed equal to the registered list, as none was entered.")
    if any(line.amount is None for line in lines):
        note += " A payment shown as not known has a rate or input that is not recorded."
    return lines, note


def _basis(basis: str, units: float | None, value: float | None, per: str) -> str:
    words = BASIS_WORDS.get(basis, basis)
    rate = "rate not known" if value is None else f"£{value:,.3f}".rstrip("0").rstrip(".")
    if value is not None and len(rate.split(".")[-1]) < 2 and "." in rate:
        rate += "0"
    if basis == "fixed":
        return f"{rate} {words}"
    count = "not entered" if units is None else f"{units:,.0f}"
    period = {"year": "a year", "month": "a month", "period": "for the period"}.get(per, per)
    return f"{rate} × {count} {words}, {period}"
