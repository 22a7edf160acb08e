"""Geography rules: the boundary coherence measures as findings.

Each per-network rule asks the measure cache for the networks in scope only, so re-checking
one network after a move re-measures that network and nothing else. Findings about a part, a
gap or an enclave name its small-area codes so the map can zoom to them.

A network may be allowed several parts (a rural PCN split by moorland, say): put the allowed
count in ``project.settings["geo_expected_parts"][network_id]``. Beyond that, a network in
several parts is an error, or a warning when the network has an exemption recorded.
"""
from __future__ import annotations

from typing import Iterator

from ..domain.findings import Finding, Severity, network_finding
from ..domain.model import Network, Project
from ..domain.rules.engine import Context, rule
from .measures import NetworkGeo, gap_areas, has_geography, measure_networks

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
EXPECTED_PARTS = "geo_expected_parts"


def _measured(project: Project, ctx: Context) -> Iterator[tuple[Network, NetworkGeo]]:
    if not has_geography(project):
        return
    nets = list(ctx.networks(project))
    measures = measure_networks(project, ctx.settings, [n.id for n in nets])
    for net in nets:
        yield net, measures[net.id]


def _codes(codes: list[str], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def expected_parts(project: Project, network_id: str) -> int:
    allowed = (project.settings.get(EXPECTED_PARTS) or {}).get(network_id, 1)
    return max(1, int(allowed))


@rule("boundary-not-contiguous", ERROR)
def boundary_not_contiguous(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network's boundary is one piece, unless more parts are allowed or it has an exemption."""
    for net, g in _measured(project, ctx):
        allowed = expected_parts(project, net.id)
        if g.parts <= allowed:
            continue
        severity = WARNING if net.exemption else ERROR
        for number, codes in enumerate(g.part_areas[1:], start=2):
            yield network_finding("boundary-not-contiguous", severity, net,
                           f"{net.name} is in {g.parts} parts (allowed {allowed}); part {number} is "
                           f"detached: {_codes(codes)}", g.parts, area=codes[0] if codes else "")


@rule("boundary-overlap", WARNING)
def boundary_overlap(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network's boundary does not overlap another network's."""
    for net, g in _measured(project, ctx):
        for other, km2 in sorted(g.overlaps.items()):
            name = project.networks[other].name if other in project.networks else other
            yield network_finding("boundary-overlap", WARNING, net,
                           f"{net.name} overlaps {name} by {km2:.2f} km² "
                           f"({g.overlap_patients:,} patients live in its overlaps)", round(km2, 4))


@rule("boundary-gap", WARNING, per_network=False)
def boundary_gap(project: Project, ctx: Context) -> Iterator[Finding]:
    """Every small area belongs to a network (100% coverage)."""
    contested = (project.settings.get("boundaries") or {}).get("contested") or {}
    for code, residents in gap_areas(project):
        area = project.areas[code]
        why = ""
        if code in contested:
            leader, share = contested[code]
            lead = project.networks[leader].name if leader in project.networks else leader
            why = f"; contested: {lead} holds only {share:.0%} of its patients"
        yield Finding("boundary-gap", WARNING,
                      f"{area.name or code} ({code}) is in no network; {residents:,} registered "
                      f"patients live there{why}", value=residents, area=code)


@rule("practice-outside-boundary", WARNING)
def practice_outside_boundary(project: Project, ctx: Context) -> Iterator[Finding]:
    """Every member practice's site lies inside its network's boundary."""
    for net, g in _measured(project, ctx):
        for code in g.practices_outside:
            p = project.practices.get(code)
            yield network_finding("practice-outside-boundary", WARNING, net,
                           f"{(p.name if p else '') or code} ({code}) is outside {net.name}'s boundary",
                           code, practice=code)


@rule("boundary-enclave", WARNING)
def boundary_enclave(project: Project, ctx: Context) -> Iterator[Finding]:
    """No network lies wholly inside another's."""
    for net, g in _measured(project, ctx):
        for inner in g.enclaves:
            other = project.networks.get(inner)
            yield network_finding("boundary-enclave", WARNING, net,
                           f"{other.name if other else inner} lies wholly inside {net.name}",
                           other.key if other else inner)


@rule("low-compactness", WARNING)
def low_compactness(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network's outline is reasonably compact (Polsby-Popper and Reock above the settings)."""
    s = ctx.settings
    for net, g in _measured(project, ctx):
        low = []
        if g.polsby_popper is not None and g.polsby_popper < s.min_polsby_popper:
            low.append(f"Polsby-Popper {g.polsby_popper:.2f} < {s.min_polsby_popper:g}")
        if g.reock is not None and g.reock < s.min_reock:
            low.append(f"Reock {g.reock:.2f} < {s.min_reock:g}")
        if low:
            yield network_finding("low-compactness", WARNING, net, f"{net.name} is not compact: " + "; ".join(low),
                           round(min(v for v in (g.polsby_popper, g.reock) if v is not None), 4))


@rule("patients-outside-boundary", WARNING)
def patients_outside_boundary(project: Project, ctx: Context) -> Iterator[Finding]:
    """Most of a network's patients live inside its boundary."""
    floor = ctx.settings.min_patients_inside_share
    for net, g in _measured(project, ctx):
        if g.patients_inside_share is not None and g.areas and g.patients_inside_share < floor:
            yield network_finding("patients-outside-boundary", WARNING, net,
                           f"only {g.patients_inside_share:.0%} of {net.name}'s {g.patients:,} patients "
                           f"live inside its boundary (setting: {floor:.0%})", round(g.patients_inside_share, 4))


@rule("crosses-places", INFO)
def crosses_places(project: Project, ctx: Context) -> Iterator[Finding]:
    """A network sits within one place (local authority) where it can."""
    limit = ctx.settings.max_places
    for net, g in _measured(project, ctx):
        if len(g.places) > limit:
            yield network_finding("crosses-places", INFO, net,
                           f"{net.name} spans {len(g.places)} places: {', '.join(g.places)}", len(g.places))
