"""The commissioning domain: practices, networks, memberships, areas and registrations.

Plain Python on purpose: the window, the command line, the rules and the reports all work
on a ``Project`` and none of them needs Qt or SQL to do it.
"""
from __future__ import annotations

import os
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

from .scenarios import Registry, ScenarioHolder, ScenarioSettings, fresh_state


class PracticeStatus(str, Enum):
    """ODS status codes as published in epraccur column 13."""

    ACTIVE = "A"
    CLOSED = "C"
    DORMANT = "D"
    PROPOSED = "P"

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(slots=True)
class Practice:
    code: str
    name: str = ""
    address: tuple[str, ...] = ()
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    status: PracticeStatus = PracticeStatus.ACTIVE
    opened: date | None = None
    closed: date | None = None
    commissioner: str = ""
    # "" for a GP practice; else what ODS calls the organisation (e.g. "prescribing setting 8")
    # when a list-size file names it but the catalogue does not class it as a GP practice
    kind: str = ""

    @property
    def is_gp_practice(self) -> bool:
        return not self.kind

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class ClinicalDirector:
    name: str
    practice_code: str = ""
    professional_body: str = ""
    registration_number: str = ""
    wte: float = 0.0
    start: date | None = None


@dataclass
class Network:
    id: str
    name: str
    code: str = ""
    commissioner: str = ""
    exemption: str = ""            # "" for none, else the kind, e.g. "rural", "sparse"
    exemption_reason: str = ""
    nominated_payee: str = ""      # ODS code of the practice that receives the funding
    agreement_signed: date | None = None
    notes: str = ""
    director: ClinicalDirector | None = None

    @property
    def key(self) -> str:
        """What a user and the JSON call the network: its ODS code, else its name."""
        return self.code or self.name

    @staticmethod
    def new_id() -> str:
        return Network.new_ids(1)[0]

    @staticmethod
    def new_ids(count: int) -> list[str]:
        """``count`` random UUIDs' 32 hex digits (version 4), as ``uuid.uuid4().hex`` gives them,
        from one read of the system's randomness, without a UUID object each (an import of
        England makes ~1,300)."""
        raw = bytearray(os.urandom(16 * count))
        raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])
        raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])
        text = raw.hex()
        return [text[i:i + 32] for i in range(0, 32 * count, 32)]


@dataclass
class Membership:
    practice_code: str
    network_id: str
    start: date | None = None
    end: date | None = None

    def current_at(self, at: date | None) -> bool:
        if at is None:
            return self.end is None
        return (self.start is None or self.start <= at) and (self.end is None or self.end > at)

    def in_force(self, at: date | None) -> bool:
        """In force on ``at``: started on or before it and ended on or after it (or open).
        With no date, the open memberships are the ones in force."""
        if at is None:
            return self.end is None
        return (self.start is None or self.start <= at) and (self.end is None or self.end >= at)


@dataclass
class SmallArea:
    code: str
    name: str = ""
    geometry: Any = None           # a shapely geometry in WGS84 (EPSG:4326)
    place: str = ""                # the local authority ("place") it lies in, when known


@dataclass
class AuditEntry:
    what: str
    old: str
    new: str
    when: datetime
    who: str
    scenario: str = ""             # the scenario edited ("" for project-wide entries)


@dataclass
class Boundary:
    network_id: str
    geometry: Any                  # shapely, WGS84
    provenance: str                # "registrations", "imported:<file>", "edited"
    built: datetime | None = None


@dataclass
class PlannedRole:
    """One line of a network's workforce plan (Additional Roles)."""

    role: str
    wte: float
    start: str                     # YYYY-MM
    end: str                       # YYYY-MM, inclusive
    annual_cost: float


