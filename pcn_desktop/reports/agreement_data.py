"""Everything that fills a network's Schedules, gathered once, and the fingerprint over it.

One contract year and one counting date per document, both from the effective date
(``agreement_period``); every money figure from the funding model's call for that year
(``agreement_funding``). What is missing is collected as *gaps*: a copy with a gap is a
DRAFT that names it, never a final copy with placeholder text.

The fingerprint is SHA-256 over a canonical serialisation (sorted-key JSON, UTF-8) of this
data *and* the clause template's text. Two printed copies with the same fingerprint were made
from the same data and wording; the time of printing is deliberately not part of it.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from ..domain.findings import Finding, Severity
from ..domain.model import Project
from ..domain.rules import evaluate
from ..settings import rule_settings_for
from .agreement_funding import FundingSummary, funding_summary
from .agreement_map import map_digest as digest_of_map
from .agreement_period import default_effective_date, document_period
from .print_text import largest_remainder, long_date, pennies, title_case

UNSIGNED_RULE = "agreement-unsigned"
NATIONAL_AGREEMENT = "Network Contract Directed Enhanced Service (DES) Network Agreement"
SHORT = 12
_APPROVAL = re.compile(r"(?:agreed|approved) by (?P<by>.+?) on (?P<day>\d{1,2} [A-Z][a-z]+ \d{4})")

NOT_RECORDED = "[not recorded]"     # what a document prints for a detail not yet recorded


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str                  # as printed (title case); the data keep the published name
    address: str
    postcode: str
    list_size: int
    counted: str               # ISO date the list was counted, "" when the project has none
    share_bp: int = 0          # share of the combined list in basis points (sums to 10,000)
    payment_pence: int = 0     # share of the network's payments (sums to the total exactly)


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
class Exemption:
    kind: str
    reason: str
    approved_on: str           # ISO date, "" when not recorded
    approved_by: str


@dataclass
class AgreementData:
    network_id: str
    network_name: str
    network_code: str
    commissioner_code: str
    commissioner: str              # the commissioner's name ("" when not recorded)
    national_agreement: str
    national_version: str
    effective_date: str
    contract_year: str
    counting_date: str
    version: str
    members: list[MemberRow]
    total_list: int
    exemption: Exemption | None
    minimum_list: int
    director: DirectorInfo | None
    payee_code: str
    payee_name: str
    agreement_signed: str
    funding: FundingSummary
    errors: list[str]              # error findings other than the agreement being unsigned
    gaps: list[str]                # data missing from the document
    schedule6_title: str
    schedule_text: dict[str, str]  # locally agreed text per schedule, from the project
    map_digest: str                # hash of the geometry the map is drawn from
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def draft(self) -> bool:
        return bool(self.errors or self.gaps)

    @property
    def reasons(self) -> list[str]:
        return self.errors + self.gaps

    @property
    def key(self) -> str:
        return self.network_code or self.network_name

    @property
    def counted_on(self) -> date | None:
        """The date the document counts members and lists at (None when it has none)."""
        return date.fromisoformat(self.counting_date) if self.counting_date else None

    @property
    def commissioner_label(self) -> str:
        if self.commissioner and self.commissioner_code:
            return f"{self.commissioner} ({self.commissioner_code})"
        return self.commissioner or self.commissioner_code

    @property
    def payee_label(self) -> str:
        """The nominated payee as printed: name and code, the code alone, or not recorded."""
        if self.payee_name:
            return f"{self.payee_name} ({self.payee_code})"
        return self.payee_code or NOT_RECORDED

    def placeholders(self) -> dict[str, str]:
        d = self.director
        practice = f"{d.practice_name} ({d.practice_code})" if d else ""
        return {
            "network_name": self.network_name,
            "network_code": self.network_code,
            "commissioner": self.commissioner_label,
            "effective_date": long_date(self.effective_date),
            "contract_year": self.contract_year,
            "national_agreement": self.national_agreement,
            "version": self.version,
            "member_count": str(len(self.members)),
            "total_list": f"{self.total_list:,}",
            "counting_date": long_date(self.counting_date),
            "director_name": d.name if d else "",
            "director_practice": practice,
            "payee_name": self.payee_name,
            "payee_code": self.payee_code,
            # whole phrases, so that a clause never prints "()" for what is not recorded yet
            "director": f"{d.name} ({practice})" if d and d.name else NOT_RECORDED,
            "payee": self.payee_label,
            "schedule6_title": self.schedule6_title,
        }

    def canonical(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("network_id")       # internal; the same network saved twice keeps its text
        return data

    def content_digest(self, template_text: str) -> str:
        """What the members sign, without the version and the signing itself: a change here
        to a signed agreement is what makes a new version."""
        data = self.canonical()
        for key in ("version", "agreement_signed"):
            data.pop(key)
        blob = json.dumps({"data": data, "template": template_text}, sort_keys=True,
                          ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


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
    merged["employers"] = {**(base.get("employers") or {}), **(per.get("employers") or {})}
    return merged


def draft_errors(findings: list[Finding], network_id: str) -> list[str]:
    """Error findings about this network other than the agreement not yet being signed:
    the document being printed is how it gets signed."""
    return sorted(f.message for f in findings
                  if f.severity is Severity.ERROR and f.rule != UNSIGNED_RULE
                  and f.network_id == network_id)


def commissioner_name(project: Project, code: str, opts: dict[str, Any]) -> str:
    if opts.get("commissioner_name"):
        return str(opts["commissioner_name"])
    names = project.settings.get("commissioner_names") or {}
    return title_case(str(names.get(code, "")))


def exemption_of(net: Any, opts: dict[str, Any]) -> Exemption | None:
    if not net.exemption:
        return None
    on, by = str(opts.get("exemption_approved_on") or ""), str(opts.get("exemption_approved_by") or "")
    m = _APPROVAL.search(net.exemption_reason or "")
    if m and not on:
        try:
            from datetime import datetime
            on = datetime.strptime(m.group("day"), "%d %B %Y").date().isoformat()
        except ValueError:
            on = ""
    if m and not by:
        by = m.group("by")
    return Exemption(net.exemption, net.exemption_reason, on, by)


def gather(project: Project, network_id: str, map_digest: str | None = None,
           version: str | None = None) -> AgreementData:
    net = project.networks[network_id]
    rules = rule_settings_for(project)
    opts = agreement_settings(project, net.key)
    gaps: list[str] = []
    effective = _date(opts.get("effective_date")) or _year_start(project) or default_effective_date(
        rules.counting_date(project.list_dates()))
    period = document_period(effective) if effective else None
    counting = period.counting_date if period else None
    year = period.year if period else ""
    # Memberships and lists of the document's own date, as `funding --as-at` counts them;
    # the project's counting date is put back however the document ends.
    with project.counted_at(counting):
        if period is None:
            gaps.append("No effective date: the project has no list counts and no effective_date setting")
        funding = funding_summary(project, network_id, year, {str(k): str(v) for k, v in opts["employers"].items()}) \
            if year else FundingSummary("", "")
        funding.roles = [replace(r, employer=_organisation(project, r.employer)) for r in funding.roles]
        if funding.list_date:
            counting = date.fromisoformat(funding.list_date)   # the funding model's own date for the year
        members = _members(project, network_id, counting, funding, gaps)
        director = None
        if net.director is not None and net.director.name.strip():
            d = net.director
            dp = project.practices.get(d.practice_code)
            director = DirectorInfo(d.name, d.practice_code, title_case(dp.name) if dp else "",
                                    d.professional_body, d.registration_number, d.wte,
                                    d.start.isoformat() if d.start else "")
            for value, what in ((director.practice_name, "practice"),
                                (d.professional_body, "professional body"),
                                (d.registration_number, "registration number"),
                                (director.start, "appointment date")):
                if not value:
                    gaps.append(f"Schedule 1: the clinical director's {what} is not recorded")
        payee = project.practices.get(net.nominated_payee)
        # The rules judge the list at the document's counting date, so its DRAFT reasons and its
        # figures count the same patients.
        doc_rules = replace(rules, list_date=counting) if counting else rules
        findings = evaluate(project, doc_rules, scope=[network_id])
        commissioner_code = net.commissioner or _commissioner(project, members)
        name = commissioner_name(project, commissioner_code, opts)
        if not name:
            gaps.append(f"The commissioner's name is not recorded (code {commissioner_code or 'none'}); "
                        "set commissioner_name in the agreement settings")
        if not net.code:
            gaps.append("The network has no ODS code yet")
        exemption = exemption_of(net, opts)
        total = sum(m.list_size for m in members)
        if exemption is not None and total < rules.minimum_list:
            if not exemption.reason:
                gaps.append("Schedule 1: the exemption's reason is not recorded")
            if not exemption.approved_on or not exemption.approved_by:
                gaps.append("Schedule 1: the exemption's approval date and approver are not recorded "
                            "(exemption_approved_on, exemption_approved_by)")
        schedule6 = str(opts.get("schedule6_title") or "")
        texts = {str(k): str(v) for k, v in (opts.get("schedules") or {}).items()}
        if not schedule6:
            gaps.append("Schedule 6: its title in the national Schedules is not recorded "
                        "(schedule6_title in the agreement settings)")
        if not texts.get("6", "").strip():
            gaps.append("Schedule 6: nothing is recorded for it (agreement settings, schedules.6)")
        for line in funding.roles:
            if line.months and not line.employer:
                gaps.append(f"Schedule 5: the employer of the {line.post} post is not recorded")
        gaps += funding.gaps
        if not project.members(network_id):
            gaps.append("The network has no member practices")
        def shown(message: str) -> str:
            # findings name the network as published; the document prints it in title case
            return message.replace(net.name, title_case(net.name)) if net.name else message

        return AgreementData(
            network_id=network_id, network_name=title_case(net.name), network_code=net.code,
            commissioner_code=commissioner_code, commissioner=name,
            national_agreement=str(opts.get("national_agreement") or NATIONAL_AGREEMENT),
            national_version=str(opts.get("national_version") or ""),
            effective_date=effective.isoformat() if effective else "", contract_year=year,
            counting_date=counting.isoformat() if counting else "",
            version=str(version or opts.get("version") or "1"),
            members=members, total_list=total, exemption=exemption, minimum_list=rules.minimum_list,
            director=director, payee_code=net.nominated_payee,
            payee_name=title_case(payee.name) if payee else "",
            agreement_signed=net.agreement_signed.isoformat() if net.agreement_signed else "",
            funding=funding, errors=[shown(m) for m in draft_errors(findings, network_id)],
            gaps=_unique(gaps), schedule6_title=schedule6, schedule_text=texts,
            # of the map as printed: its member practices are those of the document's date
            map_digest=map_digest if map_digest is not None else digest_of_map(project, network_id),
            extra={"unsigned": sorted(shown(f.message) for f in findings if f.rule == UNSIGNED_RULE
                                      and f.network_id == network_id),
                   "later_counts": sorted(m.code for m in members if counting and m.counted
                                          and m.counted > counting.isoformat())})


def _organisation(project: Project, value: str) -> str:
    """An employer recorded as an ODS code is printed with the practice's name."""
    p = project.practices.get(value)
    return f"{title_case(p.name)} ({p.code})" if p and p.name else value


