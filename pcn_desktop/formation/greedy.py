"""A greedy baseline, for the benchmark only: what a careful person might do by hand.

Unassigned practices join their nearest allowed network; then each network under the floor,
smallest first, takes the nearest practice it may take from a neighbour that can spare it, and
when none can be spared (and dissolving is allowed) it is dissolved into its nearest
neighbours. It honours the candidate lists, locks, payees and directors, but not --together,
--apart or --max, and it proves nothing: the benchmark prints its moves beside the solver's.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from .problem import Problem


@dataclass
class GreedyResult:
    assignment: list[int] | None       # None: it got stuck
    moves: int
    patients: int
    seconds: float


def greedy(pb: Problem) -> GreedyResult:
    started = time.perf_counter()
    a = list(pb.current)
    size = [0] * len(pb.nets)
    for p, n in enumerate(a):
        if n < 0:
            a[p] = n = min(pb.candidates[p], key=lambda k: pb.distance_km(p, k))
        size[n] += pb.size[p]
    required = {p for req in pb.required for p in req}
    able = [pb.occupied[n] or any(a[p] == n for p in range(len(a))) for n in range(len(pb.nets))]
    joinable: list[list[int]] = [[] for _ in pb.nets]
    for p, cands in enumerate(pb.candidates):
        for n in cands:
            joinable[n].append(p)
    stuck = False
    short = sorted((n for n in range(len(pb.nets)) if able[n] and not pb.exempt[n] and size[n] < pb.minimum),
                   key=lambda n: pb.minimum - size[n])
    for n in short:
        while size[n] < pb.minimum:
            spare = [p for p in joinable[n] if a[p] != n and p not in required and len(pb.candidates[p]) > 1
                     and (pb.exempt[a[p]] or size[a[p]] - pb.size[p] >= pb.minimum)]
            if not spare:
                break
            p = min(spare, key=lambda q: pb.distance_km(q, n))
            size[a[p]] -= pb.size[p]
            a[p] = n
            size[n] += pb.size[p]
        if size[n] >= pb.minimum:
            continue
        if not pb.allow_dissolve or pb.exempt[n] or pb.locked_net[n]:
            stuck = True
            continue
        for p in [q for q in range(len(a)) if a[q] == n]:
            others = [k for k in pb.candidates[p] if k != n and size[k] > 0]
            if not others or p in required:
                stuck = True
                break
            k = min(others, key=lambda m: pb.distance_km(p, m))
            size[n] -= pb.size[p]
            a[p] = k
            size[k] += pb.size[p]
    ok = not stuck and all(size[n] == 0 or pb.exempt[n] or size[n] >= pb.minimum for n in range(len(pb.nets)))
    moved = [p for p in range(len(a)) if a[p] != pb.current[p]]
    return GreedyResult(a if ok else None, len(moved), sum(pb.size[p] for p in moved),
                        time.perf_counter() - started)
