"""Which kind of file is this? A registry of (detector, reader) pairs, asked in order.

Files are recognised by what is in them, never by their names: NHS Digital renames its
extracts, and users rename them again. A detector looks at a ``Sample`` (the first bytes
and, for CSV text, the first few records) and says yes or no; the first yes wins, so the
more specific kinds are registered first. Other parts of the program add their own kinds
with ``register_kind`` (or by listing their module in ``KIND_MODULES``).

A reader parses the whole file into a ``ParsedFile`` without touching the project, so that
every file of a run can be refused before anything changes. ``ImportRun`` (io/run.py)
then checks the files against each other and applies them in ``order``.
"""
from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import ImportRefused
from .text import first_rows, norm_header

if TYPE_CHECKING:
    from ..domain.model import Project
    from .run import ImportRun

# Modules whose import registers the built-in kinds, most specific first.
KIND_MODULES: list[str] = [
    "pcn_desktop.io.epcn",
    "pcn_desktop.io.epraccur",
    "pcn_desktop.io.registrations",
    "pcn_desktop.io.populations",
    "pcn_desktop.io.area_assignments",
    "pcn_desktop.io.mapping",
    "pcn_desktop.io.mapping_sheet",        # after epcn, whose workbook has such columns too
    "pcn_desktop.io.areas",
    "pcn_desktop.io.workforce_csv",
]

# Apply order: catalogue, then networks and memberships, list sizes, registrations, areas.
ORDER_CATALOGUE, ORDER_NETWORKS, ORDER_LIST_SIZES, ORDER_POPULATIONS = 10, 20, 30, 35
ORDER_REGISTRATIONS, ORDER_AREAS, ORDER_LATE = 40, 50, 90


@dataclass
class Sample:
    path: Path
    head: bytes
    rows: list[list[str]] | None        # first CSV records when the file is text, else None

    @property
    def header(self) -> list[str]:
        return [norm_header(c) for c in self.rows[0]] if self.rows else []

    def has(self, *names: str) -> bool:
        header = self.header
        return all(n in header for n in names)

    def has_any(self, *names: str) -> bool:
        header = self.header
        return any(n in header for n in names)


@dataclass
class FileSummary:
    path: Path
    kind: str
    rows_read: int = 0
    kept: int = 0
    skipped: Counter = field(default_factory=Counter)       # reason -> rows
    notes: list[str] = field(default_factory=list)
    practices: set[str] = field(default_factory=set)        # practices this file added or updated

    def skip(self, reason: str, rows: int = 1) -> None:
        self.skipped[reason] += rows

    def lines(self) -> list[str]:
        out = [f"{self.path}: {self.kind}", f"  rows read {self.rows_read:,}, kept {self.kept:,}"]
        for reason, n in sorted(self.skipped.items(), key=lambda kv: -kv[1]):
            out.append(f"  skipped {n:,}: {reason}")
        out.extend(f"  {note}" for note in self.notes)
        return out


class ParsedFile:
    """One file, parsed; the project is untouched until ``apply``."""

    order: int = ORDER_LATE

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.summary = FileSummary(path, kind)

    def claims(self, run: "ImportRun") -> set[str]:
        """Practices this file brings into the project (memberships, list sizes)."""
        return set()

    def mentions(self) -> set[str]:
        """Practices it only refers to (registrations): kept when something else brings them in."""
        return set()

    def names(self) -> set[str]:
        """Practices it could describe (name the practice) if another file refers to them."""
        return set()

    def extract_dates(self) -> set[date]:
        return set()

    def undated_counts(self) -> int:
        """How many list sizes the file gives with no date (``import --list-date`` dates them)."""
        return 0

    def commissioners(self) -> set[str] | None:
        """Commissioner codes the file's rows carry (what ``--commissioner`` filters on);
        None when it has none to filter."""
        return None

    def assignments(self, run: "ImportRun") -> dict[str, tuple[str, str, int]]:
        """Practice -> (network code, network name, row) for the current memberships it sets."""
        return {}

    def stated_list_sizes(self, run: "ImportRun") -> dict[tuple[str, date], tuple[int, int | None]]:
        """(practice, date) -> (patients, row) for the list sizes it states (not derived ones)."""
        return {}

    def check(self, project: "Project", run: "ImportRun") -> None:
        """Cross-file checks; raise ImportRefused. Must not change the project."""

    def apply(self, project: "Project", run: "ImportRun") -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    detect: Callable[[Sample], bool]
    read: Callable[[Path, Sample], ParsedFile]


