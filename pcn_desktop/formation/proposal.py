"""A proposal as the user sees it (moves, networks dissolved, scores) and how it is applied:
as ordinary command objects, wrapped so that boundaries built from registrations follow."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.commands import Command, CommandStack, DissolveNetwork, MovePractice
from ..domain.findings import Finding
from ..domain.model import Project
from ..geo.commands import follow_geography
from .problem import Problem, haversine_km
from .solver import DISTANCE_UNIT_KM, Solution


@dataclass(frozen=True)
class Move:
    practice: str
    from_key: str                 # the network's code (or name); "" for none
    to_key: str
    list_size: int
    from_id: str = ""
    to_id: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"practice": self.practice, "from": self.from_key, "to": self.to_key,
                "list_size": self.list_size}


@dataclass
class Proposal:
    moves: list[Move]
    dissolved: list[tuple[str, str]]          # (network id, key) of networks that lose every member
    optimal: bool
    scores: dict[str, Any]
    seconds: float
    statuses: list[str] = field(default_factory=list)
    remaining_errors: list[Finding] = field(default_factory=list)   # ones no move can fix
    scenario: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "optimal": self.optimal,
                "moves": [m.as_json() for m in self.moves],
                "dissolved": [key for _, key in self.dissolved],
                "scores": self.scores,
                "remaining_errors": [f.as_json() for f in self.remaining_errors]}


def proposal_from(problem: Problem, project: Project, solution: Solution) -> Proposal:
    moves: list[Move] = []
    for p, code in enumerate(problem.codes):
        to = solution.assignment[p]
        if to == problem.current[p]:
            continue
        before = project.networks_of(code)
        from_id = before[0] if len(before) == 1 else ""
        from_key = ", ".join(sorted(project.networks[n].key for n in before))
        moves.append(Move(code, from_key, problem.net_keys[to], problem.size[p], from_id, problem.nets[to]))
    for code, nid in problem.closed_members:
        # a closed practice leaves its network whatever else happens (closed-practice-member)
        moves.append(Move(code, project.networks[nid].key, "", project.list_size(code, problem.list_date), nid, ""))
    ends = {n for n in solution.assignment}
    dissolved = [(problem.nets[n], problem.net_keys[n]) for n in range(len(problem.nets))
                 if problem.occupied[n] and n not in ends]
    return Proposal(moves, dissolved, solution.optimal, scores(problem, solution, moves, dissolved),
                    solution.seconds, solution.statuses)


def scores(problem: Problem, solution: Solution, moves: list[Move], dissolved: list[tuple[str, str]]
           ) -> dict[str, Any]:
    """The figures the proposal was ranked on, plus the distance measured afresh: each
    practice to the patient-weighted centre of the network it ends in."""
    total = sum(problem.size) or 1
    centres: dict[int, list[tuple[tuple[float, float], int]]] = {}
    for p, n in enumerate(solution.assignment):
        loc = problem.location[p]
        if loc is not None:
            centres.setdefault(n, []).append((loc, max(problem.size[p], 1)))
    km = 0.0
    for p, n in enumerate(solution.assignment):
        loc = problem.location[p]
        pts = centres.get(n)
        if loc is None or not pts:
            continue
        w = sum(s for _, s in pts)
        centre = (sum(c[0] * s for c, s in pts) / w, sum(c[1] * s for c, s in pts) / w)
        km += problem.size[p] * haversine_km(loc, centre)
    out = {
        "practices_moved": len(moves),
        "patients_moved": sum(m.list_size for m in moves),
        "networks_dissolved": len(dissolved),
        "distance_objective_patient_km": round(solution.objectives[2] * DISTANCE_UNIT_KM),
        "mean_km_to_network_centre": round(km / total, 3),
    }
    if not solution.optimal:     # how far from the best possible, as far as the solver proved
        out["practices_moved_lower_bound"] = solution.moves_lower_bound + len(problem.closed_members)
    return out


def proposal_commands(proposal: Proposal) -> list[Command]:
    """The edits that make the proposal, in an order each one can run: moves, then networks
    left empty dissolved. Boundaries follow each edit when they were built from registrations."""
    steps: list[Command] = [follow_geography(MovePractice(m.practice, m.to_id or None)) for m in proposal.moves]
    steps += [follow_geography(DissolveNetwork(nid)) for nid, _ in proposal.dissolved]
    return steps


def apply_proposal(project: Project, proposal: Proposal) -> CommandStack:
    """Make the proposal's edits on ``project`` (a scenario); the stack can undo them."""
    stack = CommandStack(project)
    for step in proposal_commands(proposal):
        stack.push(step)
    return stack


def working_copy(project: Project) -> Project:
    """A private copy of one scenario to try proposals on from a worker thread: its own
    configuration (deep-copied), the shared data (practices, lists, areas) shared, and an
    audit log of its own, so nothing the window reads changes while the solver works."""
    import copy

    from ..domain.scenarios import PER_SCENARIO

    twin = copy.copy(project)
    for attr in PER_SCENARIO:
        setattr(twin, attr, copy.deepcopy(getattr(project, attr)))
    twin.audit = []
    return twin


class SaveProposal(Command):
    """Save a proposal as scenario ``name``: a copy of ``source`` with the proposal's moves
    made (journalled; boundaries built from registrations follow). Undo deletes it."""

    def __init__(self, source: str, name: str, proposal: Proposal) -> None:
        super().__init__()
        self.source, self.name, self.proposal = source, name, proposal

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Save proposal as scenario {self.name}"

    def _do(self, project: Project) -> None:
        scenario = project.copy_scenario(self.source, self.name)
        self.name = scenario.scenario_name
        apply_proposal(scenario, self.proposal)
        self.proposal.scenario = self.name

    def _undo(self, project: Project) -> None:
        project.delete_scenario(self.name)
