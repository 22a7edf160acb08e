"""A network's (and the CCG's) funding for one contract year, computed from the project on demand.

Nothing is cached here: the figures are recomputed from the current memberships, list sizes
and workforce plans each time they are asked for, so an edit (a practice moved, a role added,
an undo) shows at once. Computing a whole CCG is a few dictionary look-ups per practice.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.model import Network, Project
from .arrs import RoleResult, plan_results
from .inputs import NetworkInputs, network_inputs
from .policy import Policy, Stream


@dataclass
class StreamResult:
    key: str
    label: str
    basis: str
    paid_to: str
    units: float | None           # population, beds or 1; None when not entered
    amount: float | None          # None when the figure or the units are unknown
    monthly: dict[int, float]
    stream: Stream

    @property
    def status(self) -> str:
        """'found', 'user', 'not found' (the figure) or 'needs input' (e.g. no beds entered)."""
        if self.stream.figure.value is None:
            return "not found"
        return "needs input" if self.units is None else self.stream.figure.status

    @property
    def figure_id(self) -> str:
        return self.stream.figure.id


@dataclass
class EntitlementResult:
    key: str
    label: str
    units: float | None
    amount: float | None
    reimbursable: float            # claims by the plan that count against it
    stream: Stream

    @property
    def headroom(self) -> float | None:
        """Entitlement left (negative: the plan claims more than the network can be paid)."""
        return None if self.amount is None else round(self.amount - self.reimbursable, 2)

    @property
    def claimable(self) -> float | None:
        return None if self.amount is None else min(self.amount, self.reimbursable)


@dataclass
class NetworkFunding:
    network_id: str
    key: str
    name: str
    year: str
    scenario: str
    inputs: NetworkInputs
    streams: list[StreamResult]
    entitlements: list[EntitlementResult]
    roles: list[RoleResult]
    director_funded_wte: float | None = None
    director_wte: float | None = None

    def stream(self, key: str) -> StreamResult | None:
        return next((s for s in self.streams if s.key == key), None)

    @property
    def network_payments(self) -> float:
        """Known payments to the network (not the practices' participation payments)."""
        return round(sum(s.amount for s in self.streams if s.paid_to == "network" and s.amount is not None), 2)

    @property
    def practice_payments(self) -> float:
        return round(sum(s.amount for s in self.streams if s.paid_to == "practices" and s.amount is not None), 2)

    @property
    def entitlement(self) -> float | None:
        amounts = [e.amount for e in self.entitlements]
        return None if not amounts or None in amounts else round(sum(a for a in amounts if a is not None), 2)

    @property
    def plan_cost(self) -> float:
        return round(sum(r.cost for r in self.roles), 2)

    @property
    def reimbursable(self) -> float:
        return round(sum(r.reimbursable for r in self.roles), 2)

    @property
    def headroom(self) -> float | None:
        ent = self.entitlement
        return None if ent is None else round(ent - self.reimbursable, 2)

    @property
    def claimable(self) -> float | None:
        """ARRS money the network can actually be paid: each entitlement's claims, capped by it."""
        parts = [e.claimable for e in self.entitlements]
        return None if not parts or None in parts else round(sum(p for p in parts if p is not None), 2)

    @property
    def complete(self) -> bool:
        """False when some figure is unknown or an input is missing."""
        return (all(s.amount is not None for s in self.streams) and self.entitlement is not None
                and not any(r.unknown_cap_months or r.problem for r in self.roles))

    def monthly_payments(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for s in self.streams:
            if s.paid_to == "network":
                for m, v in s.monthly.items():
                    out[m] = out.get(m, 0.0) + v
        return out

    def monthly_reimbursable(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for r in self.roles:
            for m, v in r.monthly_reimbursable.items():
                out[m] = out.get(m, 0.0) + v
        return out

    def monthly_cost(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for r in self.roles:
            for m, v in r.monthly_cost.items():
                out[m] = out.get(m, 0.0) + v
        return out


@dataclass
class CcgFunding:
    year: str
    scenario: str
    networks: list[NetworkFunding] = field(default_factory=list)

    def stream_keys(self) -> list[tuple[str, str]]:
        """(key, label) of every stream, in policy order."""
        seen: dict[str, str] = {}
        for n in self.networks:
            for s in n.streams:
                seen.setdefault(s.key, s.label)
        return list(seen.items())

    def stream_total(self, key: str) -> float | None:
        amounts = [s.amount for n in self.networks for s in n.streams if s.key == key]
        return None if not amounts or None in amounts else round(sum(a for a in amounts if a is not None), 2)

    def _total(self, values: list[float | None]) -> float | None:
        return None if None in values else round(sum(v for v in values if v is not None), 2)

    @property
    def registered(self) -> int:
        return sum(n.inputs.registered for n in self.networks)

    @property
    def network_payments(self) -> float:
        return round(sum(n.network_payments for n in self.networks), 2)

    @property
    def practice_payments(self) -> float:
        return round(sum(n.practice_payments for n in self.networks), 2)

    @property
    def entitlement(self) -> float | None:
        return self._total([n.entitlement for n in self.networks])

    @property
    def plan_cost(self) -> float:
        return round(sum(n.plan_cost for n in self.networks), 2)

    @property
    def reimbursable(self) -> float:
        return round(sum(n.reimbursable for n in self.networks), 2)

    @property
    def headroom(self) -> float | None:
        return self._total([n.headroom for n in self.networks])

    @property
    def claimable(self) -> float | None:
        return self._total([n.claimable for n in self.networks])


def _pennies(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def stream_result(stream: Stream, inputs: NetworkInputs) -> StreamResult:
    units = inputs.units(stream.basis)
    rate = stream.monthly_rate()
    amount = None if units is None else stream.amount(units)
    amount = None if amount is None else round(amount, 2)
    monthly = {} if units is None or rate is None else {
        m: rate * units for m in range(stream.first, stream.last + 1)}
    return StreamResult(stream.key, stream.label, stream.basis, stream.paid_to, units, amount, monthly, stream)


def network_funding(project: Project, network_id: str, policy: Policy, scenario: str = "",
                    director_wte_per_50000: float | None = None) -> NetworkFunding:
    """One network's payments, ARRS entitlement and plan for the policy's year, in the project
    scenario ``scenario`` ("" for the active one).

    ``director_wte_per_50000`` comes from the rule settings (the same figure the
    director-wte-low rule checks) so that the funded time is stated in one place.
    """
    project = project.scenario(scenario) if scenario else project
    scenario = project.scenario_name
    net: Network = project.networks[network_id]
    inputs = network_inputs(project, network_id, policy)
    streams = [stream_result(s, inputs) for s in policy.streams.values()]
    roles = plan_results(project.workforce.get(network_id, []), policy)
    entitlements = []
    for ent in policy.entitlements.values():
        units = inputs.units(ent.basis)
        claims = sum(r.reimbursable for r in roles if r.entitlement == ent.key)
        entitlements.append(EntitlementResult(ent.key, ent.label, units,
                                              _pennies(None if units is None else ent.amount(units)),
                                              round(claims, 2), ent))
    funded = None
    if director_wte_per_50000 is not None:
        funded = round(director_wte_per_50000 * inputs.registered / 50000, 3)
    return NetworkFunding(network_id, net.key, net.name, policy.year, scenario, inputs, streams,
                          entitlements, roles, funded, net.director.wte if net.director else None)


def ccg_funding(project: Project, policy: Policy, scenario: str = "",
                director_wte_per_50000: float | None = None) -> CcgFunding:
    """Every network's funding, in the order networks are listed, and the CCG totals, in the
    project scenario ``scenario`` ("" for the active one)."""
    project = project.scenario(scenario) if scenario else project
    scenario = project.scenario_name
    return CcgFunding(policy.year, scenario, [
        network_funding(project, n.id, policy, scenario, director_wte_per_50000)
        for n in project.sorted_networks()])
