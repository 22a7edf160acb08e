"""One import: several files read first, checked against each other, then applied in a fixed order.

Reading everything before changing anything is what makes a refused file harmless: the
project is only touched once every file has parsed and every cross-file check has passed,
so a caller that saves only on success never saves half an import.

The order does not depend on the order the user names the files: the practice catalogue
(epraccur) first, then networks and memberships, list sizes, registrations, areas.
"""
from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from datetime import date, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Sequence

from ..domain.model import Membership, Network, Practice, Project, normalise_name
from ..domain.wording import plural
from .errors import ImportRefused
from .kinds import FileSummary, ParsedFile, read_file


UNDATED = "undated_counts"       # project setting: list sizes imported with no date


class ImportRun:
    def __init__(self, paths: Sequence[str | Path], commissioners: Iterable[str] | None = None,
                 today: date | None = None, list_date: date | None = None) -> None:
        self.paths = [Path(p) for p in paths]
        self.list_date = list_date        # `import --list-date`: the date of counts a file leaves undated
        wanted = {c.strip().upper() for c in commissioners or () if c.strip()}
        self.commissioners: set[str] | None = wanted or None
        self.today = today or date.today()
        self.files: list[ParsedFile] = []
        self.claimed: set[str] = set()
        self.mentioned: set[str] = set()
        self.named: set[str] = set()
        self.list_sizes_set: set[tuple[str, date]] = set()   # (practice, date) given by a list-size file
        self._by_code: dict[str, Network] = {}
        self._by_name: dict[str, Network] = {}
        self._history: set[tuple[str, str, date | None, date | None]] = set()
        self._networks: dict[tuple[str, str, str], Network] = {}     # network() answers that cannot change
        self._ids: list[str] = []                                    # new networks' ids, made in bulk
        self._project: Project | None = None
        self._counting: tuple[Project, date | None] | None = None

    # --- phases ------------------------------------------------------------------------
    def read(self) -> list[ParsedFile]:
        """Recognise and parse every file (ImportRefused on the first bad one)."""
        with _collector_paused():
            self.files = [read_file(p) for p in self.paths]
        return self.files

    def apply(self, project: Project) -> list[FileSummary]:
        """Check, then change ``project``. Raises ImportRefused before any change."""
        with _collector_paused():
            return self._apply(project)

    def _apply(self, project: Project) -> list[FileSummary]:
        if not self.files:
            self.read()
        # the readers reason about open links (a current link replaces the open ones); the
        # project is counted at its counting date again once every file is in (_finish)
        project.count_at(None)
        self._project = project
        ordered = sorted(self.files, key=lambda f: f.order)
        for f in ordered:
            self.claimed |= f.claims(self)
            self.mentioned |= f.mentions()
            self.named |= f.names()
        self._check_filter(ordered)
        self._check_agreement(ordered)
        for f in ordered:
            f.check(project, self)
        self._index(project)
        for f in ordered:
            f.apply(project, self)
        self._finish(project)
        project.record("import", "", ", ".join(f"{f.path.name} ({f.summary.kind})" for f in ordered), "import")
        project.touch()
        return [f.summary for f in self.files]

    # --- helpers for the readers -------------------------------------------------------
    def in_filter(self, commissioner: str) -> bool:
        return self.commissioners is None or commissioner.strip().upper() in self.commissioners

    def run_dates(self, exclude: ParsedFile | None = None) -> set[date]:
        return set().union(*(f.extract_dates() for f in self.files if f is not exclude))

    def known_practice(self, project: Project, code: str) -> bool:
        return code in project.practices or code in self.named

    def network(self, project: Project, code: str, name: str, commissioner: str = "") -> Network:
        """The network with this ODS code, else this name; created when neither matches."""
        args = (code, name, commissioner)
        net = self._networks.get(args)
        if net is None:
            net = self._network(project, code, name, commissioner)
            # Asked again, the same question finds the same network once the code index
            # points at it (it is never re-pointed) or, with no code, the name index (never
            # overwritten); not when a network found by name has another code.
            code = code.strip().upper()
            if (code and net.code.upper() == code) or (not code and name.strip()):
                self._networks[args] = net
        return net

    def network_ids(self, project: Project, wanted: Iterable[tuple[str, str, str]]) -> list[str]:
        """``network(project, code, name, commissioner).id`` of each (code, name, commissioner), in order."""
        known, network = self._networks.get, self.network
        return [(known(args) or network(project, *args)).id for args in wanted]

    def _network(self, project: Project, code: str, name: str, commissioner: str) -> Network:
        code = code.strip().upper()
        name = " ".join(name.split())
        key = name.casefold()                # normalise_name(name): its spaces are already one each
        net = self._by_code.get(code) if code else None
        if net is None and name:
            net = self._by_name.get(key)
        if net is None:
            if not self._ids:
                self._ids = Network.new_ids(256)     # a national import makes ~1,300 networks
            net = project.add_network(Network(self._ids.pop(), name or code, code, commissioner))
        else:
            if code and not net.code:
                net.code = code
            if name and not net.name:
                net.name = name
            if commissioner and not net.commissioner:
                net.commissioner = commissioner
        if net.code:
            self._by_code[net.code.upper()] = net
        self._by_name.setdefault(key if net.name == name else normalise_name(net.name), net)
        return net

    def join(self, project: Project, code: str, network_id: str,
             start: date | None = None, end: date | None = None) -> None:
        """Record a membership. A current one replaces the practice's other current ones,
        which are kept as history ending before the new one counts (``_replaced_end``)."""
        if end is not None:
            key = (code, network_id, start, end)
            if key not in self._history:
                self._history.add(key)
                project.add_membership(Membership(code, network_id, start, end))
            return
        current = project.networks_of(code)
        if network_id in current:
            return
        ended = self._replaced_end(project, start) if current else None
        for other in current:
            old = project.remove_membership(code, other)
            if old is not None and (old.start is None or old.start <= ended):
                self.join(project, code, other, old.start, ended)
        project.add_membership(Membership(code, network_id, start, None))

    def join_all(self, project: Project, joins: Iterable[tuple[str, str]]) -> None:
        """``join(project, code, network_id)`` for each pair in order. A practice in no network
        yet (every practice of a first national import) is added in bulk: nothing to replace."""
        joins = list(joins)
        codes = [code for code, _ in joins]
        if len(set(codes)) == len(codes) and not project.any_in_a_network(codes):
            # every practice new to networks, each once (a national list): nothing to replace
            project.add_first_memberships(codes, list(map(itemgetter(1), joins)))
            return
        current = project.in_a_network
        fresh: list[Membership] = []
        pending: set[str] = set()
        for code, network_id in joins:
            if code in pending or current(code):
                project.add_memberships(fresh)       # those before it first: the same order
                fresh, pending = [], set()
                self.join(project, code, network_id)
            else:
                fresh.append(Membership(code, network_id, None, None))
                pending.add(code)
        project.add_memberships(fresh)

    def _replaced_end(self, project: Project, start: date | None) -> date:
        """When a replaced membership ends: the day before its successor starts; for a
        successor with no start (a plain list saying "this is the network now"), the day
        before the counting date, so that the list is what gets counted, and never after today."""
        if start is not None:
            return start - timedelta(days=1)
        at = self.counting_date(project)
        return min(self.today, at - timedelta(days=1)) if at is not None else self.today

    def practice(self, project: Project, code: str) -> Practice:
        found = project.practices.get(code)
        if found is None:
            found = project.practices[code] = Practice(code)
        return found

    # --- internals ---------------------------------------------------------------------
    def _check_filter(self, files: list[ParsedFile]) -> None:
        """A commissioner filter that matches nothing would import nothing and look like success."""
        if self.commissioners is None:
            return
        found = [codes for f in files if (codes := f.commissioners()) is not None]
        if not found or any(codes & self.commissioners for codes in found):
            return
        seen = sorted(set().union(*found))
        shown = ", ".join(seen[:15]) + (f" and {len(seen) - 15} more" if len(seen) > 15 else "")
        raise ImportRefused(", ".join(str(f.path) for f in files), None,
                            f"--commissioner {' '.join(sorted(self.commissioners))} matches no practice or "
                            f"network in these files (their commissioners: {shown or 'none'})")

    def _check_agreement(self, files: list[ParsedFile]) -> None:
        """Two files of one import that disagree (a practice in two networks, two list sizes
        for one date) are refused naming both: the later one would otherwise silently win."""
        # one file alone cannot disagree with itself: ``_stated`` gives two or more, or none
        stated = self._stated(files, "assignments")
        placed: dict[str, tuple[ParsedFile, str, str, int]] = {}
        for f, found in stated:
            for code, (net_code, net_name, row) in found.items():
                seen = placed.get(code)
                if seen is None:
                    placed[code] = (f, net_code, net_name, row)
                    continue
                other, other_code, other_name, other_row = seen
                if other is not f and not _same_network(net_code, net_name, other_code, other_name):
                    raise ImportRefused(f.path, row, f"practice {code} is in network "
                                                     f"{net_code or net_name} here but in {other_code or other_name} "
                                                     f"in {other.path} (row {other_row}): the files disagree")
        counted = self._stated(files, "stated_list_sizes")
        sizes: dict[tuple[str, date], tuple[ParsedFile, int, int | None]] = {}
        for f, found in counted:
            for key, (n, row) in found.items():
                seen_size = sizes.setdefault(key, (f, n, row))
                other, m, other_row = seen_size
                if other is not f and m != n:
                    code, when = key
                    where = f" (row {other_row})" if other_row else ""
                    raise ImportRefused(f.path, row, f"practice {code} has {n:,} patients on {when.isoformat()} "
                                                     f"here but {m:,} in {other.path}{where}: the files disagree")

    def _stated(self, files: list[ParsedFile], method: str) -> list[tuple[ParsedFile, dict]]:
        """(file, what it states) for the files stating something by ``method`` (``assignments``
        or ``stated_list_sizes``), when two or more do; else none. A file whose kind never
        states it is not asked, nor is the last one when no other states anything."""
        asked = [f for f in files if getattr(type(f), method) is not getattr(ParsedFile, method)]
        out = []
        for i, f in enumerate(asked):
            if not out and i == len(asked) - 1:
                break
            found = getattr(f, method)(self)
            if found:
                out.append((f, found))
        return out if len(out) > 1 else []

    def _index(self, project: Project) -> None:
        for net in project.networks.values():
            if net.code:
                self._by_code.setdefault(net.code.upper(), net)
            self._by_name.setdefault(normalise_name(net.name), net)
        self._history = {(m.practice_code, m.network_id, m.start, m.end)
                         for m in project.memberships if m.end is not None}

    def counting_date_before_apply(self) -> date | None:
        """``counting_date`` while files claim practices (the project is not passed then)."""
        return self.counting_date(self._project) if self._project is not None else None

    def counting_date(self, project: Project) -> date | None:
        """The date the project will be counted at once this run is in: the ``list_date``
        setting, else the latest list extract of the project and of this run's files.
        Worked out once per run (every membership asks), before any file is applied."""
        if self._counting is None or self._counting[0] is not project:
            from ..settings import rule_settings_for
            setting = rule_settings_for(project).list_date
            dates = self.run_dates() | set(project.list_dates()) | ({self.list_date} if self.list_date else set())
            self._counting = (project, setting if setting is not None else max(dates, default=None))
        return self._counting[1]

    def undated(self, project: Project, source: ParsedFile, practices: int) -> date:
        """Counts with no date at all: kept at the import's date, and recorded so that a warning
        finding says they have no date until they are re-imported with ``--list-date``."""
        notes = [n for n in project.settings.get(UNDATED, []) if n.get("file") != source.path.name]
        notes.append({"file": source.path.name, "date": self.today.isoformat(), "practices": practices})
        project.settings[UNDATED] = notes
        source.summary.notes.append(f"list sizes have no date (no list_date column, no --list-date, no other "
                                    f"dated file): counted as at {self.today.isoformat()}, the import's date")
        return self.today

    def _finish(self, project: Project) -> None:
        _commissioners_from_members(project)
        from ..settings import settle_counting
        settle_counting(project)
        from .postcodes import locate_practices
        touched = set().union(*(f.summary.practices for f in self.files)) if self.files else set()
        missing = locate_practices(project, touched)
        for f in self.files:
            unlocated = sorted(missing & f.summary.practices)
            if unlocated:
                shown = ", ".join(f"{c} ({project.practices[c].postcode or 'no postcode'})"
                                  for c in unlocated[:10])
                more = f" and {len(unlocated) - 10} more" if len(unlocated) > 10 else ""
                f.summary.notes.append(f"{plural(len(unlocated), 'practice')} without coordinates "
                                       f"(postcode not found): {shown}{more}")
            elif f.summary.practices:
                f.summary.notes.append(f"all {len(f.summary.practices):,} practices it names have coordinates")


