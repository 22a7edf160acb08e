"""Named scenarios: complete alternative configurations held side by side in one project.

A scenario owns the networks (directors, payees, exemptions, agreement dates), memberships
current and past, boundaries, area assignments, workforce plans and the settings that belong
to a configuration (the boundary build record, allowed boundary parts). Practices, list sizes,
small areas, registrations, places, the other settings and the audit log are shared.

The live ``Project`` object's own per-scenario attributes *are* the active scenario, so every
reader of ``project.networks`` keeps working unchanged. Each inactive scenario is a ``Project``
of its own that shares the common containers with the live one. Activating a scenario swaps
the per-scenario attributes between the two objects: the live object stays the one the window
and the command line hold, and the other object now carries the scenario that was active.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, MutableMapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Project

DEFAULT_SCENARIO = "current"
MAX_NAME = 100

# Settings keys that describe one configuration rather than the project: the boundary build
# record (area -> network id, see geo/boundaries.py) and each network's allowed parts.
SCENARIO_SETTINGS = frozenset({"boundaries", "geo_expected_parts"})

# The attributes a scenario owns; activating swaps exactly these between two Project objects.
PER_SCENARIO = ("scenario_name", "networks", "boundaries", "area_assignments", "workforce",
                "_history", "_current", "_members", "_several", "_settings")
# The containers every scenario shares with the live project (the same objects).
SHARED = ("practices", "list_sizes", "areas", "registrations", "audit", "_registry")


class UnknownScenario(ValueError):
    """A scenario name the project does not hold; the message lists the known ones."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name, self.known = name, list(known)
        super().__init__(f"unknown scenario {name!r}; known: {', '.join(known)}")


