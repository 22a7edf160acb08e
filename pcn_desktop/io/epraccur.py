"""ODS ``epraccur.csv``: the national catalogue of GP-type organisations (no header, 27 columns).

What it adds (PCN_RULES.md §5):
* only prescribing setting 4 (``RO76`` in the newer DSE files), i.e. GP practices;
* every active (A) and proposed (P) practice, within the ``--commissioner`` filter (column 15);
* a dormant (D) or closed (C) practice only when another file of the run, or the project,
  refers to it: a national catalogue is mostly closed practices nobody asked for;
* any practice another file of the run brings in (a membership or list-size row) is added or
  enriched whatever its commissioner, because that file named it explicitly;
* practices already in the project are enriched (name, address, postcode, status, dates,
  commissioner): ODS is the authority for these;
* an organisation of another prescribing setting (a walk-in centre, a special scheme) is added
  only when another file of the run or the project names it (a list-size file counts its
  patients too), and kept as what it is: named, with its setting as its ``kind``, so that it
  is never reported as a practice in no network.

A row with no postcode is refused when the practice is active or proposed and would be kept
(an active practice with no address is a damaged extract); for a dormant or closed practice
it is only noted, since ODS often blanks their addresses, and the practice has no coordinates.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import compress, repeat
from pathlib import Path
from collections.abc import Mapping as MappingABC
from typing import Iterator, Mapping, NamedTuple

from ..domain.model import Practice, PracticeStatus, Project
from ..domain.wording import plural
from .errors import ImportRefused
from .kinds import ORDER_CATALOGUE, Kind, ParsedFile, Sample, register_kind
from .postcodes import coordinates
from .run import ImportRun
from .text import (PRACTICE_CODE, Table, TableRecords, all_practice_codes, check_width, date_lookup, parse_date,
                   practice_code, read_table, read_text_rows, stripped)

WIDTH = 27
GP_SETTINGS = {"4", "RO76"}
STATUS = {"A": PracticeStatus.ACTIVE, "ACTIVE": PracticeStatus.ACTIVE,
          "C": PracticeStatus.CLOSED, "CLOSED": PracticeStatus.CLOSED, "INACTIVE": PracticeStatus.CLOSED,
          "D": PracticeStatus.DORMANT, "DORMANT": PracticeStatus.DORMANT,
          "P": PracticeStatus.PROPOSED, "PROPOSED": PracticeStatus.PROPOSED}


NOT_GP = "not a GP practice (prescribing setting other than 4 / RO76)"
OPEN = frozenset((PracticeStatus.ACTIVE, PracticeStatus.PROPOSED))
OUTSIDE = "outside the commissioner filter"
UNASKED = "dormant or closed, and no other file refers to it"


class Row(NamedTuple):
    line: int
    name: str
    address: tuple[str, ...]
    postcode: str
    opened: date | None
    closed: date | None
    status: PracticeStatus
    commissioner: str


class Catalogue(MappingABC):
    """The catalogue's GP practices column by column, as both readers leave them: the import
    makes its practices from the columns, with no object per row. As a mapping it is
    code -> ``Row``, each row made when asked for."""

    def __init__(self, codes: list[str], lines: list[int], names: list[str], addresses: list[tuple[str, ...]],
                 postcodes: list[str], opened: list[date | None], closed: list[date | None],
                 statuses: list[PracticeStatus], commissioners: list[str]) -> None:
        self.codes, self.lines, self.names, self.addresses, self.postcodes = codes, lines, names, addresses, postcodes
        self.opened, self.closed, self.statuses, self.commissioners = opened, closed, statuses, commissioners
        self._index: dict[str, int] | None = None

    @classmethod
    def of_rows(cls, rows: dict[str, Row]) -> "Catalogue":
        columns = list(map(list, zip(*rows.values()))) or [[] for _ in Row._fields]
        return cls(list(rows), *columns)

    def __getitem__(self, code: str) -> Row:
        if self._index is None:
            self._index = dict(zip(self.codes, range(len(self.codes))))
        i = self._index[code]
        return Row(self.lines[i], self.names[i], self.addresses[i], self.postcodes[i], self.opened[i],
                   self.closed[i], self.statuses[i], self.commissioners[i])

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


def detect(sample: Sample) -> bool:
    rows = sample.rows
    if not rows or len(rows[0]) != WIDTH:
        return False
    first = rows[0]
    return (bool(PRACTICE_CODE.fullmatch(first[0].strip()) or first[0].strip().isalnum())
            and (first[10].strip().isdigit() or not first[10].strip())
            and first[0].strip().upper() not in {"CODE", "ORGANISATION_CODE", "ORGANISATION CODE"})


class Epraccur(ParsedFile):
    order = ORDER_CATALOGUE

    def __init__(self, path: Path) -> None:
        super().__init__(path, "ODS practice catalogue (epraccur)")
        self.rows = Catalogue.of_rows({})
        # not GP practices: (line, fields)
        self.other_records: Mapping[str, tuple[int, list[str]]] = {}

    def read(self, careful: bool = False) -> "Epraccur":
        """Column-wise when the file is well formed; else row by row, refusing at the first bad row."""
        table = None if careful else read_table(self.path)
        if table is None or not self._read_columns(table):
            self._read_rows()
        return self

    def _read_columns(self, table: Table) -> bool:
        """The same rows as ``_read_rows`` from a file with no problem; False at the first doubt."""
        if not table.height or table.width != WIDTH:
            return False
        keys = stripped(table.column(0), upper=True)
        if len(set(keys)) != len(keys) or "" in keys:
            return False                     # a blank record, which the careful reader skips
        setting = table.column(25)
        is_gp = {v: v.strip().upper() in GP_SETTINGS for v in set(setting)}
        wanted = list(map(is_gp.__getitem__, setting))
        codes = list(compress(keys, wanted))
        # the columns kept, of the GP practices only
        name, *address, postcode, opened, closed, status, commissioner = table.columns(
            (1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14), wanted)
        status_of = {v: STATUS.get(v.strip().upper()) for v in set(status)}
        statuses = list(map(status_of.__getitem__, status))
        dates = date_lookup(opened + closed)
        if not all_practice_codes(codes) or None in statuses or dates is None:
            return False
        lines = list(compress(range(1, table.height + 1), wanted))
        unwanted = [not w for w in wanted]
        self.other_records = TableRecords(table, dict(zip(compress(keys, unwanted),
                                                          compress(range(table.height), unwanted))))
        address = list(map(stripped, address))
        addresses = list(map(tuple, map(filter, repeat(None), zip(*address))))
        self.rows = Catalogue(codes, lines, stripped(name), addresses, stripped(postcode),
                              list(map(dates.__getitem__, opened)), list(map(dates.__getitem__, closed)), statuses,
                              stripped(commissioner, upper=True))
        self.summary.rows_read = table.height
        if len(codes) < table.height:
            self.summary.skip(NOT_GP, table.height - len(codes))
        return True

    def _read_rows(self) -> None:
        others: dict[str, tuple[int, list[str]]] = {}
        self.other_records = others
        rows: dict[str, Row] = {}
        path, summary = self.path, self.summary
        seen: dict[str, int] = {}

        def consume(records) -> None:
            rows.clear(), seen.clear(), summary.skipped.clear()   # restarted when re-decoding
            others.clear()
            summary.rows_read = 0
            for line, f in records:
                summary.rows_read += 1
                check_width(path, line, f, WIDTH)
                raw = f[0].strip().upper()
                if raw in seen:
                    raise ImportRefused(path, line, f"organisation {raw} appears twice "
                                                    f"(rows {seen[raw]} and {line})")
                seen[raw] = line
                setting = f[25].strip().upper()
                if setting not in GP_SETTINGS:
                    summary.skip(NOT_GP)
                    others[raw] = (line, f)
                    continue
                code = practice_code(path, line, f[0], "organisation code")
                status = STATUS.get(f[12].strip().upper())
                if status is None:
                    raise ImportRefused(path, line, f"status '{f[12]}' is not A, C, D or P")
                rows[code] = Row(line, f[1].strip(), tuple(a.strip() for a in f[4:9] if a.strip()),
                                 f[9].strip(), parse_date(path, line, f[10], "open date"),
                                 parse_date(path, line, f[11], "close date"), status, f[14].strip().upper())
        read_text_rows(path, consume, header=False)    # epraccur has no header row
        self.rows = Catalogue.of_rows(rows)

    def commissioners(self) -> set[str] | None:
        return set(self.rows.commissioners) - {""}

    def names(self) -> set[str]:
        return set(self.rows.codes)

    def _keep(self, code: str, status: PracticeStatus, commissioner: str, project: Project,
              run: ImportRun) -> str | None:
        """None to keep the row, else the reason it is skipped."""
        if code in project.practices or code in run.claimed:
            return None
        if not run.in_filter(commissioner):
            return OUTSIDE
        if status in OPEN or code in run.mentioned:
            return None
        return UNASKED

    def check(self, project: Project, run: ImportRun) -> None:
        rows = self.rows
        if all(rows.postcodes):
            return                                   # every row has a postcode (one pass)
        for i, (code, postcode, status) in enumerate(zip(rows.codes, rows.postcodes, rows.statuses)):
            if (not postcode and status in OPEN
                    and self._keep(code, status, rows.commissioners[i], project, run) is None):
                raise ImportRefused(self.path, rows.lines[i], f"practice {code} is {status.label.lower()} "
                                                              "but has no postcode")

    def _kept(self, project: Project, run: ImportRun) -> tuple[list[bool], Counter[str]]:
        """Whether each row is kept (``_keep``), and how many are skipped for each reason, in
        one pass over the columns."""
        rows, skipped = self.rows, Counter()
        known, mentioned = run.claimed | project.practices.keys(), run.mentioned
        if run.commissioners is None:
            kept = [code in known or status in OPEN or code in mentioned
                    for code, status in zip(rows.codes, rows.statuses)]
            if not all(kept):
                skipped[UNASKED] = kept.count(False)
            return kept, skipped
        kept, in_filter = [], run.in_filter
        for code, status, commissioner in zip(rows.codes, rows.statuses, rows.commissioners):
            if code in known:
                kept.append(True)
            elif not in_filter(commissioner):
                kept.append(False)
                skipped[OUTSIDE] += 1
            else:
                kept.append(status in OPEN or code in mentioned)
                if not kept[-1]:
                    skipped[UNASKED] += 1
        return kept, skipped

    def apply(self, project: Project, run: ImportRun) -> None:
        summary, practices, rows = self.summary, project.practices, self.rows
        flags, skipped = self._kept(project, run)
        kept = list(compress(rows.codes, flags))
        # practices the project has are described again (ODS is the authority); the others
        # are made in one pass, added in the rows' order as one at a time would be
        fresh = flags
        if practices:
            fresh = list(flags)
            for i in compress(range(len(flags)), flags):
                p = practices.get(rows.codes[i])
                if p is None:
                    continue
                fresh[i] = False
                if p.postcode != rows.postcodes[i]:
                    p.latitude = p.longitude = None
                p.name, p.address, p.postcode = rows.names[i], rows.addresses[i], rows.postcodes[i]
                p.opened, p.closed, p.status = rows.opened[i], rows.closed[i], rows.statuses[i]
                p.commissioner = rows.commissioners[i]
        # each made with its point (as locate_practices would give it once the run is in: no
        # other file changes the postcode ODS gives), not visited again to be given it
        postcodes = list(compress(rows.postcodes, fresh))
        latitudes, longitudes = coordinates(postcodes)
        practices.update(zip(compress(rows.codes, fresh), map(
            Practice, compress(rows.codes, fresh), compress(rows.names, fresh), compress(rows.addresses, fresh),
            postcodes, latitudes, longitudes, compress(rows.statuses, fresh),
            compress(rows.opened, fresh), compress(rows.closed, fresh), compress(rows.commissioners, fresh))))
        for reason, n in skipped.items():
            summary.skip(reason, n)
        organisations, inactive = self._other_organisations(project, run)
        if organisations:
            summary.skip(NOT_GP, -organisations)
            summary.notes.append(f"{plural(organisations, 'organisation that is not a GP practice', 'organisations that are not GP practices')} kept as such, "
                                 "because another file names them (not counted as practices in no network)")
        summary.kept += len(kept)
        summary.practices.update(kept)
        # this file's practices are the rows kept and the organisations: their statuses are the rows'
        statuses = list(compress(rows.statuses, flags))
        closed = len(statuses) - statuses.count(PracticeStatus.ACTIVE) + inactive
        if closed:
            summary.notes.append(f"{closed} kept practices are not active (dormant, closed or proposed)")

    def _other_organisations(self, project: Project, run: ImportRun) -> tuple[int, int]:
        """Add or describe the non-GP organisations another file names; how many, and how many
        of them are not active."""
        kept = inactive = 0
        others = set(self.other_records)
        for code in sorted((others & run.claimed) | (others & run.mentioned) | (others & project.practices.keys())):
            line, f = self.other_records[code]
            status = STATUS.get(f[12].strip().upper())
            if status is None:
                raise ImportRefused(self.path, line, f"status '{f[12]}' is not A, C, D or P")
            p = project.practices.get(code)
            if p is None:
                if code not in run.claimed:
                    continue                 # only mentioned (registrations): it stays "other practices"
                p = project.practices[code] = Practice(code)
            p.name = f[1].strip() or p.name
            p.address = tuple(a.strip() for a in f[4:9] if a.strip())
            if p.postcode != f[9].strip():
                p.latitude = p.longitude = None
            p.postcode = f[9].strip()
            p.opened = parse_date(self.path, line, f[10], "open date")
            p.closed = parse_date(self.path, line, f[11], "close date")
            p.status, p.commissioner = status, f[14].strip().upper()
            p.kind = f"prescribing setting {f[25].strip() or 'blank'}"
            self.summary.practices.add(code)
            kept += 1
            inactive += status is not PracticeStatus.ACTIVE
        return kept, inactive


register_kind(Kind("epraccur", "ODS epraccur.csv", detect, lambda path, _s: Epraccur(path).read()))
