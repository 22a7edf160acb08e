"""A network's workforce plan and funding compared across the project's scenarios.

Scenarios are the project's (``domain/scenarios.py``): a what-if plan is a scenario whose
network carries a different plan. This module lines them up for one network.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import Project
from .model import NetworkFunding, network_funding
from .policy import Policy


@dataclass(frozen=True)
class ScenarioRow:
    scenario: str
    roles: int
    wte: float
    plan_cost: float
    reimbursable: float
    entitlement: float | None
    headroom: float | None
    unfunded: float               # cost the network pays itself

    @property
    def title(self) -> str:
        return self.scenario


def scenario_names(project: Project, network_id: str) -> list[str]:
    """The project's scenarios that hold this network, in the project's order."""
    return [n for n in project.scenario_names() if network_id in project.scenario(n).networks]


def scenario_row(funding: NetworkFunding) -> ScenarioRow:
    return ScenarioRow(funding.scenario, len(funding.roles),
                       round(sum(r.planned.wte for r in funding.roles), 3),
                       funding.plan_cost, funding.reimbursable, funding.entitlement, funding.headroom,
                       round(funding.plan_cost - funding.reimbursable, 2))


def compare_scenarios(project: Project, network_id: str, policy: Policy,
                      scenarios: list[str] | None = None) -> list[ScenarioRow]:
    """One row per scenario (default: every scenario holding the network) for the policy's year."""
    wanted = scenario_names(project, network_id) if scenarios is None else scenarios
    return [scenario_row(network_funding(project, network_id, policy, s)) for s in wanted]