_KINDS: list[Kind] = []
_loaded = False


def register_kind(kind: Kind, before: str | None = None) -> Kind:
    """Add a kind; ``before`` puts it ahead of the named kind (for a more specific detector)."""
    global _KINDS
    _KINDS = [k for k in _KINDS if k.name != kind.name]
    names = [k.name for k in _KINDS]
    _KINDS.insert(names.index(before) if before in names else len(_KINDS), kind)
    return kind


# What a file no kind reads may be instead, and where it goes: (check, what to say) pairs,
# registered by the kind modules; the first that fits the file replaces "not recognised"
_HINTS: list[Callable[[Sample], str | None]] = []


def register_hint(hint: Callable[[Sample], str | None]) -> None:
    """``hint(sample)`` says what the file is and how to use it, or None."""
    _HINTS.append(hint)


def _unrecognised(path: Path, found: Sample) -> ImportRefused:
    for hint in _HINTS:
        said = hint(found)
        if said:
            return ImportRefused(path, None, said)
    known = ", ".join(k.label for k in kinds())
    return ImportRefused(path, None, f"not a file this import recognises (known kinds: {known})")


def kinds() -> list[Kind]:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in KIND_MODULES:
            importlib.import_module(module)
    return list(_KINDS)


def sample(path: Path) -> Sample:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise ImportRefused(path, None, f"cannot be read ({exc.strerror or exc})") from None
    if _utf16(head):
        raise ImportRefused(path, None, "is UTF-16 text, which this import does not read: save it as "
                                        "CSV UTF-8 (or Windows-1252)")
    if _binary(head):
        return Sample(path, head, None)
    try:
        rows = first_rows(path, strict=True)
    except ImportRefused as exc:
        raise ImportRefused(path, None, f"not a file this import recognises: {exc.problem}") from None
    return Sample(path, head, rows)


def detect(path: Path) -> Kind:
    found = sample(path)
    for kind in kinds():
        if kind.detect(found):
            return kind
    raise _unrecognised(path, found)


def read_file(path: Path) -> ParsedFile:
    """Recognise and parse one file, within the guards of io/guard.py: whatever goes wrong
    (a library's exception, a warning, a budget run out) is an ImportRefused naming it."""
    from .guard import BudgetExceeded, budget, describe, quiet_warnings, regular_input
    notes: list[str] = []
    readable = path
    try:
        with regular_input(path) as readable, budget(path), quiet_warnings(notes):
            parsed = _read_recognised(readable)
    except ImportRefused as exc:
        if readable == path:
            raise
        # read from a copy of standard input: the user named the input, not the copy
        raise ImportRefused(exc.file.replace(str(readable), str(path)), exc.row, exc.problem, exc.unit) from None
    except (Exception, BudgetExceeded) as exc:    # a library's own error: one line, never a traceback
        raise ImportRefused(path, None, describe(exc)) from None
    parsed.path = parsed.summary.path = path
    parsed.summary.notes.extend(notes)
    return parsed


def _read_recognised(path: Path) -> ParsedFile:
    found = sample(path)
    for kind in kinds():
        if kind.detect(found):
            return kind.read(path, found)
    raise _unrecognised(path, found)


def _utf16(head: bytes) -> bool:
    """A byte-order mark, or text whose every other byte is zero."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:512]
    if len(sample) < 16:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) > 0.9 * len(odd) and even.count(0) == 0) or \
        (even.count(0) > 0.9 * len(even) and odd.count(0) == 0)


def _binary(head: bytes) -> bool:
    return b"\x00" in head[:4096] or head.startswith(b"PK\x03\x04")