def _network_key(name: str) -> str:
    text = normalise_name(name).replace("primary care network", " ")
    text = " ".join(w for w in text.replace("&", " and ").split() if w not in ("pcn", "the"))
    return "".join(ch for ch in text if ch.isalnum())


def _same_network(code_a: str, name_a: str, code_b: str, name_b: str) -> bool:
    """Codes decide when both files give one; otherwise names, compared loosely."""
    if code_a.strip() and code_b.strip():
        return code_a.strip().upper() == code_b.strip().upper()
    if name_a.strip() and name_b.strip():
        return _network_key(name_a) == _network_key(name_b)
    return True


@contextmanager
def _collector_paused():
    """Reading a national file makes tens of thousands of tuples and objects, none of them
    garbage, and Python's cycle collector would walk them all again and again; it is switched
    back on afterwards.

    What the phase made outlives it (the parsed files until they are applied, then the
    project), so it goes straight to the oldest generation, which only a full collection
    walks, rather than through one more pass of the youngest (a sixth of the import's time).
    Only when nothing is frozen: the window freezes what it keeps, and unfreezing would undo it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _commissioners_from_members(project: Project) -> None:
    """A network with no commissioner code (e.g. from a local CSV saying "E Lancs") takes
    the commonest commissioner of its member practices."""
    for net in project.networks.values():
        if net.commissioner:
            continue
        counts = Counter(project.practices[c].commissioner for c in project.members(net.id)
                         if c in project.practices and project.practices[c].commissioner)
        if counts:
            net.commissioner = counts.most_common(1)[0][0]