class Project(ScenarioHolder):
    """Everything one project file holds, with indexes kept in step by its own methods.

    Current membership is indexed both ways so that moving one practice among 6,500 costs
    a few dictionary operations, not a scan. "Current" means in force at ``counting_date``,
    the date the lists were counted (``count_at``), so that every total adds list sizes over
    the memberships of that same date; with no date, the open memberships are current.

    The per-scenario attributes (networks, memberships, boundaries, area assignments,
    workforce, configuration settings, the counting date of the index) are those of the
    active scenario; see scenarios.py.
    """

    # per-scenario state, given by fresh_state (scenarios.py) and swapped on activation
    scenario_name: str
    networks: dict[str, Network]
    boundaries: dict[str, Boundary]
    area_assignments: dict[str, str]                   # area code -> network id (edited or built)
    workforce: dict[str, list[PlannedRole]]
    _history: list[Membership]                         # ended memberships, kept for the record
    _current: dict[str, dict[str, Membership]]         # practice -> net -> membership
    _members: dict[str, set[str]]                      # net -> practices
    _several: set[str]                                 # practices currently in several networks
    counting_date: date | None                         # memberships in force at it are current

    def __init__(self) -> None:
        self.name: str = "Untitled"
        self._settings = ScenarioSettings()
        self.practices: dict[str, Practice] = {}
        self.list_sizes: dict[str, dict[date, int]] = defaultdict(dict)
        self.areas: dict[str, SmallArea] = {}
        # registrations[date][(practice_code, area_code)] = patients
        self.registrations: dict[date, dict[tuple[str, str], int]] = defaultdict(dict)
        # other_registrations[date][area_code] = patients registered at practices outside the
        # project who live in the area: they count in the area's total, never for a network
        self.other_registrations: dict[date, dict[str, int]] = defaultdict(dict)
        self.audit: list[AuditEntry] = []
        fresh_state(self)
        self._registry = Registry(self)
        self.revision = 0                                # bumped by every change; views compare it

    @property
    def settings(self) -> ScenarioSettings:
        """Project settings; the configuration keys among them belong to this scenario."""
        return self._settings

    @settings.setter
    def settings(self, values: dict[str, Any]) -> None:
        self._settings.replace_all(dict(values))

    # --- memberships -------------------------------------------------------------------
    @property
    def memberships(self) -> list[Membership]:
        current = [m for by_net in self._current.values() for m in by_net.values()]
        return self._history + current

    def add_membership(self, m: Membership) -> None:
        if not m.in_force(self.counting_date) or m.network_id in self._current.get(m.practice_code, ()):
            self._history.append(m)
            return
        by_net = self._current[m.practice_code]
        by_net[m.network_id] = m
        self._members[m.network_id].add(m.practice_code)
        if len(by_net) > 1:
            self._several.add(m.practice_code)

    def add_memberships(self, memberships: Iterable[Membership]) -> None:
        """``add_membership`` of each in order (an import adds thousands): the same result."""
        at, current, members, history = self.counting_date, self._current, self._members, self._history
        for m in memberships:
            code, network_id = m.practice_code, m.network_id
            by_net = current.get(code)
            if not m.in_force(at) or (by_net is not None and network_id in by_net):
                history.append(m)
                continue
            if by_net is None:
                by_net = current[code] = {}
            by_net[network_id] = m
            members[network_id].add(code)
            if len(by_net) > 1:
                self._several.add(code)

    def add_first_memberships(self, practice_codes: list[str], network_ids: list[str]) -> None:
        """``add_memberships`` of open, undated memberships (in force on any date) of practices
        in no network yet, each practice once, as a first national import makes them."""
        members = self._members
        self._current.update({code: {network_id: m} for code, network_id, m in zip(
            practice_codes, network_ids, map(Membership, practice_codes, network_ids))})
        for code, network_id in zip(practice_codes, network_ids):
            members[network_id].add(code)

    def remove_membership(self, practice_code: str, network_id: str) -> Membership | None:
        m = self._current.get(practice_code, {}).pop(network_id, None)
        if m is not None:
            self._members[network_id].discard(practice_code)
            left = len(self._current[practice_code])
            if not left:
                del self._current[practice_code]
            if left <= 1:
                self._several.discard(practice_code)
        return m

    def count_at(self, at: date | None) -> None:
        """Make the memberships in force at ``at`` the current ones (all are kept)."""
        if at == self.counting_date:
            return
        current = [m for by_net in self._current.values() for m in by_net.values()] if not self._history else None
        # (a date is never false: no start and no end is "no date at all")
        if current is not None and not any(map(attrgetter("start"), current)) and \
                not any(map(attrgetter("end"), current)):
            # undated and open, every membership is in force on any date: the same stay current
            # (a national import of a plain list: 6,500 memberships not re-added one by one)
            self.counting_date = at
            self.touch()
            return
        self._recount_at(at)

    @contextmanager
    def counted_at(self, at: date | None) -> Iterator["Project"]:
        """The project counted at ``at`` (its memberships and lists of that date) inside the
        block, at its own date again after it however the block ends; ``None``: as it is."""
        restore = self.counting_date
        if at is not None:
            self.count_at(at)
        try:
            yield self
        finally:
            self.count_at(restore)

    def _recount_at(self, at: date | None) -> None:
        """``count_at`` the long way: every membership re-added at ``at``."""
        everything = self.memberships
        self.counting_date = at
        self._history, self._current, self._several = [], defaultdict(dict), set()
        self._members = defaultdict(set, {nid: set() for nid in self._members})
        for m in everything:
            self.add_membership(m)
        self.touch()

    def in_several_networks(self) -> set[str]:
        """Practices currently a member of more than one network (an error the rules report);
        kept by add/remove_membership so the check costs nothing when there are none."""
        return self._several

    def members(self, network_id: str) -> set[str]:
        """ODS codes of the network's current members."""
        return self._members.get(network_id, set())

    def networks_of(self, practice_code: str) -> list[str]:
        """Ids of every network the practice is currently a member of (normally one)."""
        return list(self._current.get(practice_code, {}))

    def in_a_network(self, practice_code: str) -> bool:
        """``bool(networks_of(code))`` without making the list (an import asks for every practice)."""
        return bool(self._current.get(practice_code))

    def any_in_a_network(self, practice_codes: Iterable[str]) -> bool:
        """``any(map(in_a_network, codes))`` in one pass."""
        return any(map(self._current.get, practice_codes))

    def first_networks(self, practice_codes: Iterable[str]) -> set[str]:
        """``{networks_of(code)[0]}`` over the practices that are in a network, in one pass."""
        return {next(iter(by_net)) for by_net in map(self._current.get, practice_codes) if by_net}

    def network_of(self, practice_code: str) -> Network | None:
        ids = self.networks_of(practice_code)
        return self.networks[ids[0]] if ids else None

    def membership(self, practice_code: str, network_id: str) -> Membership | None:
        return self._current.get(practice_code, {}).get(network_id)

    # --- networks ----------------------------------------------------------------------
    def add_network(self, net: Network) -> Network:
        self.networks[net.id] = net
        self._members.setdefault(net.id, set())
        return net

    def remove_network(self, network_id: str) -> Network:
        if self._members.get(network_id):
            raise ValueError("a network with members cannot be removed; move them first")
        self._members.pop(network_id, None)
        return self.networks.pop(network_id)

    def find_network(self, key: str) -> Network | None:
        """By id, ODS code or name (case and spacing ignored)."""
        if key in self.networks:
            return self.networks[key]
        wanted = normalise_name(key)
        for net in self.networks.values():
            if net.code and net.code.upper() == key.strip().upper():
                return net
        for net in self.networks.values():
            if normalise_name(net.name) == wanted:
                return net
        return None

    def sorted_networks(self) -> list[Network]:
        return sorted(self.networks.values(), key=lambda n: (n.name.lower(), n.code))

    # --- list sizes --------------------------------------------------------------------
    def list_size(self, practice_code: str, at: date | None = None) -> int:
        counted = self.list_size_counted(practice_code, at)
        return counted[1] if counted else 0

    def list_size_counted(self, practice_code: str, at: date | None = None) -> tuple[date, int] | None:
        """(date counted, patients): the latest count on or before ``at``; failing that the
        earliest after it, since a project often holds only a later extract."""
        sizes = self.list_sizes.get(practice_code)
        if not sizes:
            return None
        if at is None:
            when = max(sizes)
            return when, sizes[when]
        before = [d for d in sizes if d <= at]
        when = max(before) if before else min(sizes)
        return when, sizes[when]

    def network_list_size(self, network_id: str, at: date | None = None) -> int:
        return sum(self.list_size(p, at) for p in self.members(network_id))

    def list_dates(self) -> list[date]:
        return sorted({d for sizes in self.list_sizes.values() for d in sizes})

    # --- practices ---------------------------------------------------------------------
    def is_closed(self, practice_code: str) -> bool:
        """Closed in ODS, or dormant with no registered patients left."""
        p = self.practices.get(practice_code)
        if p is None:
            return False
        if p.status is PracticeStatus.CLOSED:
            # closed after the lists were counted: open on the date every figure describes
            return p.closed is None or self.counting_date is None or p.closed <= self.counting_date
        return p.status is PracticeStatus.DORMANT and self.list_size(practice_code) == 0

    def unassigned(self) -> list[str]:
        at = self.counting_date
        return sorted(c for c, p in self.practices.items() if c not in self._current and not p.kind
                      and not self.is_closed(c) and not (at is not None and p.opened is not None and p.opened > at))

    # --- registrations -----------------------------------------------------------------
    # What the accessors below give for a date with none: one shared, read-only mapping, so
    # that a caller keying a cache on the mapping it was given sees no change between calls.
    _NONE: Mapping[Any, int] = MappingProxyType({})

    def latest_registrations(self) -> tuple[date | None, Mapping[tuple[str, str], int]]:
        if not self.registrations:
            return None, self._NONE
        when = max(self.registrations)
        return when, self.registrations[when]

    def other_registrations_at(self, when: date | None) -> Mapping[str, int]:
        """Patients per area registered at practices outside the project, at ``when``."""
        return self.other_registrations.get(when, self._NONE) if when is not None else self._NONE

    # --- audit -------------------------------------------------------------------------
    def record(self, what: str, old: Any, new: Any, who: str) -> None:
        self.audit.append(AuditEntry(what, _text(old), _text(new), datetime.now().replace(microsecond=0), who,
                                     self.scenario_name))

    def touch(self) -> None:
        self.revision += 1


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(str(v) for v in value))
    return str(value)
