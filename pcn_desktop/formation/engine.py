"""``propose``: solve, re-check each answer with the rules engine, and collect distinct options.

The solver models the rules that membership decides (every open practice in exactly one
network, the size floor, closed practices out, the payee and director in their network). Every
answer is then applied to the project, the real rules engine run over what it touched, and the
edits undone: an answer that breaks any other error-level rule (a boundary in several parts,
say) is cut from the model and the solver asked again, so nothing returned is taken on trust.
Errors a move cannot fix (a missing director, an unsigned agreement) that were there before
are carried through and listed with each proposal.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from ..domain.commands import CommandStack
from ..domain.findings import Finding, Severity
from ..domain.model import Project
from ..domain.rules import RULES, evaluate
from ..domain.settings import RuleSettings
from ..domain.wording import plural
from .options import FormationError, NoProposal, ProposeOptions
from .problem import Problem, build_problem
from .greedy import greedy
from .parts import PartsModel
from .reduction import reduce_problem
from .proposal import Proposal, proposal_commands, proposal_from
from .solver import FormationModel, Infeasible, Stopped

# The rules a proposal must leave with no finding at all: membership decides them.
MEMBERSHIP_RULES = frozenset({"practice-unassigned", "practice-in-several-networks", "list-size-minimum",
                              "closed-practice-member", "director-not-member", "payee-not-member"})

Report = Callable[[int, int, str], None]


class Cancel:
    """Shared with another thread: ``request()`` stops the running search at once."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._model: FormationModel | PartsModel | None = None

    def request(self) -> None:
        self.event.set()
        model = self._model
        if model is not None:
            model.stop()

    @property
    def requested(self) -> bool:
        return self.event.is_set()


class ProposeCancelled(Exception):
    """The user cancelled; nothing was changed."""


@dataclass
class ProposeResult:
    proposals: list[Proposal]
    problem: Problem
    note: str = ""
    rejected: int = 0                   # solver answers the rules engine turned down
    active: int = 0                     # practices the model let move (the rest cannot matter)
    errors_before: list[Finding] = field(default_factory=list)


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.rule, f.network_id or f.network, f.practice)


def propose(project: Project, settings: RuleSettings, options: ProposeOptions,
            report: Report | None = None, cancel: Cancel | None = None) -> ProposeResult:
    """Up to ``options.count`` distinct proposals, best first. Raises FormationError when the
    constraints admit none, ProposeCancelled when cancelled."""
    if options.count < 1:
        raise FormationError("--count must be at least 1")
    cancel = cancel or Cancel()
    say = report or (lambda done, total, text: None)
    say(0, options.count, "reading the project")
    places = touching = None
    if options.same_place or options.touching:
        from .geography import practice_places, touching_networks   # geometry only when asked
        places = practice_places(project) if options.same_place else None
        touching = touching_networks(project) if options.touching else None
    problem = build_problem(project, settings, options, places, touching)
    before = [f for f in evaluate(project, settings) if f.severity is Severity.ERROR]
    result = ProposeResult([], problem, errors_before=before)
    model_problem, result.active = reduce_problem(problem)
    # a quick feasible start lets a large model improve on something from its first second
    start = greedy(model_problem).assignment
    supersets: list[list[tuple[int, int]]] = []
    rejected: list[list[int]] = []
    while len(result.proposals) < options.count:
        number = len(result.proposals) + 1
        # cuts tie the parts together, so only a first, unrejected answer is solved in parts
        model: FormationModel | PartsModel = (
            PartsModel(model_problem, cancel.event) if not supersets and not rejected
            else FormationModel(model_problem, supersets, rejected, cancel.event))
        cancel._model = model
        try:
            solution = model.solve(options.time_limit_s, options.workers,
                                   lambda text: say(number - 1, options.count, f"proposal {number}: {text}"),
                                   start if not result.proposals and not rejected else None)
        except Stopped:
            raise ProposeCancelled() from None
        except Infeasible as exc:
            if not result.proposals:
                raise NoProposal(f"{exc}{_why(model_problem, supersets, rejected)}{_hint(options)}") from None
            result.note = f"only {plural(len(result.proposals), 'distinct proposal exists', 'distinct proposals exist')} under these constraints"
            break
        finally:
            cancel._model = None
        if cancel.requested:
            raise ProposeCancelled()
        proposal = proposal_from(problem, project, solution)
        say(number - 1, options.count, f"proposal {number}: checking it with the rules engine")
        broken, remaining = check(project, settings, proposal, before)
        if broken:
            rejected.append(solution.assignment)
            result.rejected += 1
            # the reduction's proof assumes the membership rules are all there is: no longer so
            model_problem, result.active = problem, len(problem.codes)
            if result.rejected > options.max_checks:
                raise NoProposal(
                    f"the rules engine rejected {result.rejected} answers in a row (last: "
                    f"{broken[0].message}); loosen the constraints or fix that rule by hand")
            continue
        proposal.remaining_errors = remaining
        result.proposals.append(proposal)
        moves = [(p, n) for p, n in enumerate(solution.assignment)
                 if n != problem.current[p] and len(problem.candidates[p]) > 1]
        if not moves:
            if not proposal.moves:
                result.note = "the scenario already passes every rule a move can fix: nothing to change"
            else:
                result.note = "the moves shown are forced; there is no other way"
            break
        supersets.append(moves)
    say(options.count, options.count, "done")
    return result


def check(project: Project, settings: RuleSettings, proposal: Proposal, before: list[Finding]
          ) -> tuple[list[Finding], list[Finding]]:
    """Apply the proposal, run the rules engine over what it touched, undo.

    Returns (errors that refuse it, errors it leaves that were there before and no move fixes)."""
    stack = CommandStack(project)
    touched: set[str] = set()
    journalled = len(project.audit)
    try:
        for step in proposal_commands(proposal):
            touched |= stack.push(step)
        scoped = [f for f in evaluate(project, settings, scope=touched) if f.severity is Severity.ERROR]
    finally:
        while stack.done:
            stack.undo()
        del project.audit[journalled:]      # a trial, not an edit: the audit log keeps no trace
    # Per-network findings outside the touched networks cannot have changed.
    untouched = [f for f in before if RULES[f.rule].per_network and f.network_id not in touched]
    after = scoped + untouched
    known = {_key(f) for f in before}
    broken = [f for f in after if f.rule in MEMBERSHIP_RULES or _key(f) not in known]
    remaining = [f for f in after if f not in broken]
    return broken, remaining


def _why(problem: Problem, supersets: list[list[tuple[int, int]]], rejected: list[list[int]]) -> str:
    """Name the networks whose size floors cannot all be met, when that is the reason."""
    core = FormationModel(problem, supersets, rejected, explain=True).conflicting_floors()
    if not core:
        return ""
    names = ", ".join(problem.net_keys[n] for n in core[:10]) + (" …" if len(core) > 10 else "")
    return f": the size floor cannot be met for {names} at the same time"


def _hint(options: ProposeOptions) -> str:
    tight = []
    if options.max_distance_km is not None:
        tight.append(f"--max-distance-km {options.max_distance_km:g}")
    if options.same_place:
        tight.append("--same-place")
    if options.lock:
        tight.append("--lock")
    if options.maximum is not None:
        tight.append(f"--max {options.maximum}")
    if not options.allow_dissolve:
        tight.append("no --allow-dissolve")
    return f" (constraints in force: {', '.join(tight)})" if tight else ""
