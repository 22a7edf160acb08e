"""Text files as the NHS and Excel write them: encodings, CSV rows with line numbers, headers by meaning.

Files exported from Excel on Windows are often cp1252, not UTF-8: a practice called
"St Andrew’s" must import either way. Reading is streamed and restarted in cp1252 only
when UTF-8 fails, so a national file is never held whole in memory twice.
"""
from __future__ import annotations

import csv
import re
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from .errors import ImportRefused

T = TypeVar("T")
ENCODINGS = ("utf-8-sig", "cp1252")
PRACTICE_CODE = re.compile(r"[A-Z][0-9]{5}")
COMMISSIONER_CODE = re.compile(r"[0-9A-Z]{3}|[0-9A-Z]{5}")
_SEPARATORS = re.compile(r"[\s._\-/]+")
_BRACKETS = re.compile(r"\([^)]*\)|\?")


def norm_header(name: object) -> str:
    """``Number.of.Patients``, ``NUMBER_OF_PATIENTS`` and ``Number of\\n Patients `` all -> ``number_of_patients``.

    Bracketed notes such as ``(YYYYMMDD)`` and question marks are dropped.
    """
    text = _BRACKETS.sub(" ", "" if name is None else str(name))
    return _SEPARATORS.sub("_", text.strip().casefold()).strip("_")


def find_column(header: Sequence[str], *meanings: str) -> int | None:
    """Index of the first normalised header equal to one of ``meanings`` (in order of preference)."""
    for wanted in meanings:
        for i, name in enumerate(header):
            if name == wanted:
                return i
    return None


def read_text_rows(path: Path, consume: Callable[[Iterator[tuple[int, list[str]]]], T],
                   header: bool = True) -> T:
    """Call ``consume`` with (line number, fields) for every CSV record, decoding UTF-8 or cp1252.

    The line number is where the record starts, as an editor shows it. Blank lines (Excel and
    hand edits leave them, before the header too) are skipped. A record with an unterminated
    quote (a truncated file) is refused with its line, and so, when the file has a ``header``,
    is a record repeating it (two extracts joined into one file).
    """
    last_error: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            with open(path, encoding=encoding, newline="") as handle:
                return consume(_records(path, handle, header))
        except UnicodeDecodeError as exc:
            last_error = exc
    raise ImportRefused(path, None, f"not UTF-8 or Windows-1252 text ({_undecodable(last_error)})")


def _undecodable(exc: UnicodeDecodeError | None) -> str:
    if exc is None:
        return "undecodable"
    return f"byte 0x{exc.object[exc.start]:02x} at byte {exc.start:,} of a block cannot be decoded"


def _blank(row: list[str]) -> bool:
    return not any(field.strip() for field in row)


def _records(path: Path, handle, header: bool = True) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle, strict=True)
    start = 1
    first: list[str] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRefused(path, start, _csv_problem(exc)) from None
        if _blank(row):
            start = reader.line_num + 1
            continue
        if header:
            if first is None:
                first = [norm_header(f) for f in row]
            elif len(row) == len(first) and [norm_header(f) for f in row] == first:
                raise ImportRefused(path, start, "repeats the header row: two files joined into one? "
                                                 "Import each file on its own")
        yield start, row
        start = reader.line_num + 1


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (f"a field longer than {csv.field_size_limit():,} characters (a damaged file, "
                "or a quote never closed)")
    if "NUL" in text:
        return "contains a NUL byte (a binary or damaged file, not CSV text)"
    return f"malformed CSV ({text}): an unterminated quote, or the file is truncated"


def read_records(path: Path) -> list[list[str]] | None:
    """Every record of a UTF-8 CSV file whose records are one line each (record i is line i + 1).

    This is the fast readers' input: they check it column by column. None sends them to
    ``read_text_rows``, the streaming reader that names the exact line of any problem: a
    malformed record, a record spanning lines (a quoted line break), or text that is not
    UTF-8 (read there as cp1252, restarting as it always has).
    """
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
        rows = _split_lines(text)
    except (UnicodeDecodeError, csv.Error, OSError):
        return None
    if rows is None or not all(map(any, rows)):
        return None                          # a blank line: the careful reader skips it
    return rows


def _split_lines(text: str) -> list[list[str]] | None:
    """The records of ``text`` as csv.reader (strict) gives them, when each is one line; None
    when a record may span lines. Most national files quote nothing, or quote every field
    with no quote inside one: those lines are split as plain text (several times faster than
    the csv module); any other line with a quote goes through the csv module."""
    if "\x00" in text:
        return None                          # the careful reader names the NUL byte's row
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None                      # a lone carriage return: the csv module's line rules
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows: list[list[str]] = []
    quoted: list[int] = []
    longest = csv.field_size_limit()
    for i, line in enumerate(lines):
        if len(line) <= longest:             # else a field may be over the csv module's limit: it decides
            if '"' not in line:
                rows.append(line.split(","))
                continue
            n = line.count('"')
            if n % 2:
                return None                  # an open quote: a record spanning lines, or malformed
            if line[0] == '"' and line[-1] == '"':
                fields = line[1:-1].split('","')
                if n == 2 * len(fields):     # every field quoted, none holding a quote
                    rows.append(fields)
                    continue
        quoted.append(i)
        rows.append([])
    if quoted:
        parsed = list(csv.reader([lines[i] for i in quoted], strict=True))
        if len(parsed) != len(quoted):
            return None
        for i, fields in zip(quoted, parsed):
            rows[i] = fields
    return rows


