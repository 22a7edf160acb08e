"""Practice list sizes: ``gp-reg-pat-prac-all.csv`` and single-age populations.

One reader for three shapes of the same fact, "patients registered at a practice":
* NHS ``gp-reg-pat-prac-all.csv``: one ``SEX=ALL, AGE=ALL`` row per practice and extract date;
* NHS ``gp-reg-pat-prac-sing-age-*.csv``: one row per sex and single year of age, summed;
* ``practicepops.csv`` (an R export): ``ORG_CODE, SEX, AGE, POP, abs_pop`` with no date.
When a practice has an ALL/ALL row, that row is its list size; otherwise its single-age rows
are summed. Male counts written negative for drawing pyramids (``POP``) are taken as positive.

A file with no date column (practicepops) takes the latest extract date of the other files
in the same run (its source extract is the same publication as the registrations it came
with); alone, it is refused, because a list size without a date cannot be counted.

Files with postcode and commissioner columns can bring practices in (within the
``--commissioner`` filter); ``practicepops`` only adds list sizes to practices the project or
the run already has, and its other rows are skipped and counted.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path

from ..domain.model import Project
from .errors import ImportRefused
from .limits import import_limits
from .plausible import check_count, check_list_date, counts_in_range, list_date_plausible
from .kinds import ORDER_LIST_SIZES, ORDER_POPULATIONS, Kind, ParsedFile, Sample, register_kind
from .run import ImportRun
from .text import (Table, all_practice_codes, check_width, count_lookup, date_lookup, find_column, norm_header,
                   parse_count, parse_date, plain_digits, practice_code, read_table, read_text_rows, stripped)

CODE = ("code", "org_code", "practice_code", "practice")
COUNT = ("number_of_patients", "abs_pop", "patients", "pop")
DATE = ("extract_date", "date")
COMMISSIONER = ("ccg_code", "sub_icb_location_code", "sub_icb_loc_code", "ccg_ods_code", "commissioner")
NETWORK_HINTS = ("pcn", "pcn_name", "pcn_code", "network_name", "pcn_ods_code", "lsoa_code", "lsoa11cd")


SUBTOTAL = "subtotal by sex or by age only (the totals are used)"


def _columns(head: list[str]) -> tuple[int | None, ...]:
    """Indexes of code, count, date, commissioner, postcode, sex and age (None when absent)."""
    header = [norm_header(h) for h in head]
    return tuple(find_column(header, *names) for names in
                 (CODE, COUNT, DATE, COMMISSIONER, ("postcode",), ("sex",), ("age",)))


def _signed(count_header: str) -> bool:
    """Only ``POP`` (drawn as a pyramid) carries males as negative counts."""
    return norm_header(count_header) == "pop"


def detect(sample: Sample) -> bool:
    return sample.has_any(*CODE) and sample.has_any(*COUNT) and not sample.has_any(*NETWORK_HINTS)


def _placed_already(places: dict[str, tuple[str, str]], practices: dict) -> bool:
    """Every practice known, with a postcode and a commissioner (a national file after the
    catalogue): nothing for ``Populations.apply`` to fill in. In C-level passes."""
    found = list(map(practices.get, places))
    # a practice is always true: ``all`` finds a None with no comparison (``in`` calls __eq__ on each)
    return all(found) and all(map(attrgetter("postcode"), found)) and \
        all(map(attrgetter("commissioner"), found))


class Populations(ParsedFile):
    def __init__(self, path: Path) -> None:
        super().__init__(path, "practice list sizes")
        self.totals: dict[tuple[str, date | None], int] = {}
        self.places: dict[str, tuple[str, str]] = {}       # code -> (postcode, commissioner)
        self.dated = True
        self.by_age = False

    def read(self, careful: bool = False) -> "Populations":
        """Column-wise when the file is well formed; else row by row, refusing at the first bad row."""
        table = None if careful else read_table(self.path)
        if table is None or not self._read_columns(table):
            read_text_rows(self.path, self._consume)
        if self.by_age:
            self.summary.kind = "single-age populations (summed per practice)"
        self.order = ORDER_POPULATIONS if self.by_age else ORDER_LIST_SIZES
        return self

    def _read_columns(self, table: Table) -> bool:
        """The same totals and places as ``_consume`` from a file with no problem; False at the first doubt."""
        if table.height < 2 or table.width < 0:
            return False
        head, body = table.record(0), table.body()
        height = table.height - 1
        ci, ni, di, gi, pi, si, ai = _columns(head)

        def column(index: int | None) -> list[str] | None:
            return None if index is None else body.column(index)

        codes = stripped(column(ci), upper=True)
        # a column holding one value (a national file's extract date, its SEX and AGE of ALL)
        # is not made text field by field
        when = body.uniform(di) if di is not None else None
        number, when_text = column(ni), [when] if when is not None else column(di)
        if plain_digits(number):
            ns = list(map(int, number))       # none negative: no abs to take
            counts = ns
        else:
            found = count_lookup(number)
            counts = found.values() if found is not None else None
            ns = list(map(abs, map(found.__getitem__, number))) if found is not None else []
        dates = date_lookup(when_text) if di is not None else {}
        if not all_practice_codes(codes) or counts is None or dates is None:
            return False
        most, signed = import_limits().list_size_max, _signed(head[ni])
        if not counts_in_range(counts, most, signed) or \
                not all(map(list_date_plausible, dates.values())) or None in dates.values():
            return False                     # the careful reader names the row
        whens = [dates[when]] * height if when is not None else \
            list(map(dates.__getitem__, when_text)) if di is not None else [None] * height
        totals_only = (si is None or body.uniform(si) == "ALL") and \
            (ai is None or body.uniform(ai) == "ALL")                  # (gp-reg-pat-prac-all)
        if totals_only:
            whole_row, detail_row = [True] * height, [False] * height
        else:
            sexes = column(si) if si is not None else ["ALL"] * height
            ages = column(ai) if ai is not None else ["ALL"] * height
            sexes, ages = stripped(sexes, upper=True), stripped(ages, upper=True)
            whole_row = [s == "ALL" and a == "ALL" for s, a in zip(sexes, ages)]
            detail_row = [s != "ALL" and a != "ALL" for s, a in zip(sexes, ages)]
        keys = list(zip(codes, whens))
        whole = dict(zip(keys, ns)) if totals_only else dict(zip(compress(keys, whole_row), compress(ns, whole_row)))
        if len(whole) != sum(whole_row):
            return False                                  # a practice with two list sizes for a date
        detail: dict[tuple[str, date | None], int] = defaultdict(int)
        for key, n in zip(compress(keys, detail_row), compress(ns, detail_row)):
            detail[key] += n
        used = whole_row if totals_only else [w or d for w, d in zip(whole_row, detail_row)]
        places: dict[str, tuple[str, str]] = {}
        if pi is not None:
            ccgs = stripped(column(gi), upper=True) if gi is not None else [""] * height
            using = codes if totals_only else list(compress(codes, used))
            pairs = zip(stripped(column(pi)), ccgs)
            pairs = pairs if totals_only else compress(pairs, used)
            if len(set(using)) == len(using):
                places = dict(zip(using, pairs))          # each practice once: its only row
            else:
                for code, place in zip(using, pairs):
                    places.setdefault(code, place)
            if not all(map(itemgetter(0), places.values())):
                return False
        self.dated, self.by_age, self.places = di is not None, not whole, places
        self.totals = {**{k: v for k, v in detail.items() if k not in whole}, **whole} if detail else whole
        self.summary.rows_read = height
        if height > sum(used):
            self.summary.skip(SUBTOTAL, height - sum(used))
        return True

    def _consume(self, records) -> None:
        path, summary = self.path, self.summary
        self.totals, self.places, summary.rows_read = {}, {}, 0
        summary.skipped.clear()
        _, head = next(records)
        ci, ni, di, gi, pi, si, ai = _columns(head)
        count_name = head[ni].strip()
        most, signed = import_limits().list_size_max, _signed(head[ni])
        self.dated = di is not None
        whole: dict[tuple[str, date | None], int] = {}
        whole_line: dict[tuple[str, date | None], int] = {}
        detail: dict[tuple[str, date | None], int] = defaultdict(int)
        width = len(head)
        for line, f in records:
            summary.rows_read += 1
            check_width(path, line, f, width)
            code = practice_code(path, line, f[ci])
            when = check_list_date(path, line, parse_date(path, line, f[di], head[di].strip()),
                                   head[di].strip()) if di is not None else None
            if di is not None and when is None:
                raise ImportRefused(path, line, f"no {head[di].strip()}: a list size needs the date it was counted")
            n = abs(check_count(path, line, parse_count(path, line, f[ni], count_name), count_name, most, signed))
            sex = f[si].strip().upper() if si is not None else "ALL"
            age = f[ai].strip().upper() if ai is not None else "ALL"
            key = (code, when)
            if sex == "ALL" and age == "ALL":
                if key in whole:
                    raise ImportRefused(path, line, f"practice {code} has two list sizes for the same date "
                                                    f"(rows {whole_line[key]} and {line})")
                whole[key], whole_line[key] = n, line
            elif sex != "ALL" and age != "ALL":
                detail[key] += n
            else:
                summary.skip(SUBTOTAL)
                continue
            if pi is not None and code not in self.places:
                postcode = f[pi].strip()
                if not postcode:
                    raise ImportRefused(path, line, f"practice {code} has no postcode")
                self.places[code] = (postcode, f[gi].strip().upper() if gi is not None else "")
        self.by_age = not whole
        self.totals = {**{k: v for k, v in detail.items() if k not in whole}, **whole}

    def extract_dates(self) -> set[date]:
        return set(map(itemgetter(1), self.totals)) - {None}

    def undated_counts(self) -> int:
        return 0 if self.dated else len(self.totals)

    def stated_list_sizes(self, run: ImportRun) -> dict[tuple[str, date], tuple[int, int | None]]:
        # an undated file's sizes are only assumed to be of the others' date: not a statement
        return {(code, when): (n, None) for (code, when), n in self.totals.items() if when is not None}

    def claims(self, run: ImportRun) -> set[str]:
        if run.commissioners is None:
            return set(self.places)
        return {code for code, (_pc, ccg) in self.places.items() if run.in_filter(ccg)}

    def commissioners(self) -> set[str] | None:
        codes = {ccg for _pc, ccg in self.places.values() if ccg}
        return codes or None

    def names(self) -> set[str]:
        return set(self.places)

    def _date(self, run: ImportRun) -> date | None:
        if run.list_date is not None:
            return run.list_date
        others = run.run_dates(exclude=self)
        return max(others) if others else None

    def check(self, project: Project, run: ImportRun) -> None:
        if not self.dated and self._date(run) is None:
            raise ImportRefused(self.path, None, "has no extract date column: import it together with the "
                                                 "registrations or list-size file of the same extract, "
                                                 "whose date it takes")

    def apply(self, project: Project, run: ImportRun) -> None:
        summary, fallback = self.summary, self._date(run)
        claimed, known = run.claimed, project.practices
        for code, (postcode, ccg) in () if _placed_already(self.places, known) else self.places.items():
            p = known.get(code)
            if p is not None:
                if not p.postcode:
                    p.postcode = postcode
                if not p.commissioner:
                    p.commissioner = ccg
            elif code in claimed:
                p = run.practice(project, code)
                p.postcode, p.commissioner = postcode, ccg
                summary.practices.add(code)
        if not self.dated:
            summary.notes.append(f"no date column: list sizes counted at {fallback.isoformat()}, "
                                 "the latest extract date of the other files")
        practices = patients = 0
        list_sizes, given = project.list_sizes, run.list_sizes_set
        skipped: dict[str, int] = {}                # counted here, in the order first met
        keys, counts = list(self.totals), list(self.totals.values())
        codes, whens = list(map(itemgetter(0), keys)), list(map(itemgetter(1), keys))
        bulk = all(whens) and all(map(known.__contains__, codes)) and given.isdisjoint(keys)
        if bulk:
            # every count dated, of a practice the project has, none given before (a national file)
            if list_sizes.keys().isdisjoint(codes) and len(set(codes)) == len(codes):
                list_sizes.update({code: {when: n} for code, when, n in zip(codes, whens, counts)})
            else:
                for code, when, n in zip(codes, whens, counts):
                    list_sizes[code][when] = n
            given.update(keys)
            practices, patients = len(keys), sum(counts)
        for key, n in () if bulk else self.totals.items():
            code, when = key
            if code not in known:
                reason = "practice not in the project or this run (e.g. outside the commissioner filter)"
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            if not when:
                key = (code, fallback)         # else the dated key itself: no new tuple to keep
            if key in given:
                reason = "list size already given by another list-size file of this run"
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            list_sizes[code][key[1]] = n
            given.add(key)
            practices += 1
            patients += n
        for reason, rows in skipped.items():
            summary.skip(reason, rows)
        summary.kept = practices
        summary.notes.append(f"{practices:,} practice list sizes recorded, {patients:,} patients")


register_kind(Kind("populations", "practice list sizes (gp-reg-pat-prac-all / single-age populations)",
                   detect, lambda path, _s: Populations(path).read()))
