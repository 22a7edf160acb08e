"""Funding rules: what the workforce plan of each network gets wrong for the contract year.

The year is the project's ``contract_year`` setting, else the latest with a policy file. The
clinical director's funded time is checked by the registration rule ``director-wte-low``;
it is not repeated here.
"""
from __future__ import annotations

from typing import Iterator

from ..domain.findings import Finding, Severity, network_finding
from ..domain.model import Network, Project
from ..domain.rules.engine import Context, rule
from .arrs import RoleResult, plan_results
from .inputs import network_inputs
from .months import describe_months
from .policy import Policy, PolicyError
from .policy_store import project_policy

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


_MEMO = "funding.policy"


def _loaded(project: Project, ctx: Context) -> tuple[Policy | None, PolicyError | None]:
    """The project's policy, looked up once per refresh: the files are checked for changes
    then, not by each rule (an override written from Funding settings invalidates at once)."""
    memo = ctx.memo.get(_MEMO)
    if memo is None:
        try:
            memo = (project_policy(project.settings), None)
        except PolicyError as exc:
            memo = (None, exc)
        ctx.memo[_MEMO] = memo
    return memo


def _policy(project: Project, ctx: Context) -> Policy | None:
    return _loaded(project, ctx)[0]      # an unknown year is reported once by funding-year-unknown


def _plans(project: Project, ctx: Context) -> Iterator[tuple[Network, Policy, list[RoleResult]]]:
    policy = _policy(project, ctx)
    if policy is None:
        return
    for net in ctx.networks(project):
        plan = project.workforce.get(net.id)
        if plan:
            results = plan_results(plan, policy)
            if results:
                yield net, policy, results


@rule("funding-year-unknown", ERROR, per_network=False)
def funding_year_unknown(project: Project, ctx: Context) -> Iterator[Finding]:
    """The project's contract year has a readable policy file."""
    error = _loaded(project, ctx)[1]
    if error is not None:
        yield Finding("funding-year-unknown", ERROR, str(error), value=project.settings.get("contract_year"))


@rule("arrs-plan-invalid", ERROR)
def arrs_plan_invalid(project: Project, ctx: Context) -> Iterator[Finding]:
    """Every planned role has a start and end month (YYYY-MM, end not before start) and no negative figures."""
    for net, policy, results in _plans(project, ctx):
        for r in results:
            if r.problem:
                yield network_finding("arrs-plan-invalid", ERROR, net,
                               f"{net.name}: planned {r.planned.role} (line {r.index + 1}): {r.problem}",
                               r.planned.role)


@rule("arrs-role-not-eligible", WARNING)
def arrs_role_not_eligible(project: Project, ctx: Context) -> Iterator[Finding]:
    """A planned role is an eligible Additional Role in the months it is planned for."""
    for net, policy, results in _plans(project, ctx):
        for r in results:
            if not r.ineligible_months:
                continue
            rp = policy.role(r.planned.role)
            if rp is None:
                why = f"is not an eligible ARRS role in {policy.year}"
            elif not r.role_key or not r.entitlement:
                why = f"has no entitlement to count against in {policy.year}"
            else:
                why = f"is not eligible before {describe_months([rp.eligible_from])}"
            yield network_finding("arrs-role-not-eligible", WARNING, net,
                           f"{net.name}: {r.planned.role} {why}; "
                           f"{describe_months(r.ineligible_months)} cannot be reimbursed", r.planned.role)


@rule("arrs-over-entitlement", WARNING)
def arrs_over_entitlement(project: Project, ctx: Context) -> Iterator[Finding]:
    """The plan's reimbursable claims stay within the network's ARRS entitlement."""
    for net, policy, results in _plans(project, ctx):
        inputs = network_inputs(project, net.id, policy)
        for ent in policy.entitlements.values():
            units = inputs.units(ent.basis)
            amount = None if units is None else ent.amount(units)
            claims = round(sum(r.reimbursable for r in results if r.entitlement == ent.key), 2)
            if amount is not None and claims > round(amount, 2):
                yield network_finding("arrs-over-entitlement", WARNING, net,
                               f"{net.name}: the {policy.year} plan claims £{claims:,.2f} against an "
                               f"{ent.label} of £{amount:,.2f} (over by £{claims - amount:,.2f})",
                               round(claims - amount, 2))


@rule("arrs-entitlement-unknown", INFO)
def arrs_entitlement_unknown(project: Project, ctx: Context) -> Iterator[Finding]:
    """The ARRS entitlement formula for the year is known (else headroom cannot be shown)."""
    for net, policy, results in _plans(project, ctx):
        for ent in policy.entitlements.values():
            if ent.figure.value is None:
                yield network_finding("arrs-entitlement-unknown", INFO, net,
                               f"{net.name}: the {policy.year} {ent.label} figure is not known; "
                               "set it in Funding settings", ent.figure.id)


@rule("arrs-maximum-unknown", INFO)
def arrs_maximum_unknown(project: Project, ctx: Context) -> Iterator[Finding]:
    """A planned role's maximum reimbursable amount is known for the months it is planned."""
    for net, policy, results in _plans(project, ctx):
        for r in results:
            if r.unknown_cap_months:
                yield network_finding("arrs-maximum-unknown", INFO, net,
                               f"{net.name}: the maximum reimbursable amount for {r.label} is not known "
                               f"for {describe_months(r.unknown_cap_months)} ({policy.year}); the plan "
                               "assumes cost x rate, uncapped: set it in Funding settings", r.label)
