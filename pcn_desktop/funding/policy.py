"""One contract year's funding policy, read from a TOML table through one validated schema.

Every money figure is a ``Figure`` with its source and the confidence the sources give it
(high, medium, low; ../shared/domain/policy-figures.md). A figure the sources do not give has
no value and the status "not found". A low-confidence figure is never used as it stands: its
status is "unconfirmed", its figure a ``candidate`` shown beside it, and it counts as unknown
until the user sets it (status "user") in an overrides file; never a guess in code. A
malformed file is refused with a message naming the file and field.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .months import format_month, month_range, parse_month

BASES = ("registered", "weighted", "adjusted", "beds", "fixed")
PERS = ("year", "month", "period")
PAYEES = ("network", "practices")
STATUSES = ("found", "not found", "unconfirmed")
CONFIDENCES = ("high", "medium", "low")
SCHEMA = 1

_TOP_KEYS = {"schema", "year", "first_month", "list_date", "list_date_source", "streams", "arrs"}
_STREAM_KEYS = {"label", "basis", "value", "per", "from", "to", "paid_to", "source", "note", "status",
                "confidence", "candidate"}
_ENTITLEMENT_KEYS = _STREAM_KEYS | {"roles", "double_from"}
_ARRS_KEYS = {"rate", "rate_source", "rate_confidence", "note", "entitlements", "roles"}
_ROLE_KEYS = {"label", "aliases", "from", "rate", "maximum", "note"}
_FIGURE_KEYS = {"value", "status", "source", "note", "from", "confidence", "candidate"}
_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class PolicyError(ValueError):
    """A policy or overrides file that cannot be used; the message names the file and field."""


@dataclass(frozen=True)
class Figure:
    id: str                      # stable name for overrides, e.g. "streams.core", "arrs.roles.gp.maximum@2024-10"
    value: float | None
    status: str                  # "found", "not found", "unconfirmed" or "user"
    source: str = ""
    note: str = ""
    confidence: str = ""         # high | medium | low, as the sources give it ("" for a user value)
    candidate: float | None = None   # an unconfirmed figure's published value, not used until set

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Stream:
    """A payment (or an ARRS entitlement): value x units, for the months it is paid."""

    key: str
    label: str
    basis: str
    per: str
    first: int                   # first month paid
    last: int                    # last month paid (inclusive)
    paid_to: str
    figure: Figure
    roles: tuple[str, ...] = ()  # entitlements only: ring-fenced to these role keys
    double_from: int | None = None   # entitlements only: a network list at or above this gets it twice

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    def monthly_rate(self) -> float | None:
        """The amount per unit for each month paid."""
        v = self.figure.value
        if v is None:
            return None
        return {"year": v / 12, "month": v, "period": v / self.months}[self.per]

    def amount(self, units: float) -> float | None:
        """Value x units over the months paid (an annual rate pro rata by months)."""
        v = self.figure.value
        if v is None:
            return None
        return {"year": v * units * self.months / 12, "month": v * units * self.months,
                "period": v * units}[self.per]


@dataclass(frozen=True)
class RolePolicy:
    key: str
    label: str
    eligible_from: int
    rate: Figure
    maxima: tuple[tuple[int, Figure], ...]   # (from month, maximum per WTE per year), ascending
    aliases: tuple[str, ...] = ()
    note: str = ""

    def maximum_at(self, month: int) -> Figure | None:
        """The maximum in force in ``month`` (None before the role is eligible)."""
        current = None
        for start, fig in self.maxima:
            if start <= month:
                current = fig
        return current


@dataclass(frozen=True)
class Policy:
    year: str
    first_month: int
    list_date: date
    streams: dict[str, Stream]
    entitlements: dict[str, Stream]
    roles: dict[str, RolePolicy]
    path: str = ""
    arrs_note: str = ""
    list_date_source: str = ""
    figures: dict[str, Figure] = field(default_factory=dict)

    @property
    def last_month(self) -> int:
        return self.first_month + 11

    @property
    def months(self) -> range:
        return month_range(self.first_month, self.last_month)

    def role(self, name: str) -> RolePolicy | None:
        """A role by key, label or alias (case, spacing and punctuation ignored)."""
        wanted = role_key(name)
        if wanted in self.roles:
            return self.roles[wanted]
        for r in self.roles.values():
            if wanted == role_key(r.label) or wanted in (role_key(a) for a in r.aliases):
                return r
        return None

    def entitlement_for(self, role: str) -> Stream | None:
        """The entitlement a role's claims count against: a ring-fenced one naming it, else the general one."""
        for ent in self.entitlements.values():
            if role in ent.roles:
                return ent
        for ent in self.entitlements.values():
            if not ent.roles:
                return ent
        return None


def role_key(name: str) -> str:
    """'Social Prescribing Link-Worker' -> 'social_prescribing_link_worker'."""
    text = re.sub(r"[^a-z0-9]+", "_", str(name).casefold().replace("&", " and "))
    return text.strip("_")


def year_first_month(year: str) -> int:
    m = _YEAR.match(year)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"{year!r} is not a contract year like 2019/20")
    return parse_month(f"{m.group(1)}-04")


