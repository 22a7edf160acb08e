"""Schedules 4 and 5's figures: the one place the agreement asks the funding model.

Every figure comes from ``funding.model.network_funding`` for the document's contract year,
the same call ``pcn-desktop funding`` makes for each network, so the two always agree. A
figure the model does not know (a rate "not found" in the sources, or an input the user has
not entered) is never printed as a number nobody computed: it is returned as a gap, which
makes the copy a DRAFT that says what is missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain.model import Project
from ..funding.model import NetworkFunding, network_funding
from ..funding.policy import Policy, PolicyError
from ..funding.policy_store import policy_for
from ..settings import rule_settings_for

BASIS_WORDS = {"registered": "registered patients", "weighted": "weighted patients",
               "adjusted": "adjusted population", "beds": "care home beds", "fixed": "per network"}


@dataclass(frozen=True)
class FundingLine:
    stream: str
    basis: str
    amount: float | None           # None: the model does not know the rate or an input
    kind: str = "payment"          # "payment" to the network, "entitlement" (ARRS), "practices"


@dataclass(frozen=True)
class RoleLine:
    post: str
    employer: str
    wte: float
    start: str
    end: str
    annual_cost: float             # full-time cost of the post, as planned
    months: int                    # months in post within the contract year
    cost: float                    # cost in the year: annual cost x WTE x months / 12
    reimbursable: float


@dataclass
class FundingSummary:
    year: str
    list_date: str
    lines: list[FundingLine] = field(default_factory=list)
    roles: list[RoleLine] = field(default_factory=list)
    network_payments: float = 0.0
    practice_payments: float = 0.0
    entitlement: float | None = None
    plan_cost: float = 0.0
    reimbursable: float = 0.0
    headroom: float | None = None
    registered: int = 0
    note: str = ""
    gaps: list[str] = field(default_factory=list)


def year_policy(year: str) -> tuple[Policy | None, str]:
    try:
        return policy_for(year), ""
    except PolicyError as exc:
        return None, f"there is no funding policy for {year} ({exc})"


def funding_summary(project: Project, network_id: str, year: str,
                    employers: dict[str, str] | None = None) -> FundingSummary:
    """The network's funding for the contract year, from the funding model."""
    policy, problem = year_policy(year)
    if policy is None:
        return FundingSummary(year, "", gaps=[f"Schedule 4: {problem}"])
    result = network_funding(project, network_id, policy,
                             director_wte_per_50000=rule_settings_for(project).director_wte_per_50000)
    return summarise(result, policy, employers or {}, project.counting_date)


def summarise(result: NetworkFunding, policy: Policy, employers: dict[str, str],
              counted: date | None = None) -> FundingSummary:
    """``counted``: the date the project's lists were counted at for these figures (the
    policy's own list date when not given)."""
    year = policy.year
    out = FundingSummary(year, policy.list_date.isoformat(), registered=result.inputs.registered,
                         network_payments=result.network_payments,
                         practice_payments=result.practice_payments, entitlement=result.entitlement,
                         plan_cost=result.plan_cost, reimbursable=result.reimbursable,
                         headroom=result.headroom)
    for kind, streams in (("payment", [s for s in result.streams if s.paid_to == "network"]),
                          ("entitlement", result.entitlements),
                          ("practices", [s for s in result.streams if s.paid_to == "practices"])):
        for s in streams:
            basis = s.basis if kind != "entitlement" else s.stream.basis
            out.lines.append(FundingLine(s.label, _basis(basis, s.units, s.stream.figure.value,
                                                         s.stream.per), s.amount, kind))
            if s.amount is None:
                if s.stream.figure.value is None:
                    out.gaps.append(f"Schedule 4: the {year} rate for {s.label} is not found in the "
                                    "sources; set it in Funding settings")
                else:
                    out.gaps.append(f"Schedule 4: {BASIS_WORDS.get(basis, basis)} for {s.label} "
                                    f"are not entered for {year}; enter them in the funding inputs")
    for r in result.roles:
        p = r.planned
        out.roles.append(RoleLine(r.label, employers.get(str(r.index)) or employers.get("*", ""), p.wte, p.start, p.end,
                                  p.annual_cost, r.months, r.cost, r.reimbursable))
        if r.problem:
            out.gaps.append(f"Schedule 5: {r.label}: {r.problem}")
        elif r.unknown_cap_months:
            out.gaps.append(f"Schedule 5: the {year} maximum reimbursement for {r.label} is not "
                            "found in the sources; set it in Funding settings")
    assumed = [name for name, pop in (("weighted", result.inputs.weighted),
                                      ("adjusted", result.inputs.adjusted)) if pop.assumed]
    # The command that gives the same figures names the date too: without --as-at, funding
    # counts at the project's own date (the latest lists), which need not be the year's.
    counted = counted or policy.list_date
    note = (f"Figures from PCN Desktop's funding model for {year}, on lists counted at "
            f"{counted.day} {counted:%B %Y}; the same figures as "
            f"'pcn-desktop funding --year {year} --as-at {counted.isoformat()}'.")
    if assumed:
        note += (f" The {' and '.join(assumed)} population{'s are' if len(assumed) > 1 else ' is'} "
                 "assumed equal to the registered list, as none was entered.")
    out.note = note
    return out


def _basis(basis: str, units: float | None, value: float | None, per: str) -> str:
    words = BASIS_WORDS.get(basis, basis)
    rate = "rate not known" if value is None else f"£{value:,.3f}".rstrip("0").rstrip(".")
    if value is not None and len(rate.split(".")[-1]) < 2 and "." in rate:
        rate += "0"
    if basis == "fixed":
        return f"{rate} {words}"
    period = {"year": "a year", "month": "a month", "period": "for the period"}.get(per, per)
    if units is None:
        return f"{rate} per {words[:-1] if words.endswith('s') else words}, {period}"
    return f"{rate} × {units:,.0f} {words}, {period}"
