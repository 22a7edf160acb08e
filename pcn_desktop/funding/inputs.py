"""The populations and beds a network's payments are counted on.

Our data hold registered lists only. The weighted (Carr-Hill) and adjusted populations are
inputs per network and contract year, or a project-wide ratio to the registered list; when
neither is given they are *assumed equal to the registered list* and flagged as such.
Care home beds have no default: the premium is left out until the beds are entered.

Stored in ``project.settings["funding"]``::

    {"weighted_ratio": 1.0, "adjusted_ratio": 1.0,
     "inputs": {"2023/24": {"<network id>": {"weighted_population": 41000, "care_home_beds": 120}}}}
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.model import Project
from .policy import Policy

INPUT_FIELDS = ("weighted_population", "adjusted_population", "care_home_beds")
RATIO_FIELDS = ("weighted_ratio", "adjusted_ratio")

ASSUMED = "assumed equal to registered list"


@dataclass(frozen=True)
class Population:
    value: float
    how: str                     # "entered", "registered x 1.05", or ASSUMED

    @property
    def assumed(self) -> bool:
        return self.how == ASSUMED


@dataclass(frozen=True)
class NetworkInputs:
    registered: int
    weighted: Population
    adjusted: Population
    beds: int | None             # None: not entered

    def units(self, basis: str) -> float | None:
        """How many of the basis a value is multiplied by (None: not known)."""
        if basis == "registered":
            return float(self.registered)
        if basis == "weighted":
            return self.weighted.value
        if basis == "adjusted":
            return self.adjusted.value
        if basis == "beds":
            return None if self.beds is None else float(self.beds)
        return 1.0                # "fixed": a sum per network


def funding_settings(project: Project) -> dict[str, Any]:
    return project.settings.get("funding") or {}


def entered_inputs(project: Project, year: str, network_id: str) -> dict[str, Any]:
    return dict(funding_settings(project).get("inputs", {}).get(year, {}).get(network_id, {}))


def ratio(project: Project, name: str) -> float | None:
    value = funding_settings(project).get(name)
    return None if value in (None, "") else float(value)


def network_inputs(project: Project, network_id: str, policy: Policy) -> NetworkInputs:
    # the project's one counting date (its lists and memberships), never a second date per year
    registered = project.network_list_size(network_id, project.counting_date or policy.list_date)
    entered = entered_inputs(project, policy.year, network_id)

    def population(field: str, ratio_name: str) -> Population:
        if entered.get(field) not in (None, ""):
            return Population(float(entered[field]), "entered")
        r = ratio(project, ratio_name)
        if r is None:
            return Population(float(registered), ASSUMED)
        return Population(registered * r, f"registered x {r:g}")

    beds = entered.get("care_home_beds")
    return NetworkInputs(registered, population("weighted_population", "weighted_ratio"),
                         population("adjusted_population", "adjusted_ratio"),
                         None if beds in (None, "") else int(beds))
