"""ODS ``epraccur.csv``: the national catalogue of GP-type organisations (no header, 27 columns).

What it adds (PCN_RULES.md §5):
* only prescribing setting 4 (``RO76`` in the newer DSE files), i.e. GP practices;
* every active (A) and proposed (P) practice, within the ``--commissioner`` filter (column 15);
* a dormant (D) or closed (C) practice only when another file of the run, or the project,
  refers to it: a national catalogue is mostly closed practices nobody asked for;
* any practice another file of the run brings in (a membership or list-size row) is added or
  enriched whatever its commissioner, because that file named it explicitly;
* practices already in the project are enriched (name, address, postcode, status, dates,
  commissioner): ODS is the authority for these.

A row with no postcode is refused when the practice is active or proposed and would be kept
(an active practice with no address is a damaged extract); for a dormant or closed practice
it is only noted, since ODS often blanks their addresses, and the practice has no coordinates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.model import PracticeStatus, Project
from .errors import ImportRefused
from .kinds import ORDER_CATALOGUE, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import PRACTICE_CODE, check_width, parse_date, practice_code, read_text_rows

WIDTH = 27
GP_SETTINGS = {"4", "RO76"}
STATUS = {"A": PracticeStatus.ACTIVE, "ACTIVE": PracticeStatus.ACTIVE,
          "C": PracticeStatus.CLOSED, "CLOSED": PracticeStatus.CLOSED, "INACTIVE": PracticeStatus.CLOSED,
          "D": PracticeStatus.DORMANT, "DORMANT": PracticeStatus.DORMANT,
          "P": PracticeStatus.PROPOSED, "PROPOSED": PracticeStatus.PROPOSED}


@dataclass(slots=True)
class Row:
    line: int
    name: str
    address: tuple[str, ...]
    postcode: str
    opened: date | None
    closed: date | None
    status: PracticeStatus
    commissioner: str


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
        self.rows: dict[str, Row] = {}

    def read(self) -> "Epraccur":
        path, rows, summary = self.path, self.rows, self.summary
        seen: dict[str, int] = {}

        def consume(records) -> None:
            rows.clear(), seen.clear(), summary.skipped.clear()   # restarted when re-decoding
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
                    summary.skip("not a GP practice (prescribing setting other than 4 / RO76)")
                    continue
                code = practice_code(path, line, f[0], "organisation code")
                status = STATUS.get(f[12].strip().upper())
                if status is None:
                    raise ImportRefused(path, line, f"status '{f[12]}' is not A, C, D or P")
                rows[code] = Row(line, f[1].strip(), tuple(a.strip() for a in f[4:9] if a.strip()),
                                 f[9].strip(), parse_date(path, line, f[10], "open date"),
                                 parse_date(path, line, f[11], "close date"), status, f[14].strip().upper())
        read_text_rows(path, consume)
        return self

    def names(self) -> set[str]:
        return set(self.rows)

    def _keep(self, code: str, row: Row, project: Project, run: ImportRun) -> str | None:
        """None to keep the row, else the reason it is skipped."""
        if code in project.practices or code in run.claimed:
            return None
        if not run.in_filter(row.commissioner):
            return "outside the commissioner filter"
        if row.status in (PracticeStatus.ACTIVE, PracticeStatus.PROPOSED) or code in run.mentioned:
            return None
        return "dormant or closed, and no other file refers to it"

    def check(self, project: Project, run: ImportRun) -> None:
        for code, row in self.rows.items():
            if (not row.postcode and row.status in (PracticeStatus.ACTIVE, PracticeStatus.PROPOSED)
                    and self._keep(code, row, project, run) is None):
                raise ImportRefused(self.path, row.line, f"practice {code} is {row.status.label.lower()} "
                                                         "but has no postcode")

    def apply(self, project: Project, run: ImportRun) -> None:
        summary = self.summary
        for code, row in self.rows.items():
            reason = self._keep(code, row, project, run)
            if reason is not None:
                summary.skip(reason)
                continue
            p = run.practice(project, code)
            if p.postcode != row.postcode:
                p.latitude = p.longitude = None
            p.name, p.address, p.postcode = row.name, row.address, row.postcode
            p.opened, p.closed, p.status, p.commissioner = row.opened, row.closed, row.status, row.commissioner
            summary.kept += 1
            summary.practices.add(code)
        closed = sum(project.practices[c].status is not PracticeStatus.ACTIVE for c in summary.practices)
        if closed:
            summary.notes.append(f"{closed} kept practices are not active (dormant, closed or proposed)")


register_kind(Kind("epraccur", "ODS epraccur.csv", detect, lambda path, _s: Epraccur(path).read()))
