"""What-if copies of a network's workforce plan, compared side by side with the plan itself.

A scenario is a set of plan lines with ``PlannedRole.scenario`` = its name ("" is the plan).
``CopyPlanToScenario`` (funding.commands) makes one; this module compares them.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import Project
from .model import NetworkFunding, network_funding
from .policy import Policy


@dataclass(frozen=True)
class ScenarioRow:
    scenario: str                 # "" = the plan
    roles: int
    wte: float
    plan_cost: float
    reimbursable: float
    entitlement: float | None
    headroom: float | None
    unfunded: float               # cost the network pays itself

    @property
    def title(self) -> str:
        return self.scenario or "Plan"


def scenario_names(project: Project, network_id: str) -> list[str]:
    """The plan ("") first, then the what-if scenarios by name."""
    names = {p.scenario for p in project.workforce.get(network_id, [])}
    return [""] + sorted(n for n in names if n)


def scenario_row(funding: NetworkFunding) -> ScenarioRow:
    return ScenarioRow(funding.scenario, len(funding.roles),
                       round(sum(r.planned.wte for r in funding.roles), 3),
                       funding.plan_cost, funding.reimbursable, funding.entitlement, funding.headroom,
                       round(funding.plan_cost - funding.reimbursable, 2))


def compare_scenarios(project: Project, network_id: str, policy: Policy,
                      scenarios: list[str] | None = None) -> list[ScenarioRow]:
    """One row per scenario (default: the plan and every what-if copy) for the policy's year."""
    wanted = scenario_names(project, network_id) if scenarios is None else scenarios
    return [scenario_row(network_funding(project, network_id, policy, s)) for s in wanted]
