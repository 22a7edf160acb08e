"""The CP-SAT model: one Boolean per (practice, candidate network), solved lexicographically.

Stage 1 minimises practices moved, stage 2 patients moved with stage 1 held at its optimum,
stage 3 patients' distance to their network's centre with both held. Stages 2 and 3 are one
solve when they can be: patients times a weight above any gap in distance the held moves allow,
plus distance, orders answers exactly as the two stages do (``tie_weight``). A proposal is
proven optimal only when every stage ends OPTIMAL. Distinct proposals come from cuts: a later
proposal may not contain every move of an earlier one (it would be that one plus extras),
and an answer the rules engine rejected is cut exactly.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from .problem import Problem

# Distances enter the objective in tenths of a kilometre times patients: integer, and fine
# enough that two practices a street apart still rank by distance.
DISTANCE_UNIT_KM = 0.1
STAGES = ("practices moved", "patients moved", "distance")
# The weighted objective of stages 2 and 3 is used only while the sum of its coefficients'
# sizes stays below this (far under int64's 9.2e18): beyond it, two stages as before.
COMBINED_LIMIT = 2 ** 60
PROOF_IGNORES = ("no_lp", "core", "quick_restart")


@dataclass
class Solution:
    assignment: list[int]          # network index per practice
    kept: list[bool]               # network still exists (or, if empty today, stays empty)
    objectives: tuple[int, int, int]
    optimal: bool
    seconds: float
    statuses: list[str] = field(default_factory=list)
    moves_lower_bound: int = 0     # what the solver proved no answer can beat


class Stopped(Exception):
    """The caller asked the solver to stop (Cancel)."""


class Infeasible(Exception):
    """No configuration meets the rules under the constraints given."""


class FormationModel:
    """One solve: the problem, plus the cuts earned so far (built afresh each time, since
    a solved stage's bounds must not carry over to the next proposal)."""

    def __init__(self, problem: Problem, supersets: list[list[tuple[int, int]]] | None = None,
                 rejected: list[list[int]] | None = None, stopped: threading.Event | None = None,
                 explain: bool = False) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.keep: list[cp_model.IntVar] = []
        # explain=True: each floor hangs on an assumption, so an infeasible model can say
        # which networks' floors cannot all be met (kept out of the normal model: assumptions
        # weaken presolve)
        self.explain = explain
        self.floor_literals: dict[int, cp_model.IntVar] = {}
        self._build()
        for moves in supersets or []:
            self.forbid_superset(moves)
        for assignment in rejected or []:
            self.forbid_exactly(assignment)
        self._stopped = stopped or threading.Event()
        self._solver: cp_model.CpSolver | None = None

    # --- the model -----------------------------------------------------------------------
    def _build(self) -> None:
        pb, m = self.problem, self.model
        by_net: list[list[int]] = [[] for _ in pb.nets]
        for p, cands in enumerate(pb.candidates):
            for n in cands:
                self.x[p, n] = m.new_bool_var(f"x{p}_{n}")
                by_net[n].append(p)
            m.add_exactly_one(self.x[p, n] for n in cands)
        self.by_net = by_net
        now = [0] * len(pb.nets)
        for p, n in enumerate(pb.current):
            if n >= 0:
                now[n] += pb.size[p]
        for n in range(len(pb.nets)):
            keep = m.new_bool_var(f"keep{n}")
            self.keep.append(keep)
            if pb.relaxed and pb.relaxed[n]:
                continue
            xs = [self.x[p, n] for p in by_net[n]]
            for v in xs:
                m.add_implication(v, keep)
            if xs:
                m.add(sum(xs) >= 1).only_enforce_if(keep)
            else:
                m.add(keep == 0)
            if pb.occupied[n] and (pb.exempt[n] or pb.locked_net[n] or not pb.allow_dissolve):
                m.add(keep == 1)     # exempt networks stay (and stay exempt); locked ones too
            total = sum(pb.size[p] * self.x[p, n] for p in by_net[n])
            if not pb.exempt[n] and pb.minimum > 0 and xs:
                if self.explain:
                    lit = self.floor_literals[n] = m.new_bool_var(f"floor{n}")
                    m.add(total >= pb.minimum).only_enforce_if([keep, lit])
                else:
                    m.add(total >= pb.minimum).only_enforce_if(keep)
            if pb.maximum is not None and xs:
                m.add(total <= pb.maximum)
            for p in pb.required[n]:
                if (p, n) in self.x:
                    m.add_implication(keep, self.x[p, n])
            if not pb.exempt[n] and now[n] < pb.minimum and xs:
                # implied by the floor, but stated so that the relaxation knows a short network
                # that stays costs at least one move in: the bound on moves closes much sooner
                joiners = [self.x[p, n] for p in by_net[n] if pb.current[p] != n]
                if self.explain:
                    pass                     # the floor alone says it; the assumption must carry it
                elif joiners:
                    m.add_bool_or(joiners).only_enforce_if(keep)
                else:
                    m.add(keep == 0)
        for group in pb.together:
            first = group[0]
            for other in group[1:]:
                for n in set(pb.candidates[first]) | set(pb.candidates[other]):
                    a, b = self.x.get((first, n)), self.x.get((other, n))
                    if a is None or b is None:
                        m.add((a if a is not None else b) == 0)     # type: ignore[union-attr]
                    else:
                        m.add(a == b)
        for group in pb.apart:
            for n in set().union(*(pb.candidates[p] for p in group)):
                xs = [self.x[p, n] for p in group if (p, n) in self.x]
                if len(xs) > 1:
                    m.add_at_most_one(xs)
        self.moved_terms = [(p, self.x[p, pb.current[p]]) for p in range(len(pb.codes))
                            if pb.current[p] >= 0 and len(pb.candidates[p]) > 1]
        stay = [v for _, v in self.moved_terms]
        patients = [pb.size[p] for p, _ in self.moved_terms]
        distances = [pb.size[p] * round(pb.distance_km(p, n) / DISTANCE_UNIT_KM)
                     for (p, n) in self.x if len(pb.candidates[p]) > 1]
        self.objectives = [
            -cp_model.LinearExpr.sum(stay),
            -cp_model.LinearExpr.weighted_sum(stay, patients),
            cp_model.LinearExpr.weighted_sum(
                [v for (p, _), v in self.x.items() if len(pb.candidates[p]) > 1], distances),
        ]
        # how large each objective can get (every term a Boolean): bounds the weighted sum
        self.magnitude = [len(stay), sum(patients), sum(abs(d) for d in distances)]
        self.free = [p for p in range(len(pb.codes)) if len(pb.candidates[p]) > 1]

    def forbid_superset(self, moves: list[tuple[int, int]]) -> None:
        """No later answer may make all of these moves (it would be this one plus more)."""
        if moves:
            self.model.add(sum(self.x[p, n] for p, n in moves) <= len(moves) - 1)

    def forbid_exactly(self, assignment: list[int]) -> None:
        """This one assignment is out (the rules engine rejected it); neighbours are not."""
        chosen = [self.x[p, assignment[p]] for p in self.free]
        if not chosen:
            raise Infeasible("the only configuration within the constraints breaks a rule")
        self.model.add(sum(chosen) <= len(chosen) - 1)

    def conflicting_floors(self, time_limit_s: float = 5.0) -> list[int] | None:
        """Networks whose floors cannot all be met together (a small set, not always the
        smallest), or None when the floors are not the problem or the solver ran out of time."""
        if not self.floor_literals:
            return None
        self.model.clear_objective()
        self.model.add_assumptions(list(self.floor_literals.values()))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = 1          # cores found by assumptions need one worker
        if solver.solve(self.model) != cp_model.INFEASIBLE:
            return None
        index = {lit.index: n for n, lit in self.floor_literals.items()}
        core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
        return sorted(core) or None

    # --- solving -------------------------------------------------------------------------
    def stop(self) -> None:
        """From another thread (Cancel): end the running search and refuse further stages."""
        self._stopped.set()
        solver = self._solver
        if solver is not None:
            solver.stop_search()

    def tie_weight(self, most_moves: int) -> int:
        """A weight W such that W * patients + distance orders every answer moving at most
        ``most_moves`` of the practices in ``moved_terms`` exactly as (patients, distance) do.

        Two such answers differ in distance only through the practices they move: each one
        moved changes the sum by at most ``up`` (further) or ``down`` (nearer) against staying,
        a practice in no network today by anything in its range. So W = 1 + the largest gain of
        one answer + the largest loss of the other exceeds every difference in distance, and a
        patient fewer always outweighs it."""
        pb = self.problem
        weight, up, down = 1, [], []
        for p in self.free:
            terms = [pb.size[p] * round(pb.distance_km(p, n) / DISTANCE_UNIT_KM) for n in pb.candidates[p]]
            here = pb.current[p]
            if here < 0 or here not in pb.candidates[p]:
                weight += max(terms) - min(terms)
                continue
            stay = pb.size[p] * round(pb.distance_km(p, here) / DISTANCE_UNIT_KM)
            up.append(max(terms) - stay)
            down.append(stay - min(terms))
        k = max(0, most_moves)
        return weight + sum(sorted(up)[len(up) - k:]) + sum(sorted(down)[len(down) - k:]) if k else weight

    def _run(self, objective, time_limit_s: float, workers: int, hint: dict[tuple[int, int], int] | None,
             proving: bool = False) -> tuple[cp_model.CpSolver, str]:
        self.model.clear_hints()
        if hint is not None:
            for key, v in self.x.items():
                self.model.add_hint(v, hint[key])
        self.model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
        solver.parameters.num_workers = max(1, workers)
        if proving and workers >= 8:
            # the weighted stage starts from a good answer and is won by proving the bound, which
            # the LP-based workers do: the three without an LP (or with only a light one) give
            # their share of two cores to them (England's largest parts: 20-30 s against 30-55 s)
            solver.parameters.ignore_subsolvers.extend(PROOF_IGNORES)
        self._solver = solver
        if self._stopped.is_set():
            raise Stopped()
        status = solver.solve(self.model)
        self._solver = None
        status_name = solver.status_name(status)
        if self._stopped.is_set() and status != cp_model.OPTIMAL:
            raise Stopped()
        if status == cp_model.INFEASIBLE:
            raise Infeasible("no configuration meets the rules under these constraints")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise Infeasible(f"the solver found no configuration in {time_limit_s:g} s ({status_name})")
        return solver, status_name

    def solve(self, time_limit_s: float = 60.0, workers: int = 2,
              report: Callable[[str], None] | None = None, start: list[int] | None = None) -> Solution:
        """``start``: a network index per practice to begin the search from (the greedy
        baseline's answer, say); it need not be feasible.

        Stages 2 and 3 are minimised as one weighted objective when the weight (see
        ``tie_weight``) keeps the sum small enough for the solver's arithmetic: the same
        lexicographic optimum, and one proof instead of two (the second of which, with the
        patients held by a knapsack-like bound, was the slow one on England)."""
        started = time.perf_counter()
        pb = self.problem
        hint: dict[tuple[int, int], int] | None = None
        if start is not None:
            hint = {(p, n): int(start[p] == n) for (p, n) in self.x}
        if self._stopped.is_set():
            raise Stopped()
        if report is not None:
            report(f"minimising {STAGES[0]}")
        solver, status0 = self._run(self.objectives[0], time_limit_s, workers, hint)
        value0 = round(solver.objective_value)
        bound0 = math.ceil(solver.best_objective_bound - 1e-6)
        hint = {key: int(solver.value(v)) for key, v in self.x.items()}
        # hold the moves at what was reached while the patients and distance are minimised
        self.model.add(self.objectives[0] <= value0)
        statuses = [status0]
        weight = self.tie_weight(len(self.moved_terms) + value0)
        if weight * self.magnitude[1] + self.magnitude[2] < COMBINED_LIMIT:
            if self._stopped.is_set():
                raise Stopped()
            if report is not None:
                report(f"minimising {STAGES[1]}, then {STAGES[2]}")
            solver, status = self._run(weight * self.objectives[1] + self.objectives[2], time_limit_s, workers, hint,
                                       proving=True)
            statuses += [status, status]
        else:
            for stage in (1, 2):
                if self._stopped.is_set():
                    raise Stopped()
                if report is not None:
                    report(f"minimising {STAGES[stage]}")
                solver, status = self._run(self.objectives[stage], time_limit_s, workers, hint)
                hint = {key: int(solver.value(v)) for key, v in self.x.items()}
                self.model.add(self.objectives[stage] <= round(solver.objective_value))
                statuses.append(status)
        distance = round(solver.value(self.objectives[2]))
        keep = [int(solver.value(k)) for k in self.keep]
        assignment = [-1] * len(pb.codes)
        for (p, n), v in self.x.items():
            if solver.value(v):
                assignment[p] = n
        moved = sum(1 for p in range(len(pb.codes)) if assignment[p] != pb.current[p])
        patients = sum(pb.size[p] for p in range(len(pb.codes)) if assignment[p] != pb.current[p])
        always = sum(1 for p in range(len(pb.codes)) if pb.current[p] < 0)
        lower = always + len(self.moved_terms) + bound0
        optimal = all(s == "OPTIMAL" for s in statuses)
        return Solution(assignment, [bool(k) for k in keep], (moved, patients, distance),
                        optimal, time.perf_counter() - started, statuses, min(lower, moved))
