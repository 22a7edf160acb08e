"""The rules engine: every registration rule is a small function registered once by id.

The window, the command line, the agreement's DRAFT mark and the proposals all call
``evaluate``; none of them re-implements a rule.
"""
from __future__ import annotations

import importlib

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from ..findings import Finding, Severity, sort_findings
from ..model import Network, Project
from ..settings import RuleSettings


@dataclass(frozen=True)
class Context:
    """What a rule may read besides the project: thresholds, the counting date, and the
    networks in scope (None = all) so that one move re-checks only what it touched.

    ``memo`` lives for one evaluation (one refresh): rules keep there what every rule of a
    refresh can share and must not re-read per rule, such as the funding policy tables, whose
    files are checked for changes once per refresh rather than once per rule."""

    settings: RuleSettings
    list_date: date | None
    scope: frozenset[str] | None = None
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def networks(self, project: Project) -> Iterator[Network]:
        if self.scope is None:
            yield from project.networks.values()
        else:
            for nid in self.scope:
                if nid in project.networks:
                    yield project.networks[nid]


RuleFunction = Callable[[Project, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    per_network: bool              # False: the rule looks at the whole project each time
    check: RuleFunction
    title: str

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, per_network: bool = True) -> Callable[[RuleFunction], RuleFunction]:
    def register(fn: RuleFunction) -> RuleFunction:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        title = (fn.__doc__ or rule_id).strip().splitlines()[0]
        RULES[rule_id] = Rule(rule_id, severity, per_network, fn, title)
        return fn
    return register


def context_for(project: Project, settings: RuleSettings, scope: Iterable[str] | None = None) -> Context:
    at = settings.counting_date(project.list_dates())
    project.count_at(at)          # members and lists of one date (a no-op when already there)
    return Context(settings, at, None if scope is None else frozenset(scope))


def evaluate(project: Project, settings: RuleSettings, scope: Iterable[str] | None = None,
             rules: Iterable[str] | None = None) -> list[Finding]:
    """Run the rules (all, or those named) over the networks in scope (all when None)."""
    _load_builtin_rules()
    ctx = context_for(project, settings, scope)
    wanted = RULES.values() if rules is None else [RULES[r] for r in rules]
    found: list[Finding] = []
    for r in wanted:
        found.extend(r.check(project, ctx))
    return sort_findings(found)


class FindingsCache:
    """Findings kept per network so that an edit re-runs only the networks it touched.

    Project-wide rules (coverage, double membership) are cheap over indexes and always rerun.
    """

    def __init__(self, project: Project, settings: RuleSettings) -> None:
        self.project = project
        self.settings = settings
        self._per_network: dict[str, list[Finding]] = {}
        self._global: list[Finding] = []
        self._sorted: list[Finding] | None = None
        self.refresh()

    def refresh(self, touched: Iterable[str] | None = None) -> list[Finding]:
        _load_builtin_rules()
        local = [r for r in RULES.values() if r.per_network]
        global_rules = [r for r in RULES.values() if not r.per_network]
        if touched is None:
            self._per_network.clear()
            scope = set(self.project.networks)
        else:
            scope = set(touched)
        for nid in scope:
            self._per_network.pop(nid, None)
        for gone in [n for n in self._per_network if n not in self.project.networks]:
            del self._per_network[gone]
        ctx = context_for(self.project, self.settings, scope)
        for r in local:
            for f in r.check(self.project, ctx):
                self._per_network.setdefault(f.network_id, []).append(f)
        for nid in scope:
            self._per_network.setdefault(nid, [])
        full = replace(ctx, scope=None)        # same counting date and memo, whole project
        self._global = [f for r in global_rules for f in r.check(self.project, full)]
        self._sorted = None
        return self.findings()

    def findings(self) -> list[Finding]:
        # Sorted once per refresh: views ask repeatedly, and England has thousands of findings.
        if self._sorted is None:
            self._sorted = sort_findings([f for fs in self._per_network.values() for f in fs] + self._global)
        return self._sorted

    def for_network(self, network_id: str) -> list[Finding]:
        mine = list(self._per_network.get(network_id, []))
        return sort_findings(mine + [f for f in self._global if f.network_id == network_id])


# Modules whose import registers rules. Named, not imported, here: geography and funding
# rules live in their own layers and the domain must not import them.
RULE_MODULES: list[str] = [
    "pcn_desktop.domain.rules.registration",
    "pcn_desktop.domain.rules.counting",
    "pcn_desktop.geo.rules",
    "pcn_desktop.funding.rules",
]


def _load_builtin_rules() -> None:
    for name in RULE_MODULES:
        importlib.import_module(name)
