"""The Additional Roles Reimbursement Scheme: what each planned role can claim, month by month.

For each month a role is in post within the contract year::

    cost        = annual cost per WTE x WTE / 12
    reimbursable = min(cost x the role's reimbursement rate, maximum per WTE x WTE / 12)

The published maximum is already the reimbursed share (2019/20's £37,810 is 70% of a
pharmacist), so the cap is not multiplied by the rate again. A month when the role is not
eligible reimburses nothing; a month whose maximum is not known reimburses cost x rate,
uncapped, and says so (the user sets the figure in Funding settings).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.model import PlannedRole
from .months import parse_month
from .policy import Policy, RolePolicy


@dataclass
class RoleResult:
    index: int                    # position in the network's plan list (for edits)
    planned: PlannedRole
    role_key: str                 # "" when the role is not in this year's policy
    label: str
    rate: float | None
    entitlement: str              # key of the entitlement it counts against ("" if none)
    monthly_cost: dict[int, float] = field(default_factory=dict)
    monthly_reimbursable: dict[int, float] = field(default_factory=dict)
    ineligible_months: list[int] = field(default_factory=list)
    unknown_cap_months: list[int] = field(default_factory=list)
    capped_months: list[int] = field(default_factory=list)
    problem: str = ""             # a line that cannot be computed (bad dates)

    @property
    def months(self) -> int:
        return len(self.monthly_cost)

    @property
    def cost(self) -> float:
        return round(sum(self.monthly_cost.values()), 2)

    @property
    def reimbursable(self) -> float:
        return round(sum(self.monthly_reimbursable.values()), 2)

    @property
    def unfunded(self) -> float:
        """What the network pays itself: cost less what the scheme reimburses."""
        return round(self.cost - self.reimbursable, 2)


def plan_months(planned: PlannedRole, policy: Policy) -> list[int]:
    """The months of the contract year the role is in post (ValueError for bad dates)."""
    start, end = parse_month(planned.start), parse_month(planned.end)
    if end < start:
        raise ValueError(f"ends ({planned.end}) before it starts ({planned.start})")
    return [m for m in policy.months if start <= m <= end]


def role_result(index: int, planned: PlannedRole, policy: Policy) -> RoleResult:
    rp: RolePolicy | None = policy.role(planned.role)
    ent = policy.entitlement_for(rp.key) if rp else None
    result = RoleResult(index, planned, rp.key if rp else "", rp.label if rp else planned.role,
                        rp.rate.value if rp else None, ent.key if ent else "")
    try:
        months = plan_months(planned, policy)
    except ValueError as exc:
        result.problem = str(exc)
        return result
    if planned.wte < 0 or planned.annual_cost < 0:
        result.problem = "WTE and annual cost cannot be negative"
        return result
    cost = planned.annual_cost * planned.wte / 12
    for m in months:
        result.monthly_cost[m] = cost
        if rp is None or m < rp.eligible_from or ent is None:
            result.ineligible_months.append(m)
            result.monthly_reimbursable[m] = 0.0
            continue
        claim = cost * (rp.rate.value if rp.rate.value is not None else 0.0)
        if rp.rate.value is None:
            result.unknown_cap_months.append(m)
        cap_fig = rp.maximum_at(m)
        if cap_fig is None or cap_fig.value is None:
            result.unknown_cap_months.append(m)
            result.monthly_reimbursable[m] = claim
            continue
        cap = cap_fig.value * planned.wte / 12
        if claim > cap:
            result.capped_months.append(m)
        result.monthly_reimbursable[m] = min(claim, cap)
    result.unknown_cap_months = sorted(set(result.unknown_cap_months))
    return result


def plan_results(plan: list[PlannedRole], policy: Policy) -> list[RoleResult]:
    """Results for every line of a network's plan, keeping list indexes."""
    return [role_result(i, p, policy) for i, p in enumerate(plan)]
