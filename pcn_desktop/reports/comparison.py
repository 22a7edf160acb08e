"""Two scenarios side by side: the practices that moved, each network's size before and after,
the findings that appear and disappear, and funding by network before and after.

Networks keep their ids when a scenario is copied, so a network is followed from one scenario
to the other by id; a practice has moved when the set of networks it belongs to differs.
Findings are matched on what they are about (rule, severity, network, practice, area), not on
their wording, so a network whose size changed but stays under the floor is not reported as
a finding that disappeared and another that appeared.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.findings import Finding
from ..domain.model import Project
from ..domain.rules import evaluate
from ..settings import rule_settings_for


@dataclass(frozen=True)
class Move:
    practice: str
    name: str
    source: str                  # the network's key in A ("" for none)
    target: str                  # the network's key in B ("" for none)
    list_size: int

    def as_json(self) -> dict[str, Any]:
        return {"practice": self.practice, "from": self.source, "to": self.target, "list_size": self.list_size}


@dataclass(frozen=True)
class NetworkChange:
    network_id: str
    network: str                 # key in B, else in A
    name: str
    before: int | None           # list size in A; None when A has no such network
    after: int | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def as_json(self) -> dict[str, Any]:
        return {"network": self.network, "name": self.name, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class FundingChange:
    network: str
    before: float | None         # payments to the network and its practices for the year
    after: float | None
    arrs_before: float | None    # ARRS entitlement
    arrs_after: float | None

    def as_json(self) -> dict[str, Any]:
        return {"network": self.network, "before": self.before, "after": self.after,
                "arrs_before": self.arrs_before, "arrs_after": self.arrs_after}


@dataclass
class Comparison:
    a: str
    b: str
    list_date: date | None
    moves: list[Move]
    networks: list[NetworkChange]
    added: list[Finding]
    removed: list[Finding]
    funding_year: str = ""
    funding: list[FundingChange] = field(default_factory=list)
    funding_problem: str = ""                  # why funding could not be computed, if it could not

    @property
    def patients_moved(self) -> int:
        return sum(m.list_size for m in self.moves)

    def funding_total(self) -> FundingChange:
        def total(attr: str) -> float | None:
            values = [getattr(f, attr) for f in self.funding if getattr(f, attr) is not None]
            return round(sum(values), 2) if values else None
        return FundingChange("total", total("before"), total("after"), total("arrs_before"), total("arrs_after"))

    def as_json(self) -> dict[str, Any]:
        funding: dict[str, Any] = {"year": self.funding_year,
                                   "networks": [f.as_json() for f in self.funding]}
        if self.funding:
            total = self.funding_total().as_json()
            total.pop("network")
            funding["total"] = total
        if self.funding_problem:
            funding["problem"] = self.funding_problem
        return {"a": self.a, "b": self.b, "list_date": self.list_date.isoformat() if self.list_date else None,
                "moves": [m.as_json() for m in self.moves],
                "networks": [n.as_json() for n in self.networks],
                "findings": {"added": [f.as_json() for f in self.added],
                             "removed": [f.as_json() for f in self.removed]},
                "funding": funding}


def _finding_key(f: Finding) -> tuple[str, str, str, str, str]:
    return (f.rule, f.severity.value, f.network_id or f.network, f.practice, f.area)


def compare_scenarios(project: Project, a: str, b: str, *, with_funding: bool = True) -> Comparison:
    """Scenario ``b`` against scenario ``a`` of ``project`` (UnknownScenario for a bad name)."""
    pa, pb = project.scenario(a), project.scenario(b)
    settings = rule_settings_for(project)
    at = settings.counting_date(project.list_dates())
    moves = []
    for code in sorted(project.practices):
        before, after = set(pa.networks_of(code)), set(pb.networks_of(code))
        if before == after:
            continue
        moves.append(Move(code, project.practices[code].name,
                          ", ".join(sorted(pa.networks[n].key for n in before)),
                          ", ".join(sorted(pb.networks[n].key for n in after)),
                          project.list_size(code, at)))
    networks = []
    for nid in list(pb.networks) + [n for n in pa.networks if n not in pb.networks]:
        net = pb.networks.get(nid) or pa.networks[nid]
        networks.append(NetworkChange(
            nid, net.key, net.name,
            pa.network_list_size(nid, at) if nid in pa.networks else None,
            pb.network_list_size(nid, at) if nid in pb.networks else None))
    networks.sort(key=lambda n: (n.name.lower(), n.network))
    found_a, found_b = evaluate(pa, settings), evaluate(pb, settings)
    keys_a, keys_b = {_finding_key(f) for f in found_a}, {_finding_key(f) for f in found_b}
    comparison = Comparison(pa.scenario_name, pb.scenario_name, at, moves, networks,
                            [f for f in found_b if _finding_key(f) not in keys_a],
                            [f for f in found_a if _finding_key(f) not in keys_b])
    if with_funding:
        _add_funding(comparison, pa, pb)
    return comparison


def _add_funding(comparison: Comparison, pa: Project, pb: Project) -> None:
    from ..funding.model import ccg_funding  # noqa: PLC0415 — policy tables load only when asked
    from ..funding.policy import PolicyError  # noqa: PLC0415
    from ..funding.policy_store import policy_for, project_year  # noqa: PLC0415

    try:
        policy = policy_for(project_year(pa.settings))
    except PolicyError as exc:
        comparison.funding_problem = str(exc)
        return
    comparison.funding_year = policy.year
    fa = {n.network_id: n for n in ccg_funding(pa, policy).networks}
    fb = {n.network_id: n for n in ccg_funding(pb, policy).networks}
    for change in comparison.networks:
        x, y = fa.get(change.network_id), fb.get(change.network_id)
        comparison.funding.append(FundingChange(
            change.network,
            _payments(x), _payments(y),
            None if x is None or x.entitlement is None else round(x.entitlement, 2),
            None if y is None or y.entitlement is None else round(y.entitlement, 2)))


def _payments(f: Any) -> float | None:
    return None if f is None else round(f.network_payments + f.practice_payments, 2)
