"""``gp-reg-pat-prac-lsoa-all.csv``: patients of each practice by the small area (LSOA) they live in.

Also reads the R-exported copy (``lsoapops.csv``: a blank-named row-index column and
``Number.of.Patients``). ``LSOA_CODE = NO2011`` (or any code that is not an area code) means
"no LSOA": those patients count in the practice's list size but belong to no area.

Rows for practices that are neither in the project nor brought in by another file of the
run (a national file, or practices outside the ``--commissioner`` filter) do not add those
practices: their patients are kept per area as "other practices", so that an area's total
counts every registered patient living there (a border area served from a neighbouring CCG
is not handed to a network holding one of its patients). A practice's list size at the extract date is the sum of its rows
unless a list-size file of the same run, or the project already, gives one for that date.
A second row for the same practice, area and date is refused, naming both rows.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from ..domain.model import Project
from .errors import ImportRefused
from .limits import import_limits
from .plausible import check_count, check_list_date
from .kinds import ORDER_REGISTRATIONS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import check_width, find_column, norm_header, parse_count, parse_date, practice_code, read_text_rows

PRACTICE = ("practice_code", "org_code", "code")
AREA = ("lsoa_code", "lsoa11cd", "lsoa21cd", "lsoa", "area_code")
COUNT = ("number_of_patients", "patients", "count")
DATE = ("extract_date", "date")
NO_AREA = {"NO2011", "NO2021", ""}


def detect(sample: Sample) -> bool:
    return sample.has_any(*PRACTICE) and sample.has_any(*AREA) and sample.has_any(*COUNT)


class _Duplicate(Exception):
    def __init__(self, key: tuple, line: int) -> None:
        self.key, self.line = key, line


class Registrations(ParsedFile):
    order = ORDER_REGISTRATIONS

    def __init__(self, path: Path) -> None:
        super().__init__(path, "registrations by small area (gp-reg-pat-prac-lsoa-all)")
        self.counts: dict[date, dict[tuple[str, str], int]] = {}
        self.sums: dict[tuple[str, date], int] = {}
        self.no_area = 0

    def read(self) -> "Registrations":
        try:
            read_text_rows(self.path, self._consume)
        except _Duplicate as dup:
            first = read_text_rows(self.path, lambda records: self._first_line(records, dup.key))
            code, area, when = dup.key
            raise ImportRefused(self.path, dup.line, f"practice {code} has two rows for area {area} on "
                                                     f"{when.isoformat()} (rows {first} and {dup.line})") from None
        return self

    def _columns(self, head: list[str]) -> tuple[int, int, int, int | None, int | None]:
        header = [norm_header(h) for h in head]
        date_col = find_column(header, *DATE)
        if date_col is None:
            raise ImportRefused(self.path, 1, "no EXTRACT_DATE column: registrations need the date they were counted")
        return (find_column(header, *PRACTICE), find_column(header, *AREA), find_column(header, *COUNT),
                date_col, find_column(header, "sex"))

    def _consume(self, records) -> None:
        path, summary = self.path, self.summary
        summary.rows_read, self.no_area = 0, 0
        summary.skipped.clear()
        _, head = next(records)
        pi, ai, ni, di, si = self._columns(head)
        width, count_name, date_name = len(head), head[ni].strip(), head[di].strip()
        counts: dict[date, dict[tuple[str, str], int]] = defaultdict(dict)
        sums: dict[tuple[str, date], int] = defaultdict(int)
        dates: dict[str, date] = {}
        codes: dict[str, str] = {}
        most = import_limits().registrations_max
        for line, f in records:
            summary.rows_read += 1
            if len(f) != width:
                check_width(path, line, f, width)
            if si is not None and f[si].strip().upper() not in ("ALL", ""):
                summary.skip("rows by sex (the ALL rows are used)")
                continue
            raw = f[pi]
            code = codes.get(raw) or codes.setdefault(raw, practice_code(path, line, raw))
            raw_date = f[di]
            when = dates.get(raw_date) or dates.setdefault(
                raw_date, check_list_date(path, line, parse_date(path, line, raw_date, date_name), date_name))
            if when is None:
                raise ImportRefused(path, line, f"no {date_name}")
            n = check_count(path, line, parse_count(path, line, f[ni], count_name), count_name, most,
                            setting="registrations_max")
            sums[(code, when)] += n
            area = f[ai].strip().upper()
            if area in NO_AREA or area.startswith("NO"):
                self.no_area += n
                continue
            bucket = counts[when]
            key = (code, area)
            if key in bucket:
                raise _Duplicate((code, area, when), line)
            bucket[key] = n
        self.counts, self.sums = dict(counts), dict(sums)

    def _first_line(self, records, wanted: tuple) -> int:
        _, head = next(records)
        pi, ai, _ni, di, _si = self._columns(head)
        code, area, when = wanted
        for line, f in records:
            if (f[pi].strip().upper() == code and f[ai].strip().upper() == area
                    and parse_date(self.path, line, f[di], "date") == when):
                return line
        return 0

    def extract_dates(self) -> set[date]:
        return set(self.counts) | {d for _, d in self.sums}

    def mentions(self) -> set[str]:
        return {code for code, _ in self.sums}

    def apply(self, project: Project, run: ImportRun) -> None:
        summary, practices = self.summary, project.practices
        kept = skipped = outside = 0
        outsiders: set[str] = set()
        for when, rows in self.counts.items():
            target = project.registrations[when]
            other: dict[str, int] = {}
            for key, n in rows.items():
                if key[0] in practices:
                    target[key] = n
                    kept += 1
                else:
                    skipped += 1
                    other[key[1]] = other.get(key[1], 0) + n
                    outsiders.add(key[0])
                    outside += n
            if other:
                project.other_registrations[when] = other
        sized = 0
        for (code, when), n in self.sums.items():
            if code in practices and (code, when) not in run.list_sizes_set and when not in project.list_sizes[code]:
                project.list_sizes[code][when] = n
                sized += 1
        summary.kept = kept
        if skipped:
            summary.skip("practice not in the project or this run (e.g. outside the commissioner filter)", skipped)
            summary.notes.append(f"{outside:,} patients registered at {len(outsiders):,} practices outside the "
                                 "project kept as \"other practices\" in their areas' totals")
        if self.no_area:
            summary.notes.append(f"{self.no_area:,} patients with no LSOA (NO2011): counted in list sizes, not in any area")
        patients = sum(n for (c, _), n in self.sums.items() if c in practices)
        summary.notes.append(f"{len({c for c, _ in self.sums if c in practices}):,} practices kept, "
                             f"{patients:,} patients; list sizes taken from these rows for {sized:,} practices")


register_kind(Kind("registrations", "registrations by LSOA (gp-reg-pat-prac-lsoa-all)",
                   detect, lambda path, _s: Registrations(path).read()))