def parse_policy(data: Mapping[str, Any], origin: str,
                 overrides: Mapping[str, Any] | None = None) -> Policy:
    """Validate a parsed policy table; ``overrides`` maps figure ids to user values."""
    p = _Parser(origin, dict(overrides or {}))
    return p.policy(data)


class _Parser:
    def __init__(self, origin: str, overrides: dict[str, Any]) -> None:
        self.origin = origin
        self.overrides = overrides
        self.figures: dict[str, Figure] = {}

    def fail(self, where: str, problem: str) -> PolicyError:
        return PolicyError(f"{self.origin}: {where}: {problem}")

    def check_keys(self, table: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
        if not isinstance(table, Mapping):
            raise self.fail(where, "expected a table")
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}" if where else unknown[0],
                            "unknown field (allowed: " + ", ".join(sorted(allowed)) + ")")
        return table

    def text(self, table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if value is None:
            raise self.fail(f"{where}.{key}" if where else key, "missing")
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}" if where else key, f"expected text, found {value!r}")
        return value

    def month(self, table: Mapping[str, Any], key: str, where: str, default: int) -> int:
        if key not in table:
            return default
        try:
            month = parse_month(table[key])
        except ValueError as exc:
            raise self.fail(f"{where}.{key}", str(exc)) from None
        if not self.first <= month <= self.first + 11:
            raise self.fail(f"{where}.{key}", f"{table[key]} is outside the contract year {self.year}")
        return month

    def choice(self, table: Mapping[str, Any], key: str, where: str, options: tuple[str, ...],
               default: str | None = None) -> str:
        value = self.text(table, key, where, default)
        if value not in options:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of " + ", ".join(options))
        return value

    def figure(self, fid: str, table: Mapping[str, Any], where: str) -> Figure:
        status = table.get("status", "found" if "value" in table else None)
        if status is None:
            raise self.fail(f"{where}.value", 'missing; if no source gives it, write status = "not found"')
        if status not in STATUSES:
            raise self.fail(f"{where}.status", f"{status!r} is not one of " + ", ".join(STATUSES))
        value = table.get("value")
        if status in ("not found", "unconfirmed") and value is not None:
            raise self.fail(f"{where}.value", f'a figure marked "{status}" cannot have a value'
                            + (" (give it as candidate)" if status == "unconfirmed" else ""))
        confidence = table.get("confidence", "")
        if confidence and confidence not in CONFIDENCES:
            raise self.fail(f"{where}.confidence", f"{confidence!r} is not one of " + ", ".join(CONFIDENCES))
        if confidence == "low" and status != "unconfirmed":
            raise self.fail(f"{where}.status", 'a low-confidence figure is status = "unconfirmed", '
                                               "with its figure as candidate")
        candidate = table.get("candidate")
        if status == "unconfirmed":
            if candidate is None or isinstance(candidate, bool) or not isinstance(candidate, (int, float)):
                raise self.fail(f"{where}.candidate", "an unconfirmed figure gives the candidate number")
            if not str(table.get("source", "")).strip():
                raise self.fail(f"{where}.source", "every figure names its source")
        elif candidate is not None:
            raise self.fail(f"{where}.candidate", 'only an "unconfirmed" figure has a candidate')
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise self.fail(f"{where}.value", f"expected a number of 0 or more, found {value!r}")
        source, note = str(table.get("source", "")), str(table.get("note", ""))
        if value is not None and not source.strip():
            raise self.fail(f"{where}.source", "every figure names its source")
        if status == "unconfirmed":
            note = (f"unconfirmed (low confidence): {float(candidate):g} from {source}; set it in "
                    "Funding settings to use it" + (f". {note}" if note else ""))
        fig = Figure(fid, None if value is None else float(value), status, source, note, str(confidence),
                     None if candidate is None else float(candidate))
        if fid in self.overrides:
            fig = self.user_figure(fig, self.overrides.pop(fid))
        self.figures[fid] = fig
        return fig

    def user_figure(self, fig: Figure, value: Any) -> Figure:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise PolicyError(f"user overrides for {self.year}: {fig.id}: expected a number of 0 or more, "
                              f"found {value!r}")
        was = (f"unconfirmed, candidate {fig.candidate:g} ({fig.source})" if fig.status == "unconfirmed"
               else "not found" if fig.value is None else f"{fig.value:g} ({fig.source})")
        return Figure(fig.id, float(value), "user", "user setting", f"published figure: {was}")

    def policy(self, data: Mapping[str, Any]) -> Policy:
        self.check_keys(data, _TOP_KEYS, "")
        if data.get("schema", SCHEMA) != SCHEMA:
            raise self.fail("schema", f"expected {SCHEMA}, found {data.get('schema')!r}")
        self.year = self.text(data, "year", "")
        try:
            self.first = year_first_month(self.year)
        except ValueError as exc:
            raise self.fail("year", str(exc)) from None
        if "first_month" in data and self.month(data, "first_month", "", self.first) != self.first:
            raise self.fail("first_month", f"the {self.year} contract year starts {format_month(self.first)}")
        try:
            list_date = data["list_date"]
            list_date = list_date if isinstance(list_date, date) else date.fromisoformat(str(list_date))
        except KeyError:
            raise self.fail("list_date", "missing (the date populations are counted at)") from None
        except ValueError:
            raise self.fail("list_date", f"{data['list_date']!r} is not a date YYYY-MM-DD") from None
        streams = {k: self.stream(k, v, f"streams.{k}", _STREAM_KEYS)
                   for k, v in self.check_keys(data.get("streams", {}), set(data.get("streams", {})), "streams").items()}
        arrs = self.check_keys(data.get("arrs", {}), _ARRS_KEYS, "arrs")
        default_rate = self.figure("arrs.rate", {"value": arrs.get("rate", 1.0),
                                                 "source": arrs.get("rate_source", "policy file default"),
                                                 **({"confidence": arrs["rate_confidence"]}
                                                    if "rate_confidence" in arrs else {})}, "arrs.rate")
        if default_rate.value is not None and default_rate.value > 1:
            raise self.fail("arrs.rate", "a reimbursement rate is a share from 0 to 1")
        entitlements = {k: self.stream(k, v, f"arrs.entitlements.{k}", _ENTITLEMENT_KEYS)
                        for k, v in self.check_keys(arrs.get("entitlements", {}),
                                                    set(arrs.get("entitlements", {})), "arrs.entitlements").items()}
        roles = {k: self.role(k, v, default_rate)
                 for k, v in self.check_keys(arrs.get("roles", {}), set(arrs.get("roles", {})), "arrs.roles").items()}
        for ent in entitlements.values():
            for r in ent.roles:
                if r not in roles:
                    raise self.fail(f"arrs.entitlements.{ent.key}.roles", f"{r!r} is not a role in arrs.roles")
        if self.overrides:
            raise PolicyError(f"user overrides for {self.year}: {sorted(self.overrides)[0]}: "
                              "no such figure in the policy")
        return Policy(self.year, self.first, list_date, streams, entitlements, roles, self.origin,
                      str(arrs.get("note", "")), str(data.get("list_date_source", "")), dict(self.figures))

    def stream(self, key: str, table: Any, where: str, allowed: set[str]) -> Stream:
        self.check_keys(table, allowed, where)
        basis = self.choice(table, "basis", where, BASES)
        per = self.choice(table, "per", where, PERS, "year")
        first = self.month(table, "from", where, self.first)
        last = self.month(table, "to", where, self.first + 11)
        if last < first:
            raise self.fail(f"{where}.to", "ends before it starts")
        roles = table.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise self.fail(f"{where}.roles", "expected a list of role keys")
        double = table.get("double_from")
        if double is not None and (isinstance(double, bool) or not isinstance(double, int) or double <= 0):
            raise self.fail(f"{where}.double_from", f"expected a list size, found {double!r}")
        return Stream(key, self.text(table, "label", where, key.replace("_", " ").capitalize()), basis, per,
                      first, last, self.choice(table, "paid_to", where, PAYEES, "network"),
                      self.figure(where, table, where), tuple(roles), double)

    def role(self, key: str, table: Any, default_rate: Figure) -> RolePolicy:
        where = f"arrs.roles.{key}"
        self.check_keys(table, _ROLE_KEYS, where)
        if role_key(key) != key:
            raise self.fail(where, f"a role key is lower case with underscores, e.g. {role_key(key)!r}")
        start = self.month(table, "from", where, self.first)
        rate = default_rate
        if "rate" in table:
            self.check_keys(table["rate"], _FIGURE_KEYS - {"from"}, f"{where}.rate")
            rate = self.figure(f"{where}.rate", table["rate"], f"{where}.rate")
            if rate.value is not None and rate.value > 1:
                raise self.fail(f"{where}.rate.value", "a reimbursement rate is a share from 0 to 1")
        raw = table.get("maximum")
        if raw is None:
            raise self.fail(f"{where}.maximum", 'missing; if no source gives it, write maximum = { status = "not found" }')
        items = raw if isinstance(raw, list) else [raw]
        maxima: list[tuple[int, Figure]] = []
        for i, item in enumerate(items):
            at = f"{where}.maximum" + (f"[{i}]" if isinstance(raw, list) else "")
            self.check_keys(item, _FIGURE_KEYS, at)
            since = self.month(item, "from", at, start)
            if maxima and since <= maxima[-1][0]:
                raise self.fail(f"{at}.from", "maxima must be listed in date order")
            maxima.append((since, self.figure(f"{where}.maximum@{format_month(since)}", item, at)))
        if maxima[0][0] > start:
            raise self.fail(f"{where}.maximum", f"no maximum for {format_month(start)}, when the role becomes eligible")
        aliases = table.get("aliases", [])
        if not isinstance(aliases, list):
            raise self.fail(f"{where}.aliases", "expected a list of names")
        return RolePolicy(key, self.text(table, "label", where, key.replace("_", " ").capitalize()), start, rate,
                          tuple(maxima), tuple(str(a) for a in aliases), str(table.get("note", "")))
