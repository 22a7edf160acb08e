"""What the user asks of a proposal: the size limits, who may go where, and how many options."""
from __future__ import annotations

from dataclasses import dataclass


class FormationError(ValueError):
    """A request the engine cannot act on (an unknown code, contradictory constraints);
    the message says which and is meant for the user."""


class NoProposal(FormationError):
    """The constraints admit no configuration that passes the rules."""


@dataclass(frozen=True)
class ProposeOptions:
    minimum: int | None = None            # None: the project's list-size-minimum setting
    maximum: int | None = None            # optional ceiling on every network's list
    max_distance_km: float | None = None  # a practice may join a network with a member this close
    touching: bool = False                # ... or one whose area touches the practice's area
    same_place: bool = False              # moves stay within one local authority
    lock: tuple[str, ...] = ()            # practice codes or network codes/names that must not change
    together: tuple[tuple[str, ...], ...] = ()   # groups of practices that end in one network
    apart: tuple[tuple[str, ...], ...] = ()      # groups of practices that end in different networks
    allow_dissolve: bool = False          # a network may lose every member (and go)
    count: int = 1                        # how many distinct proposals
    time_limit_s: float = 60.0            # per solver run (moves; then patients and distance
                                          # together); beyond it the best found is kept
    workers: int = 8                      # solver threads: on two cores too, eight (time-shared) run
                                          # the portfolio that proves small parts at once (0.4 s
                                          # against no proof in 10 s with two, measured on England)
    max_checks: int = 25                  # answers the rules engine may reject before giving up
