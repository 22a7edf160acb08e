"""The PCN registration rules (PCN_RULES.md §1 and §4), one small function each."""
from __future__ import annotations

from typing import Iterator

from ..findings import Finding, Severity, network_finding
from ..model import Project
from .engine import Context, rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@rule("list-size-minimum", ERROR)
def list_size_minimum(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network's combined list must reach the minimum unless a rural/sparse exemption is recorded."""
    floor = ctx.settings.minimum_list
    for net in ctx.networks(project):
        if net.exemption or not project.members(net.id):
            continue
        size = project.network_list_size(net.id, ctx.list_date)
        if size < floor:
            yield network_finding("list-size-minimum", ERROR, net,
                           f"{net.name} has {size:,} patients; the minimum is {floor:,} "
                           "unless a rural or sparse exemption is recorded", size)


@rule("exemption-without-reason", ERROR)
def exemption_without_reason(project: Project, ctx: Context) -> Iterator[Finding]:
    """An exemption from the minimum list size must say why (natural community, rural, sparse)."""
    for net in ctx.networks(project):
        if net.exemption and not net.exemption_reason.strip():
            yield network_finding("exemption-without-reason", ERROR, net,
                           f"{net.name} has a {net.exemption} exemption but no reason recorded")


@rule("director-missing", ERROR)
def director_missing(project: Project, ctx: Context) -> Iterator[Finding]:
    """Every network names a clinical director."""
    for net in ctx.networks(project):
        if net.director is None or not net.director.name.strip():
            yield network_finding("director-missing", ERROR, net, f"{net.name} has no clinical director")


@rule("director-not-member", ERROR)
def director_not_member(project: Project, ctx: Context) -> Iterator[Finding]:
    """The clinical director practises in one of the network's member practices."""
    for net in ctx.networks(project):
        d = net.director
        if d is None or not d.name.strip():
            continue
        if d.practice_code not in project.members(net.id):
            where = d.practice_code or "no practice"
            yield network_finding("director-not-member", ERROR, net,
                           f"{net.name}'s clinical director {d.name} is from {where}, "
                           "not a member practice", d.practice_code, practice=d.practice_code)


@rule("director-wte-low", WARNING)
def director_wte_low(project: Project, ctx: Context) -> Iterator[Finding]:
    """The director's time reaches the funded level (WTE per 50,000 patients)."""
    per = ctx.settings.director_wte_per_50000
    for net in ctx.networks(project):
        d = net.director
        if d is None or not d.name.strip():
            continue
        size = project.network_list_size(net.id, ctx.list_date)
        funded = round(per * size / 50000, 3)
        if d.wte + 1e-9 < funded:
            yield network_finding("director-wte-low", WARNING, net,
                           f"{net.name}'s clinical director works {d.wte:g} WTE; "
                           f"{size:,} patients fund {funded:g} WTE", d.wte)


@rule("payee-missing", ERROR)
def payee_missing(project: Project, ctx: Context) -> Iterator[Finding]:
    """A nominated payee receives the network's funding."""
    if not ctx.settings.payee_required:
        return
    for net in ctx.networks(project):
        if not net.nominated_payee:
            yield network_finding("payee-missing", ERROR, net, f"{net.name} has no nominated payee")


@rule("payee-not-member", ERROR)
def payee_not_member(project: Project, ctx: Context) -> Iterator[Finding]:
    """The nominated payee is one of the network's member practices."""
    for net in ctx.networks(project):
        if net.nominated_payee and net.nominated_payee not in project.members(net.id):
            yield network_finding("payee-not-member", ERROR, net,
                           f"{net.name}'s nominated payee {net.nominated_payee} is not a member",
                           net.nominated_payee, practice=net.nominated_payee)


@rule("agreement-unsigned", ERROR)
def agreement_unsigned(project: Project, ctx: Context) -> Iterator[Finding]:
    """Every member practice has signed the network agreement."""
    if not ctx.settings.agreement_required:
        return
    for net in ctx.networks(project):
        if net.agreement_signed is None and project.members(net.id):
            yield network_finding("agreement-unsigned", ERROR, net,
                           f"{net.name} has no signed network agreement recorded")


@rule("closed-practice-member", ERROR)
def closed_practice_member(project: Project, ctx: Context) -> Iterator[Finding]:
    """A closed practice cannot stay a member of a network."""
    for net in ctx.networks(project):
        for code in sorted(project.members(net.id)):
            if project.is_closed(code):
                p = project.practices[code]
                yield network_finding("closed-practice-member", ERROR, net,
                               f"{p.name or code} ({code}) is closed but still a member of {net.name}",
                               p.status.label, practice=code)


@rule("single-practice-network", WARNING)
def single_practice_network(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network of one practice is allowed only for a large practice; worth a second look."""
    for net in ctx.networks(project):
        members = project.members(net.id)
        if len(members) == 1:
            (code,) = members
            yield network_finding("single-practice-network", WARNING, net,
                           f"{net.name} has only one practice ({code})", 1, practice=code)


@rule("empty-network", WARNING)
def empty_network(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network with no member practices."""
    for net in ctx.networks(project):
        if not project.members(net.id):
            yield network_finding("empty-network", WARNING, net, f"{net.name} has no member practices", 0)


@rule("large-network", WARNING)
def large_network(project: Project, ctx: Context) -> Iterator[Finding]:
    """Above the threshold a network may need to work as neighbourhood teams of 30–50,000."""
    ceiling = ctx.settings.large_network
    for net in ctx.networks(project):
        size = project.network_list_size(net.id, ctx.list_date)
        if size > ceiling:
            yield network_finding("large-network", WARNING, net,
                           f"{net.name} has {size:,} patients, above {ceiling:,}: it may need to "
                           "organise into neighbourhood teams", size)


@rule("practice-unassigned", ERROR, per_network=False)
def practice_unassigned(project: Project, ctx: Context) -> Iterator[Finding]:
    """Every open practice belongs to a network (100% coverage)."""
    for code in project.unassigned():
        p = project.practices[code]
        yield Finding("practice-unassigned", ERROR,
                      f"{p.name or code} ({code}) is in no network",
                      practice=code, value=project.list_size(code, ctx.list_date))


@rule("practice-in-several-networks", ERROR, per_network=False)
def practice_in_several_networks(project: Project, ctx: Context) -> Iterator[Finding]:
    """A practice is a member of exactly one network at a time."""
    for code in sorted(c for c in project.in_several_networks() if c in project.practices):
        ids = project.networks_of(code)
        if len(ids) > 1:
            names = sorted(project.networks[i].name for i in ids)
            first = project.networks[sorted(ids, key=lambda i: project.networks[i].name)[0]]
            yield Finding("practice-in-several-networks", ERROR,
                          f"{code} is a member of {len(ids)} networks at once: {', '.join(names)}",
                          network=first.key, practice=code, value=len(ids), network_id=first.id)
