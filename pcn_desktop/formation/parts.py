"""Solve a large problem as independent parts, and prove the joined answer optimal.

The relaxation R(A): enforce the network rules (floor, ceiling, payee and director, may not
dissolve) only for a set A of networks, starting with those that break a rule today. A
practice that is neither a member nor a candidate of a network in A, nor in a --together or
--apart group, and is in exactly one network, stays put in every optimum of R(A): moving it
back costs nothing R(A) checks and saves a move. What is left falls apart into components
(practices linked through the networks of A they may be in, and through their groups); R(A)
has no constraint across components and every objective is a sum over practices, so solving
each component lexicographically and joining the answers is a lexicographic optimum of R(A)
(a component off its own optimum in stage 1 would raise the sum; stages 2 and 3 likewise with
the earlier ones held).

R(A) only drops constraints, so its optimum is no worse than the full problem's. When the
joined answer also keeps every rule of the networks outside A, it is feasible for the full
problem and therefore optimal for it, stage by stage. When it does not, the networks it breaks
join A and the parts are solved again (those unchanged come from the cache). A only grows, so
this ends, at worst with the whole problem.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from .problem import Problem
from .solver import DISTANCE_UNIT_KM, STAGES, FormationModel, Infeasible, Solution, Stopped


def broken_networks(pb: Problem, assignment: list[int]) -> list[int]:
    """Networks whose rules ``assignment`` breaks (the constraints FormationModel states)."""
    total = [0] * len(pb.nets)
    count = [0] * len(pb.nets)
    for p, n in enumerate(assignment):
        if n >= 0:
            total[n] += pb.size[p]
            count[n] += 1
    out = []
    for n in range(len(pb.nets)):
        kept = count[n] > 0
        gone = pb.occupied[n] and not kept and (pb.exempt[n] or pb.locked_net[n] or not pb.allow_dissolve)
        short = kept and not pb.exempt[n] and pb.minimum > 0 and total[n] < pb.minimum
        over = pb.maximum is not None and total[n] > pb.maximum
        missing = kept and any(assignment[r] != n for r in pb.required[n] if n in pb.candidates[r])
        if gone or short or over or missing:
            out.append(n)
    return out


def components(pb: Problem, active: set[int]) -> list[list[int]]:
    """The practices free to matter under R(active), grouped into independent parts."""
    parent = list(range(len(pb.codes) + len(pb.nets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    offset = len(pb.codes)
    grouped = {p for g in pb.together + pb.apart for p in g}
    chosen = []
    for p, cands in enumerate(pb.candidates):
        linked = [n for n in cands if n in active]
        if linked or pb.current[p] < 0 or p in grouped:
            chosen.append(p)
            for n in linked:
                union(p, offset + n)
    for g in pb.together + pb.apart:
        for p in g[1:]:
            union(g[0], p)
    parts: dict[int, list[int]] = {}
    for p in chosen:
        parts.setdefault(find(p), []).append(p)
    return sorted(parts.values(), key=lambda part: part[0])


def subproblem(pb: Problem, practices: list[int], active: set[int]) -> tuple[Problem, list[int]]:
    """One part as a problem of its own, and its networks' indices in ``pb``.

    A practice in a relaxed network keeps only its own and the enforced networks as
    candidates: a move between two relaxed networks helps no rule R(A) checks, so undoing it
    saves a move and no optimum makes it (unless the practice is in a group, whose rule it
    might serve)."""
    grouped = {p for g in pb.together + pb.apart for p in g}

    def useful(p: int) -> list[int]:
        here = pb.current[p]
        if here < 0 or here in active or p in grouped:
            return pb.candidates[p]
        return [n for n in pb.candidates[p] if n == here or n in active]

    cands = {p: useful(p) for p in practices}
    nets = sorted({n for p in practices for n in cands[p]})
    local_net = {n: i for i, n in enumerate(nets)}
    local = {p: i for i, p in enumerate(practices)}

    def pick(values: list, keys: list[int]) -> list:
        return [values[k] for k in keys]

    def regroup(groups: list[list[int]]) -> list[list[int]]:
        return [[local[p] for p in g] for g in groups if g[0] in local]

    part = Problem(
        codes=pick(pb.codes, practices), size=pick(pb.size, practices),
        current=[local_net[pb.current[p]] if pb.current[p] >= 0 else -1 for p in practices],
        several=pick(pb.several, practices), location=pick(pb.location, practices),
        place=pick(pb.place, practices), nets=pick(pb.nets, nets), net_keys=pick(pb.net_keys, nets),
        exempt=pick(pb.exempt, nets), locked_net=pick(pb.locked_net, nets),
        occupied=pick(pb.occupied, nets), anchor=pick(pb.anchor, nets),
        required=[[local[r] for r in pb.required[n] if r in local] if n in active else [] for n in nets],
        candidates=[[local_net[n] for n in cands[p]] for p in practices],
        minimum=pb.minimum, maximum=pb.maximum, allow_dissolve=pb.allow_dissolve,
        together=regroup(pb.together), apart=regroup(pb.apart), list_date=pb.list_date,
        relaxed=[n not in active for n in nets])
    return part, nets


def objectives(pb: Problem, assignment: list[int]) -> tuple[int, int, int]:
    """Practices moved, patients moved and the distance term, as the whole model counts them."""
    moved = [p for p, n in enumerate(assignment) if n != pb.current[p]]
    distance = sum(pb.size[p] * round(pb.distance_km(p, n) / DISTANCE_UNIT_KM)
                   for p, n in enumerate(assignment) if len(pb.candidates[p]) > 1)
    return len(moved), sum(pb.size[p] for p in moved), distance


class PartsModel:
    """Same use as FormationModel (``solve``, ``stop``) for a first proposal with no cuts."""

    def __init__(self, problem: Problem, stopped: threading.Event | None = None) -> None:
        self.problem = problem
        self._stopped = stopped or threading.Event()
        self._model: FormationModel | None = None
        self._cache: dict[tuple[tuple[int, ...], tuple[int, ...]], Solution] = {}
        self.rounds = 0
        self.largest = 0

    def stop(self) -> None:
        self._stopped.set()
        model = self._model
        if model is not None:
            model.stop()

    def solve(self, time_limit_s: float = 60.0, workers: int = 2,
              report: Callable[[str], None] | None = None, start: list[int] | None = None) -> Solution:
        started = time.perf_counter()
        pb = self.problem
        active = set(broken_networks(pb, pb.current))
        while True:
            self.rounds += 1
            assignment = list(pb.current)
            optimal, lower = True, 0
            statuses = ["OPTIMAL"] * len(STAGES)
            parts = components(pb, active)
            self.largest = max((len(p) for p in parts), default=0)
            for k, practices in enumerate(parts):
                if self._stopped.is_set():
                    raise Stopped()
                part, nets = subproblem(pb, practices, active)
                key = (tuple(practices), tuple(n for n in nets if n in active))
                solution = self._cache.get(key)
                if solution is None:
                    if report is not None:
                        report(f"part {k + 1} of {len(parts)} ({len(practices)} practices)")
                    local_net = {n: i for i, n in enumerate(nets)}
                    hint = None if start is None else [local_net.get(start[p], -1) for p in practices]
                    self._model = FormationModel(part, stopped=self._stopped)
                    try:
                        solution = self._model.solve(time_limit_s, workers, None, hint)
                    finally:
                        self._model = None
                    self._cache[key] = solution
                for p, n in zip(practices, solution.assignment):
                    assignment[p] = nets[n]
                optimal = optimal and solution.optimal
                lower += solution.moves_lower_bound
                statuses = [a if b == "OPTIMAL" else b for a, b in zip(statuses, solution.statuses)]
            broken = set(broken_networks(pb, assignment))
            if not broken:
                break
            if broken <= active:       # cannot happen: the parts enforce these networks' rules
                raise Infeasible("the parts' answers break a rule they were meant to keep")
            active |= broken           # their rules now bind: solve again with them enforced
        if any(n < 0 for n in assignment):
            raise Infeasible("a practice was left in no network")      # cannot happen: parts cover them
        moved, patients, distance = objectives(pb, assignment)
        kept = [False] * len(pb.nets)
        for n in assignment:
            kept[n] = True
        return Solution(assignment, kept, (moved, patients, distance), optimal,
                        time.perf_counter() - started, statuses, min(lower, moved))