def column(rows: Sequence[Sequence[str]], index: int) -> list[str]:
    return list(map(itemgetter(index), rows))


def stripped(values: Iterable[str], upper: bool = False) -> list[str]:
    out = map(str.strip, values)
    return list(map(str.upper, out) if upper else out)


def all_practice_codes(codes: Sequence[str]) -> bool:
    """True when every (stripped, upper-cased) text is an ODS practice code, as ``practice_code`` checks."""
    return all(map(PRACTICE_CODE.fullmatch, codes))


def date_lookup(values: Iterable[str]) -> dict[str, date | None] | None:
    """Each distinct text -> its date as ``parse_date`` reads it (None when blank), or None
    when any of them is not a date (the caller then finds the row with ``parse_date``)."""
    out: dict[str, date | None] = {}
    for raw in set(values):
        text = raw.strip()
        if not text:
            out[raw] = None
            continue
        try:
            parsed = _parse_date(text)
        except ValueError:
            parsed = None
        if parsed is None:
            return None
        out[raw] = parsed
    return out


def count_lookup(values: Iterable[str]) -> dict[str, int] | None:
    """Each distinct text -> its whole number as ``parse_count`` reads it, or None when any is not one."""
    out: dict[str, int] = {}
    for raw in set(values):
        text = raw.strip().replace(",", "")
        try:
            out[raw] = int(text)
            continue
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return None
        if not number.is_integer():
            return None
        out[raw] = int(number)
    return out


def first_rows(path: Path, count: int = 6, strict: bool = False) -> list[list[str]] | None:
    """The first few records, or None when the file is not readable as CSV text (with
    ``strict``, an ImportRefused saying why the text cannot be decoded)."""
    def take(records: Iterator[tuple[int, list[str]]]) -> list[list[str]]:
        out: list[list[str]] = []
        try:
            for _, row in records:
                out.append(row)
                if len(out) >= count:
                    break
        except ImportRefused:
            pass              # a malformed record: the reader will refuse it with its row
        return out
    try:
        return read_text_rows(path, take, header=False)
    except ImportRefused:
        if strict:
            raise
        return None
    except OSError:
        return None


def check_width(path: Path, line: int, row: list[str], width: int) -> None:
    if len(row) != width:
        what = "the file may be truncated" if len(row) < width else "a field may contain an unquoted comma"
        raise ImportRefused(path, line, f"has {len(row)} fields, expected {width} ({what})")


def practice_code(path: Path, line: int, raw: str, column: str = "practice code") -> str:
    """An ODS practice code (a letter and five digits), upper-cased, or a refusal."""
    code = raw.strip().upper()
    if not code:
        raise ImportRefused(path, line, f"no {column}")
    if not PRACTICE_CODE.fullmatch(code):
        raise ImportRefused(path, line, f"{column} '{raw.strip()}' is not an ODS practice code "
                                        "(a letter and five digits, e.g. P81008)")
    return code


def commissioner_code(raw: str) -> str:
    """An ODS CCG / sub-ICB code as given, or "" when the text is a label such as "E Lancs"."""
    text = raw.strip()
    return text if COMMISSIONER_CODE.fullmatch(text) else ""


@lru_cache(maxsize=256)
def _parse_date(text: str) -> date | None:
    if text.isdigit() and len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    for fmt in ("%d%b%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_date(path: Path, line: int, raw: object, column: str) -> date | None:
    """YYYYMMDD (text or number), ``01JAN2021``, ISO or dd/mm/yyyy; empty is None; else a refusal."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text:
        return None
    try:
        parsed = _parse_date(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ImportRefused(path, line, f"{column} '{text}' is not a date")
    return parsed


def parse_count(path: Path, line: int, raw: str, column: str) -> int:
    text = raw.strip().replace(",", "")
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            raise ImportRefused(path, line, f"{column} '{raw}' is not a number") from None
        if not number.is_integer():
            raise ImportRefused(path, line, f"{column} '{raw}' is not a whole number") from None
        value = int(number)
    return value


_NORMAL_POSTCODE = re.compile(r"[0-9A-Z]{2,4} [0-9A-Z]{3}")


def normal_postcode(raw: str) -> str:
    """``bb1 1ae`` / ``BB11AE`` -> ``BB1 1AE`` (the inward code is always three characters)."""
    if _NORMAL_POSTCODE.fullmatch(raw):
        return raw                  # as national files write them: already normal
    text = "".join(raw.split()).upper()
    return f"{text[:-3]} {text[-3:]}" if len(text) >= 5 else text