class ScenarioSettings(MutableMapping[str, Any]):
    """``project.settings``: one mapping whose configuration keys (``SCENARIO_SETTINGS``) live
    with the scenario and whose other keys are the project's, shared by every scenario."""

    def __init__(self, shared: dict[str, Any] | None = None, own: dict[str, Any] | None = None) -> None:
        self.shared: dict[str, Any] = {} if shared is None else shared
        self.own: dict[str, Any] = {} if own is None else own

    def _part(self, key: str) -> dict[str, Any]:
        return self.own if key in SCENARIO_SETTINGS else self.shared

    def __getitem__(self, key: str) -> Any:
        return self._part(key)[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._part(key)[key] = value

    def __delitem__(self, key: str) -> None:
        del self._part(key)[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.shared
        yield from self.own

    def __len__(self) -> int:
        return len(self.shared) + len(self.own)

    def __repr__(self) -> str:
        return f"ScenarioSettings({dict(self)!r})"

    def replace_all(self, values: dict[str, Any]) -> None:
        """Set every key from ``values`` in place, so scenarios keep sharing the shared part."""
        self.shared.clear()
        self.own.clear()
        for key, value in values.items():
            self[key] = value


class Registry:
    """The scenarios of one project, shared by every scenario's ``Project`` object."""

    def __init__(self, live: "Project") -> None:
        self.live = live
        self.others: dict[str, "Project"] = {}
        self.order: list[str] = [live.scenario_name]


def check_name(name: str, known: list[str]) -> str:
    """A usable new scenario name, or ValueError saying why not."""
    clean = " ".join(str(name).split())
    if not clean:
        raise ValueError("a scenario needs a name")
    if len(clean) > MAX_NAME:
        raise ValueError(f"a scenario name has at most {MAX_NAME} characters")
    if any(k.casefold() == clean.casefold() for k in known):
        raise ValueError(f"a scenario named {clean!r} already exists")
    return clean


class ScenarioHolder:
    """The scenario half of ``Project`` (mixed in): naming, copying and switching scenarios."""

    scenario_name: str
    _registry: Registry

    # --- reading -----------------------------------------------------------------------
    @property
    def active_scenario(self) -> str:
        return self._registry.live.scenario_name

    def scenario_names(self) -> list[str]:
        return list(self._registry.order)

    def scenario(self, name: str) -> "Project":
        reg = self._registry
        if name == reg.live.scenario_name:
            return reg.live
        if name in reg.others:
            return reg.others[name]
        raise UnknownScenario(name, reg.order)

    def scenarios(self) -> list["Project"]:
        """Every scenario's Project, in the project's order."""
        return [self.scenario(n) for n in self._registry.order]

    def is_live(self) -> bool:
        """Whether this object is the active scenario (the one the window shows)."""
        return self._registry.live is self

    # --- editing -----------------------------------------------------------------------
    def new_scenario(self, name: str) -> "Project":
        """An empty configuration named ``name`` (no networks), sharing the common data."""
        reg = self._registry
        name = check_name(name, reg.order)
        other = _fork(reg.live, name)
        reg.others[name] = other
        reg.order.append(name)
        return other

    def copy_scenario(self, source: str, new: str) -> "Project":
        src = self.scenario(source)
        reg = self._registry
        name = check_name(new, reg.order)
        other = _fork(reg.live, name)
        _copy_configuration(src, other)
        reg.others[name] = other
        reg.order.insert(reg.order.index(source) + 1, name)
        reg.live.record("scenario copied", source, name, _who())
        return other

    def rename_scenario(self, old: str, new: str) -> None:
        target = self.scenario(old)
        reg = self._registry
        name = check_name(new, [n for n in reg.order if n != old])
        if target is not reg.live:
            reg.others[name] = reg.others.pop(old)
        target.scenario_name = name
        reg.order[reg.order.index(old)] = name
        reg.live.record("scenario renamed", old, name, _who())
        reg.live.touch()

    def delete_scenario(self, name: str) -> None:
        self.scenario(name)
        reg = self._registry
        if len(reg.order) == 1:
            raise ValueError("a project keeps at least one scenario")
        if name == reg.live.scenario_name:
            raise ValueError(f"scenario {name!r} is open; switch to another before deleting it")
        reg.others.pop(name)
        reg.order.remove(name)
        reg.live.record("scenario deleted", name, "", _who())

    def restore_scenario(self, scenario: "Project", position: int) -> None:
        """Put back a deleted scenario's Project at ``position`` (undoing a delete)."""
        reg = self._registry
        name = check_name(scenario.scenario_name, reg.order)
        reg.others[name] = scenario
        reg.order.insert(min(position, len(reg.order)), name)
        reg.live.record("scenario restored", "", name, _who())

    def activate_scenario(self, name: str) -> None:
        reg = self._registry
        target = self.scenario(name)
        live = reg.live
        if target is live:
            return
        old = live.scenario_name
        for attr in PER_SCENARIO:
            mine, theirs = getattr(live, attr), getattr(target, attr)
            setattr(live, attr, theirs)
            setattr(target, attr, mine)
        del reg.others[name]
        reg.others[old] = target
        live.record("scenario opened", old, name, _who())
        # both objects now hold other content: caches stamped with their revisions must miss
        live.touch()
        target.touch()


def _who() -> str:
    from .commands import current_user  # noqa: PLC0415 — commands imports the model, which imports us
    return current_user()


def fresh_state(project: "Project", name: str = DEFAULT_SCENARIO) -> None:
    """Give ``project`` empty per-scenario containers (called by ``Project.__init__``)."""
    project.scenario_name = name
    project.networks = {}
    project.boundaries = {}
    project.area_assignments = {}
    project.workforce = defaultdict(list)
    project._history = []
    project._current = defaultdict(dict)
    project._members = defaultdict(set)
    project._several = set()


def _fork(live: "Project", name: str) -> "Project":
    """A new Project for scenario ``name``: its own empty configuration, the live one's data."""
    other = type(live)()
    for attr in SHARED:
        setattr(other, attr, getattr(live, attr))
    other.name = live.name
    other._settings = ScenarioSettings(live._settings.shared)
    fresh_state(other, name)
    return other


def _copy_configuration(src: "Project", dst: "Project") -> None:
    """Deep copy of everything a scenario owns; shared geometry objects are immutable."""
    import copy  # noqa: PLC0415 — only copying needs it

    for nid, net in src.networks.items():
        dst.add_network(replace(net, director=replace(net.director) if net.director else None))
    for m in src.memberships:
        dst.add_membership(replace(m))
    dst.boundaries = {nid: replace(b) for nid, b in src.boundaries.items()}
    dst.area_assignments = dict(src.area_assignments)
    for nid, roles in src.workforce.items():
        dst.workforce[nid] = [replace(r) for r in roles]
    dst._settings.own = copy.deepcopy(src._settings.own)
