"""A plain practice -> network CSV: the format ``pcn-desktop export --what practices`` writes.

Columns (by meaning, any case/spacing): ``practice_code`` and ``network_name`` (or
``network_code``) required; ``network_code``, ``practice_name``, ``list_size`` with
``list_date``, ``postcode``, ``latitude``, ``longitude``, ``commissioner`` optional. Synonyms
seen in real files are accepted: Pennine Lancashire's ``PCNdefs.csv`` (``PCode, Practice Name,
PCN, CCG``) and NHS Digital's ``MAPPING_NHS_GEOGRAPHIES_2021.csv`` (``PRACTICE_CODE,
PCN_ODS_CODE, PCN_NAME, CCG_ODS_CODE``).

Networks match existing ones by code, else by normalised name, else are created. A practice
listed twice is a contradiction and is refused naming both rows. A practice that neither the
project nor another file of the run knows must have a name in its row. A blank network
leaves the practice unassigned (its membership, if any, is not changed), and so does NHS
Digital's mark for a practice in no PCN: network code ``U`` (named "Unallocated"). The commissioner
filter applies only when the commissioner column holds ODS codes (a label like "E Lancs"
cannot be filtered on and every row is kept). A ``list_size`` is counted at ``list_date``,
else ``import --list-date``, else the latest extract date of the other files in the run;
with none of these it is kept undated (counted at the import's date) and a warning finding
says so. ``status`` (ODS A/C/D/P or the word), ``opened`` and ``closed`` (dates) and ``kind`` (blank for a
GP practice) describe a practice this file brings in; ODS (epraccur) stays the authority
for a practice it describes.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import compress, repeat
from operator import attrgetter
from pathlib import Path
from typing import Iterator, NamedTuple

from ..domain.model import PracticeStatus, Project
from ..domain.wording import plural
from .errors import ImportRefused
from .limits import import_limits
from .plausible import check_coordinates, check_count, check_list_date, coordinates_plausible, counts_in_range, \
    list_date_plausible
from .kinds import ORDER_NETWORKS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import (Table, all_practice_codes, check_width, commissioner_code, count_lookup, date_lookup,
                   find_column, norm_header, parse_count, parse_date, practice_code, read_table,
                   read_text_rows, stripped, upper_cased)

PRACTICE = ("practice_code", "pcode", "partner_organisation_code", "practice_ods_code", "org_code", "gp_code",
            "gp_practice_code", "code", "practice")
NETWORK_NAME = ("network_name", "pcn_name", "pcn", "network")
NETWORK_CODE = ("network_code", "pcn_code", "pcn_ods_code")
PRACTICE_NAME = ("practice_name", "partner_name", "name")
LIST_SIZE = ("list_size", "patients", "number_of_patients")
COMMISSIONER = ("commissioner", "ccg_ods_code", "ccg_code", "sub_icb_location_code", "ccg")
# NHS Digital's mark for a practice in no PCN (PCN_RULES.md §5): code U, named "Unallocated"
NO_PCN_CODE, NO_PCN_NAME = "U", "unallocated"


def _columns(head: list[str]) -> dict[str, int | None]:
    header = [norm_header(h) for h in head]
    return {key: find_column(header, *names) for key, names in (
        ("code", PRACTICE), ("net", NETWORK_NAME), ("netcode", NETWORK_CODE), ("name", PRACTICE_NAME),
        ("size", LIST_SIZE), ("date", ("list_date", "extract_date")), ("postcode", ("postcode",)),
        ("lat", ("latitude", "lat")), ("lon", ("longitude", "long", "lon", "lng")), ("ccg", COMMISSIONER),
        ("status", ("status",)), ("closed", ("closed", "close_date")), ("kind", ("kind",)),
        ("opened", ("opened", "open_date")))}


STATUS = {"A": PracticeStatus.ACTIVE, "ACTIVE": PracticeStatus.ACTIVE, "C": PracticeStatus.CLOSED,
          "CLOSED": PracticeStatus.CLOSED, "D": PracticeStatus.DORMANT, "DORMANT": PracticeStatus.DORMANT,
          "P": PracticeStatus.PROPOSED, "PROPOSED": PracticeStatus.PROPOSED}


def _status(path: Path, line: int, text: str) -> PracticeStatus | None:
    if not text.strip():
        return None
    found = STATUS.get(text.strip().upper())
    if found is None:
        raise ImportRefused(path, line, f"status '{text}' is not A, C, D or P (Active, Closed, Dormant, Proposed)")
    return found


def _float_lookup(values: list[str]) -> dict[str, float | None] | None:
    """Each distinct stripped text -> its number (None when blank), or None when one is not a number."""
    out: dict[str, float | None] = {}
    for text in set(values):
        try:
            out[text] = float(text) if text else None
        except ValueError:
            return None
    return out


def detect(sample: Sample) -> bool:
    return sample.has_any(*PRACTICE) and sample.has_any(*NETWORK_NAME, *NETWORK_CODE)


class Row(NamedTuple):
    line: int
    code: str
    network_code: str
    network_name: str
    name: str
    postcode: str
    latitude: float | None
    longitude: float | None
    commissioner: str
    list_size: int | None
    list_date: date | None
    status: PracticeStatus | None = None
    closed: date | None = None
    kind: str = ""
    opened: date | None = None


class Rows(Sequence):
    """The rows column by column, as both readers leave them: ``columns`` is a ``Row`` whose
    fields are lists, one value a row, and the import works on them with no object per row.
    As a sequence it gives each ``Row``, made when asked for."""

    def __init__(self, columns: Row) -> None:
        self.columns = columns

    @classmethod
    def of(cls, rows: list[Row]) -> "Rows":
        return cls(Row._make(map(list, zip(*rows))) if rows else Row._make([] for _ in Row._fields))

    def chosen(self, flags: list[bool]) -> "Rows":
        """The rows whose flag is true."""
        return Rows(Row._make(list(compress(column, flags)) for column in self.columns))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return Row._make(column[i] for column in self.columns)

    def __iter__(self) -> Iterator[Row]:
        return map(Row._make, zip(*self.columns))

    def __len__(self) -> int:
        return len(self.columns.line)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rows) and self.columns == other.columns

    __hash__ = None            # type: ignore[assignment]


def _described_already(codes: list[str], practices: dict, described: set[str]) -> bool:
    """Every practice described by another file of the run, with its name and commissioner (a
    national list after the catalogue): a file with no postcode or coordinates has nothing
    to give any of them, as ``Mapping.apply`` would find one by one. In C-level passes."""
    found = list(map(practices.get, codes))
    # a practice is always true: ``all`` finds a None with no comparison (``in`` calls __eq__ on each)
    return all(found) and described.issuperset(codes) and all(map(attrgetter("name"), found)) \
        and all(map(attrgetter("commissioner"), found))


class Mapping(ParsedFile):
    order = ORDER_NETWORKS

    def __init__(self, path: Path, kind: str = "practice -> network list") -> None:
        super().__init__(path, kind)
        self.where: Path | str = path           # what a refusal names: the file (and its sheet)
        self.rows = Rows.of([])
        self.no_pcn: set[str] = set()           # practices the file marks as in no PCN

    def read(self, careful: bool = False) -> "Mapping":
        """Column-wise when the file is well formed; else row by row, refusing at the first bad row."""
        table = None if careful else read_table(self.path)
        if table is None or not self._read_columns(table):
            read_text_rows(self.path, self._consume)
        return self._settled()

    def _settled(self) -> "Mapping":
        """The rows read, with commissioner labels and NHS Digital's no-PCN mark taken as what they are."""
        columns = self.rows.columns
        if columns.commissioner and not any(map(commissioner_code, columns.commissioner)):
            # labels such as "BwD" are not ODS codes: not stored
            self.rows = Rows(columns._replace(commissioner=[""] * len(self.rows)))
        self._drop_no_pcn_marker()
        return self

    def _drop_no_pcn_marker(self) -> None:
        """NHS Digital's files mark a practice in no PCN with the network code ``U`` (named
        "Unallocated"): a blank network, not a network of that name. Read as one, it made a
        "network" of the 70 such practices of all England, 412,127 patients, and reported
        none of them as in no network."""
        columns = self.rows.columns
        codes, names = columns.network_code, columns.network_name
        if NO_PCN_CODE not in codes and not any(n.casefold() == NO_PCN_NAME for n in set(names)):
            return
        marked = [c == NO_PCN_CODE or (not c and n.casefold() == NO_PCN_NAME) for c, n in zip(codes, names)]
        self.no_pcn = set(compress(columns.code, marked))
        keep = [not m for m in marked]
        self.rows = Rows(columns._replace(
            network_code=[c if k else "" for c, k in zip(codes, keep)],
            network_name=[n if k else "" for n, k in zip(names, keep)]))

    def _read_columns(self, table: Table) -> bool:
        """The same rows as ``_consume`` from a file with no problem; False at the first doubt."""
        if table.height < 2 or table.width < 0:
            return False
        head, body = table.record(0), table.body()
        height = table.height - 1
        col = _columns(head)
        texts: dict[str, list[str]] = {}

        def text(key: str) -> list[str]:
            # each column is asked for more than once: stripped once
            found = texts.get(key)
            if found is None:
                found = texts[key] = stripped(body.column(col[key])) \
                    if col[key] is not None else [""] * height
            return found

        codes = stripped(body.column(col["code"]), upper=True)
        if not all_practice_codes(codes) or len(set(codes)) != len(codes):
            return False
        lats, lons, sizes = text("lat"), text("lon"), text("size")
        numbers = _float_lookup(lats + lons)
        counts = count_lookup(v for v in sizes if v)
        dates = date_lookup(text("date")) if col["date"] is not None else {"": None}
        if numbers is None or counts is None or dates is None:
            return False
        closed = date_lookup(text("closed") + text("opened")) \
            if col["closed"] is not None or col["opened"] is not None else {"": None}
        statuses = {v: STATUS.get(v.upper()) for v in set(text("status"))}
        if closed is None or any(v and s is None for v, s in statuses.items()):
            return False
        most = import_limits().list_size_max
        if not counts_in_range(counts.values(), most) or \
                not all(map(list_date_plausible, dates.values())) or \
                not all(coordinates_plausible(numbers[a], numbers[b]) for a, b in set(zip(lats, lons))):
            return False                     # the careful reader names the row and the cause
        networks = {v: " ".join(v.split()) for v in set(text("net"))}

        def looked_up(key: str, found: dict, absent: object = None) -> list:
            # a column the file does not have is the same value in every row
            return [absent] * height if col[key] is None else list(map(found.__getitem__, text(key)))

        self.rows = Rows(Row(
            list(range(2, height + 2)), codes, upper_cased(text("netcode")),
            list(map(networks.__getitem__, text("net"))), text("name"), text("postcode"),
            looked_up("lat", numbers), looked_up("lon", numbers), text("ccg"),
            [counts[v] if v else None for v in sizes] if col["size"] is not None else [None] * height,
            looked_up("date", dates), looked_up("status", statuses), looked_up("closed", closed), text("kind"),
            looked_up("opened", closed)))
        self.summary.rows_read = height
        return True

    def _consume(self, records) -> None:
        path, summary = self.where, self.summary
        rows: list[Row] = []
        summary.rows_read = 0
        _, head = next(records)
        col = _columns(head)
        seen: dict[str, int] = {}

        def text(f: list[str], key: str) -> str:
            i = col[key]
            return f[i].strip() if i is not None else ""

        def number(f: list[str], line: int, key: str) -> float | None:
            raw = text(f, key)
            if not raw:
                return None
            try:
                return float(raw)
            except ValueError:
                raise ImportRefused(path, line, f"{head[col[key]].strip()} '{raw}' is not a number") from None

        for line, f in records:
            if not any(x.strip() for x in f):
                continue
            summary.rows_read += 1
            check_width(path, line, f, len(head))
            code = practice_code(path, line, f[col["code"]], head[col["code"]].strip() or "practice code")
            if code in seen:
                raise ImportRefused(path, line, f"practice {code} is listed twice (rows {seen[code]} and {line})")
            seen[code] = line
            size_text = text(f, "size")
            latitude, longitude = number(f, line, "lat"), number(f, line, "lon")
            check_coordinates(path, line, latitude, longitude)
            size = None
            if size_text:
                size_name = head[col["size"]].strip()
                size = check_count(path, line, parse_count(path, line, size_text, size_name), size_name,
                                   import_limits().list_size_max)
            rows.append(Row(
                line, code, text(f, "netcode").upper(), " ".join(text(f, "net").split()), text(f, "name"),
                text(f, "postcode"), latitude, longitude, text(f, "ccg"), size,
                check_list_date(path, line, parse_date(path, line, text(f, "date"), "list_date"), "list_date")
                if col["date"] is not None else None,
                _status(path, line, text(f, "status")),
                parse_date(path, line, text(f, "closed"), "closed") if col["closed"] is not None else None,
                text(f, "kind"),
                parse_date(path, line, text(f, "opened"), "opened") if col["opened"] is not None else None))
        self.rows = Rows.of(rows)

    def _kept(self, run: ImportRun) -> Rows:
        if run.commissioners is None:
            return self.rows
        return self.rows.chosen([not c or run.in_filter(c) for c in self.rows.columns.commissioner])

    def claims(self, run: ImportRun) -> set[str]:
        return set(self._kept(run).columns.code)

    def commissioners(self) -> set[str] | None:
        codes = {c.strip().upper() for c in self.rows.columns.commissioner if commissioner_code(c)}
        return codes or None                 # labels such as "E Lancs" cannot be filtered on

    def names(self) -> set[str]:
        columns = self.rows.columns
        if all(columns.name):
            return set(columns.code)         # every row names its practice
        return set(compress(columns.code, columns.name))

    def undated_counts(self) -> int:
        columns = self.rows.columns
        return sum(n is not None and d is None for n, d in zip(columns.list_size, columns.list_date))

    def assignments(self, run: ImportRun) -> dict[str, tuple[str, str, int]]:
        k = self._kept(run).columns
        return {code: (net_code, net_name, line) for code, net_code, net_name, line in
                zip(k.code, k.network_code, k.network_name, k.line) if net_code or net_name}

    def stated_list_sizes(self, run: ImportRun) -> dict[tuple[str, date], tuple[int, int | None]]:
        # a size without list_date is only assumed to be of the others' date: not a statement
        k = self._kept(run).columns
        if k.list_date.count(None) == len(k.list_date):
            return {}                          # no dated size (a plain list of networks)
        return {(code, when): (n, line) for code, when, n, line in zip(k.code, k.list_date, k.list_size, k.line)
                if n is not None and when is not None}

    def check(self, project: Project, run: ImportRun) -> None:
        k = self._kept(run).columns
        for code, name, latitude, longitude, line in zip(k.code, k.name, k.latitude, k.longitude, k.line):
            if not name and code not in project.practices and code not in run.named:
                raise ImportRefused(self.where, line, f"practice {code} is not in the project or in the other "
                                                     "files of this import, and the row gives no practice name")
            if (latitude is None) != (longitude is None):
                raise ImportRefused(self.where, line, "latitude and longitude must be given together")

    def apply(self, project: Project, run: ImportRun) -> None:
        summary = self.summary
        kept = self._kept(run)
        k = kept.columns
        dates = run.run_dates(exclude=self) or set(project.list_dates())
        fallback = run.list_date or (max(dates) if dates else None)
        undated = sum(n is not None and d is None for n, d in zip(k.list_size, k.list_date))
        if undated and fallback is None:
            fallback = run.undated(project, self, undated)
        elif undated:
            summary.notes.append(f"{undated:,} list sizes with no list_date counted at {fallback.isoformat()}"
                                 + (" (--list-date)" if run.list_date else ", the latest date of the other files"))
        summary.skip("outside the commissioner filter", len(self.rows) - len(kept))
        ccg_of = {text: commissioner_code(text) for text in set(k.commissioner)}
        described = set().union(*(f.summary.practices for f in run.files if f.order < self.order))
        practices, list_sizes, sizes_set = project.practices, project.list_sizes, run.list_sizes_set
        # ~6,500 rows of a national file, column by column: a column with nothing to give (no
        # postcode, coordinates or list size in the file) is not looked at row by row
        postcodes = k.postcode if any(k.postcode) else None
        latitudes = k.latitude if k.latitude.count(None) != len(k.latitude) else None
        nothing = postcodes is None and latitudes is None and _described_already(k.code, practices, described)
        for code, status, closed, opened, kind, name, postcode, latitude, longitude, commissioner in () if nothing \
                else zip(k.code, k.status, k.closed, k.opened, k.kind, k.name, postcodes or repeat(""),
                         latitudes or repeat(None), k.longitude, k.commissioner):
            p = practices.get(code)
            new = p is None or (code not in described and not p.name)
            if p is None:
                p = run.practice(project, code)
            if new:
                # a practice ODS does not describe in this run: the row's own status and kind
                p.status = status or p.status
                p.closed = closed or p.closed
                p.opened = opened or p.opened
                p.kind = kind or p.kind
            if not p.name:
                p.name = name
            if postcode and not p.postcode:
                p.postcode = postcode
            if latitude is not None:
                p.latitude, p.longitude = latitude, longitude
            if not p.commissioner:
                p.commissioner = ccg_of[commissioner]
        if k.list_size.count(None) != len(k.list_size):
            for code, n, when in zip(k.code, k.list_size, k.list_date):
                if n is not None:
                    when = when or fallback
                    list_sizes[code][when] = n
                    sizes_set.add((code, when))
        # networks found and joined after every row is read (neither reads practices): in the
        # rows' order, so the project's networks and memberships are in the same order either way
        assigning = list(map(bool, k.network_code)) if all(k.network_code) else \
            [bool(c or n) for c, n in zip(k.network_code, k.network_name)]
        joined = list(compress(k.code, assigning))
        ids = run.network_ids(project, zip(compress(k.network_code, assigning), compress(k.network_name, assigning),
                                           map(ccg_of.__getitem__, compress(k.commissioner, assigning))))
        run.join_all(project, list(zip(joined, ids)))
        summary.practices.update(k.code)
        summary.kept = len(kept)
        networks = project.first_networks(k.code)
        summary.notes.append(f"{plural(len(joined), 'practice')} assigned to {plural(len(networks), 'network')}")
        unallocated = len(self.no_pcn.intersection(k.code))
        if unallocated:
            summary.notes.append(f"{plural(unallocated, 'practice')} marked as in no PCN (network code {NO_PCN_CODE}, "
                                 f"\"Unallocated\"): left in no network")
        if not summary.skipped["outside the commissioner filter"]:
            del summary.skipped["outside the commissioner filter"]


register_kind(Kind("mapping", "practice -> network CSV (practice_code, network_name)",
                   detect, lambda path, _s: Mapping(path).read()))
