"""Stages 2 and 3 of the solver as one weighted objective (solver.FormationModel.tie_weight):
the weight outweighs every difference in distance between answers with no more moves, found by
enumerating small problems, and the weighted solve reaches the same optimum as two stages."""
from __future__ import annotations

import itertools
import math

import pytest
from test_formation_parts import random_problem

from pcn_desktop.formation import solver
from pcn_desktop.formation.parts import objectives
from pcn_desktop.formation.solver import FormationModel, Infeasible


def _small(seed: int):
    pb = random_problem(seed)
    return pb if math.prod(len(c) for c in pb.candidates) <= 200_000 else None


SMALL = [s for s in range(200) if _small(s) is not None][:12]


@pytest.mark.parametrize("seed", SMALL)
def test_the_weight_exceeds_every_distance_gap_among_answers_with_as_few_moves(seed):
    pb = _small(seed)
    model = FormationModel(pb)
    countable = {p for p, _ in model.moved_terms}
    by_moves: dict[int, list[int]] = {}
    for assignment in itertools.product(*pb.candidates):
        moves = sum(1 for p in countable if assignment[p] != pb.current[p])
        by_moves.setdefault(moves, []).append(objectives(pb, list(assignment))[2])
    for most in sorted(by_moves):
        within = [d for m, ds in by_moves.items() if m <= most for d in ds]
        assert model.tie_weight(most) > max(within) - min(within)


@pytest.mark.parametrize("seed", range(30))
def test_one_weighted_objective_reaches_the_two_stage_optimum(seed, monkeypatch):
    pb = random_problem(seed)
    try:
        weighted = FormationModel(pb).solve(time_limit_s=20, workers=8)
    except Infeasible:
        weighted = None
    monkeypatch.setattr(solver, "COMBINED_LIMIT", 0)       # forces stages 2 and 3 apart
    try:
        staged = FormationModel(pb).solve(time_limit_s=20, workers=8)
    except Infeasible:
        assert weighted is None
        return
    assert weighted is not None and weighted.optimal and staged.optimal
    assert len(weighted.statuses) == len(staged.statuses) == 3
    assert weighted.objectives == staged.objectives == objectives(pb, weighted.assignment)
