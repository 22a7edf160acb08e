"""Everything that fills a network's agreement, gathered once, and the fingerprint over it.

The fingerprint is SHA-256 over a canonical serialisation (sorted-key JSON, UTF-8) of this
data *and* the clause template's text, printed short (12 hex characters) on every page.
Two printed copies with the same fingerprint were made from the same data and wording;
the time of printing is deliberately not part of it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Callable

from ..domain.findings import Finding, Severity
from ..domain.model import Project
from ..domain.rules import evaluate
from ..settings import rule_settings_for

UNSIGNED_RULE = "agreement-unsigned"
DEFAULT_SCHEDULE6_TITLE = "Title to be agreed locally"
SHORT = 12


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    address: str
    postcode: str
    list_size: int
    counted: str               # ISO date the list was counted, "" when the project has none


@dataclass(frozen=True)
class DirectorInfo:
    name: str
    practice_code: str
    practice_name: str
    professional_body: str
    registration_number: str
    wte: float
    start: str


@dataclass(frozen=True)
class RoleRow:
    role: str
    wte: float
    start: str
    end: str
    annual_cost: float


@dataclass(frozen=True)
class FundingLine:
    stream: str
    basis: str
    amount: float | None           # None: the model does not know the rate or an input
    kind: str = "payment"          # "payment" to the network, "entitlement" (ARRS), "practices"


@dataclass
class AgreementData:
    network_id: str
    network_name: str
    network_code: str
    commissioner: str
    effective_date: str
    version: str
    counting_date: str
    members: list[MemberRow]
    total_list: int
    director: DirectorInfo | None
    payee_code: str
    payee_name: str
    agreement_signed: str
    workforce: list[RoleRow]
    funding_year: str
    funding: list[FundingLine]
    funding_note: str
    errors: list[str]              # error findings that make this a draft
    schedule6_title: str
    schedule_text: dict[str, str]  # locally agreed text per schedule, from the project
    map_digest: str                # hash of the geometry the map is drawn from
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def draft(self) -> bool:
        return bool(self.errors)

    @property
    def key(self) -> str:
        return self.network_code or self.network_name

    def placeholders(self) -> dict[str, str]:
        d = self.director
        return {
            "network_name": self.network_name,
            "network_code": self.network_code or "(no code yet)",
            "commissioner": self.commissioner or "the commissioner",
            "effective_date": _long_date(self.effective_date) or "the date all members sign it",
            "version": self.version,
            "member_count": str(len(self.members)),
            "total_list": f"{self.total_list:,}",
            "counting_date": _long_date(self.counting_date) or "(no list count recorded)",
            "director_name": d.name if d else "(not yet appointed)",
            "director_practice": (f"{d.practice_name} ({d.practice_code})" if d and d.practice_name
                                  else (d.practice_code if d else "no practice")) or "no practice",
            "payee_name": self.payee_name or "(not yet nominated)",
            "payee_code": self.payee_code or "no ODS code",
            "schedule6_title": self.schedule6_title,
        }

    def canonical(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("network_id")       # internal; the same network saved twice keeps its text
        return data


def fingerprint(data: AgreementData, template_text: str, kind: str = "agreement") -> str:
    payload = {"kind": kind, "data": data.canonical(), "template": template_text}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def agreement_settings(project: Project, network_key: str) -> dict[str, Any]:
    """Project agreement settings with that network's own overrides on top."""
    base = dict(project.settings.get("agreement") or {})
    per = (base.pop("networks", None) or {}).get(network_key) or {}
    merged = {**base, **per}
    merged["schedules"] = {**(base.get("schedules") or {}), **(per.get("schedules") or {})}
    return merged


def draft_errors(findings: list[Finding], network_id: str) -> list[str]:
    """Error findings about this network other than the agreement not yet being signed:
    the document being printed is how it gets signed."""
    return sorted(f.message for f in findings
                  if f.severity is Severity.ERROR and f.rule != UNSIGNED_RULE
                  and f.network_id == network_id)


def gather(project: Project, network_id: str, funding: "FundingProvider | None" = None,
           map_digest: str = "") -> AgreementData:
    net = project.networks[network_id]
    rules = rule_settings_for(project)
    counting = rules.counting_date(project.list_dates())
    opts = agreement_settings(project, net.key)
    members = []
    for code in sorted(project.members(network_id)):
        p = project.practices.get(code)
        counted = project.list_size_counted(code, counting)
        members.append(MemberRow(
            code=code, name=p.name if p else "", postcode=p.postcode if p else "",
            address=", ".join(a for a in (p.address if p else ()) if a),
            list_size=counted[1] if counted else 0,
            counted=counted[0].isoformat() if counted else ""))
    director = None
    if net.director is not None and net.director.name.strip():
        d = net.director
        dp = project.practices.get(d.practice_code)
        director = DirectorInfo(d.name, d.practice_code, dp.name if dp else "", d.professional_body,
                                d.registration_number, d.wte, d.start.isoformat() if d.start else "")
    payee = project.practices.get(net.nominated_payee)
    plan = project.workforce.get(network_id, [])
    workforce = [RoleRow(r.role, r.wte, r.start, r.end, r.annual_cost)
                 for r in sorted(plan, key=lambda r: (r.start, r.role))]
    findings = evaluate(project, rules, scope=[network_id])
    effective = str(opts.get("effective_date") or "")
    if not effective and counting is not None:
        # Payments use lists counted on 1 January; the contract year they fund starts on
        # 1 April of that year.
        effective = date(counting.year, 4, 1).isoformat()
    year = str(opts.get("funding_year") or _default_year(project) or _contract_year(effective))
    provider = funding or default_funding_provider()
    lines, note = provider(project, network_id, year)
    texts = {str(k): str(v) for k, v in (opts.get("schedules") or {}).items()}
    return AgreementData(
        network_id=network_id, network_name=net.name, network_code=net.code,
        commissioner=str(opts.get("commissioner") or net.commissioner or _commissioner(project, members)),
        effective_date=effective, version=str(opts.get("version") or "1"),
        counting_date=counting.isoformat() if counting else "",
        members=members, total_list=sum(m.list_size for m in members), director=director,
        payee_code=net.nominated_payee, payee_name=payee.name if payee else "",
        agreement_signed=net.agreement_signed.isoformat() if net.agreement_signed else "",
        workforce=workforce, funding_year=year, funding=lines, funding_note=note,
        errors=draft_errors(findings, network_id),
        schedule6_title=str(opts.get("schedule6_title") or DEFAULT_SCHEDULE6_TITLE),
        schedule_text=texts, map_digest=map_digest)


# --- funding: the integration point with pcn_desktop.funding ---------------------------
FundingProvider = Callable[[Project, str, str], tuple[list[FundingLine], str]]


def default_funding_provider() -> FundingProvider:
    from .agreement_funding import funding_lines
    return funding_lines


def _default_year(project: Project) -> str:
    from .agreement_funding import default_year
    return default_year(project)


def _contract_year(effective_iso: str) -> str:
    if not effective_iso:
        return ""
    d = date.fromisoformat(effective_iso)
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _commissioner(project: Project, members: list[MemberRow]) -> str:
    codes = sorted({project.practices[m.code].commissioner for m in members
                    if m.code in project.practices and project.practices[m.code].commissioner})
    return ", ".join(codes)


def _long_date(iso: str) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def long_date(iso: str) -> str:
    return _long_date(iso)
