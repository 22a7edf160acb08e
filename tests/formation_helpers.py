"""Independent checks for proposals: apply the moves with plain domain commands (not the
formation package's own applier) and ask the rules engine; brute-force small cases."""
from __future__ import annotations

import itertools
import math
from typing import Any, Callable, Iterable

from pcn_desktop.domain.commands import DissolveNetwork, MovePractice
from pcn_desktop.domain.findings import Severity
from pcn_desktop.domain.model import Project
from pcn_desktop.domain.rules import evaluate
from pcn_desktop.geo.commands import follow_geography
from pcn_desktop.settings import rule_settings_for


def apply_moves(project: Project, moves: list[dict[str, Any]], dissolved: Iterable[str] = ()) -> None:
    """Moves as the JSON gives them (codes/keys), applied one by one, boundaries following."""
    for m in moves:
        target = project.find_network(m["to"]) if m["to"] else None
        assert m["to"] == "" or target is not None, m
        follow_geography(MovePractice(m["practice"], target.id if target else None)).do(project)
    for key in dissolved:
        net = project.find_network(key)
        assert net is not None and not project.members(net.id), key
        follow_geography(DissolveNetwork(net.id)).do(project)


def errors(project: Project) -> list[Any]:
    return [f for f in evaluate(project, rule_settings_for(project)) if f.severity is Severity.ERROR]


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    r = 6371.0088
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def brute_force(codes: list[str], sizes: dict[str, int], current: dict[str, str], nets: list[str],
                valid: Callable[[dict[str, str]], bool], distance: Callable[[str, str], float]
                ) -> list[tuple[tuple[int, int, int], dict[str, str]]]:
    """Every assignment of the practices to the networks that ``valid`` accepts, scored as
    (practices moved, patients moved, patients x tenths of km to the network's anchor)."""
    out = []
    for combo in itertools.product(nets, repeat=len(codes)):
        a = dict(zip(codes, combo))
        if not valid(a):
            continue
        moved = [c for c in codes if a[c] != current.get(c)]
        score = (len(moved), sum(sizes[c] for c in moved),
                 sum(sizes[c] * round(distance(c, a[c]) / 0.1) for c in codes))
        out.append((score, a))
    out.sort(key=lambda t: t[0])
    return out