def _members(project: Project, network_id: str, counting: date | None, funding: FundingSummary,
             gaps: list[str]) -> list[MemberRow]:
    rows = []
    for code in sorted(project.members(network_id)):
        p = project.practices.get(code)
        counted = project.list_size_counted(code, counting)
        name = title_case(p.name) if p else ""
        address = ", ".join(title_case(a) for a in (p.address if p else ()) if a)
        if not name:
            gaps.append(f"Practice {code} has no name recorded")
        if not address and not (p and p.postcode):
            gaps.append(f"Practice {code} has no address recorded")
        if counted is None:
            gaps.append(f"Practice {code} has no registered list counted")
        rows.append(MemberRow(code, name, address, p.postcode if p else "",
                              counted[1] if counted else 0,
                              counted[0].isoformat() if counted else ""))
    sizes = [float(m.list_size) for m in rows]
    shares = largest_remainder(10000, sizes)
    pay = largest_remainder(pennies(funding.network_payments), sizes)
    return [replace(m, share_bp=s, payment_pence=c) for m, s, c in zip(rows, shares, pay)]


def _year_start(project: Project) -> date | None:
    """1 April of the project's contract year setting, when it has one: the year the user
    chose is the year its agreements are for."""
    year = str(project.settings.get("contract_year") or "")
    return date(int(year[:4]), 4, 1) if re.fullmatch(r"\d{4}/\d{2}", year) else None


def _date(value: Any) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _commissioner(project: Project, members: list[MemberRow]) -> str:
    codes = sorted({project.practices[m.code].commissioner for m in members
                    if m.code in project.practices and project.practices[m.code].commissioner})
    return ", ".join(codes)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
