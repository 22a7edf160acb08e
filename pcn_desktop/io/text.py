"""Text files as the NHS and Excel write them: encodings, CSV rows with line numbers, headers by meaning.

Files exported from Excel on Windows are often cp1252, not UTF-8: a practice called
"St Andrew’s" must import either way. Reading is streamed and restarted in cp1252 only
when UTF-8 fails, so a national file is never held whole in memory twice.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Mapping as MappingABC
from datetime import date, datetime
from functools import lru_cache
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from .errors import ImportRefused

T = TypeVar("T")
ENCODINGS = ("utf-8-sig", "cp1252")
PRACTICE_CODE = re.compile(r"[A-Z][0-9]{5}")
_PRACTICE_CODES = re.compile(r"(?:[A-Z][0-9]{5}\n)*")
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


class Table:
    """A CSV file's records held column-wise, for the fast readers: record ``i`` is line ``i + 1``.

    Made by ``read_table`` only when the csv module (strict) would give exactly these records,
    each on one line. A record whose fields are all blank is kept (the careful reader skips
    it): every fast reader refuses a blank key, which sends such a file to the careful reader.
    ``rows`` selects records with one flag each (as ``itertools.compress``).
    """

    height: int
    width: int

    def column(self, index: int, rows: Sequence[bool] | None = None) -> list[str]:
        raise NotImplementedError

    def columns(self, indexes: Sequence[int], rows: Sequence[bool] | None = None) -> list[list[str]]:
        return [self.column(i, rows) for i in indexes]

    def record(self, i: int) -> list[str]:
        raise NotImplementedError

    def body(self) -> "Table":
        """The records after the first (a header): record ``i`` of it is line ``i + 2``. Cheaper
        to read column by column than choosing every record but the first with ``rows``."""
        raise NotImplementedError

    def uniform(self, index: int, rows: Sequence[bool] | None = None) -> str | None:
        """The one value every chosen field of column ``index`` holds (None when they differ, or
        none is chosen): a column of one repeated value need not be made text field by field."""
        values = self.column(index, rows)
        return values[0] if values and values.count(values[0]) == len(values) else None


class _RecordsTable(Table):
    """Records split line by line (``read_records``)."""

    def __init__(self, records: list[list[str]]) -> None:
        self.records, self.height = records, len(records)
        widths = set(map(len, records))
        self.width = widths.pop() if len(widths) == 1 else -1

    def column(self, index: int, rows: Sequence[bool] | None = None) -> list[str]:
        records = self.records if rows is None else compress(self.records, rows)
        return list(map(itemgetter(index), records))

    def record(self, i: int) -> list[str]:
        return self.records[i]

    def body(self) -> Table:
        return _RecordsTable(self.records[1:])


class _LocatedTable(Table):
    """Fields located by numpy in a file's UTF-8 bytes, made text only for the columns and
    records asked for (a national file has many columns an import never reads).

    ``starts[i, j] + first`` is where field ``j`` of record ``i`` begins and ``ends[i, j]`` the
    byte just after it; ``between`` is what stands between two fields of a record."""

    first = 0
    between = ","

    def __init__(self, text: bytes, data, starts, ends) -> None:
        # the bytes, also as a uint8 array, and the fields' places in them
        self.text, self.data, self.starts, self.ends = text, data, starts, ends
        self.height, self.width = ends.shape

    def _after(self, index: int) -> str:
        """The character just after every field of column ``index`` (none of its fields holds it)."""
        raise NotImplementedError

    def _finished(self, values: list[str]) -> list[str]:
        return values

    def column(self, index: int, rows: Sequence[bool] | None = None) -> list[str]:
        return self.columns([index], rows)[0]

    def _spans(self, low: int, high: int, rows: Sequence[bool] | None):
        """Where fields ``low``..``high`` of each chosen record begin, and the byte after them."""
        import numpy as np
        starts, ends = self.starts[:, low], self.ends[:, high]
        if rows is not None:
            chosen = np.fromiter(rows, bool, len(starts))
            starts, ends = starts[chosen], ends[chosen]
        return starts + self.first, ends

    def columns(self, indexes: Sequence[int], rows: Sequence[bool] | None = None) -> list[list[str]]:
        import numpy as np
        low, high = min(indexes), max(indexes)
        starts, ends = self._spans(low, high, rows)
        if not len(starts):
            return [[] for _ in indexes]
        if low == high:
            # one column: its fields, each with the byte after it, gathered back to back by
            # numpy (faster than a slice per record for short fields), then split on that byte
            lengths = ends + 1 - starts
            offsets = np.cumsum(lengths) - lengths
            at = np.arange(int(offsets[-1] + lengths[-1]), dtype=np.int64) + np.repeat(starts - offsets, lengths)
            found = [self.data[at].tobytes().decode("utf-8").split(self._after(high))[:-1]]
        else:
            # each record's fields low..high, with what stands between two fields between them
            # (no field holds it): one join and one split for all of them
            spans = map(slice, starts.tolist(), ends.tolist())
            between = self.between
            fields = between.encode().join(map(self.text.__getitem__, spans)).decode("utf-8").split(between)
            step = high - low + 1
            found = [fields[i - low::step] for i in indexes]
        return list(map(self._finished, found))

    def uniform(self, index: int, rows: Sequence[bool] | None = None) -> str | None:
        import numpy as np
        starts, ends = self._spans(index, index, rows)
        if not len(starts):
            return None
        width = int(ends[0] - starts[0])
        if not (ends - starts == width).all():
            return None
        block = self.data[starts[:, None] + np.arange(width)]
        if not (block == block[0]).all():
            return None
        return self._finished([block[0].tobytes().decode("utf-8")])[0]

    def record(self, i: int) -> list[str]:
        start = self.starts[i, 0] + self.first
        return self._finished(self.text[start:self.ends[i, -1]].decode("utf-8").split(self.between))

    def body(self) -> Table:
        import copy
        rest = copy.copy(self)                # the same text, and how it is read
        rest.starts, rest.ends, rest.height = self.starts[1:], self.ends[1:], self.height - 1
        return rest


class _PlainTable(_LocatedTable):
    """A text with no quote at all: the commas and line ends found by numpy."""

    escaped = False                           # commas of quoted fields are \x01 in the text
    line_end = "\n"                           # or "\r\n": a record's last field ends before it

    def _after(self, index: int) -> str:
        return self.line_end[0] if index == self.width - 1 else ","

    def _finished(self, values: list[str]) -> list[str]:
        return _unescaped(values) if self.escaped else values


def _unescaped(values: list[str]) -> list[str]:
    if "\x01" not in "".join(values):
        return values
    return [v.replace("\x01", ",") if "\x01" in v else v for v in values]


class _QuotedTable(_LocatedTable):
    """A text whose every field is quoted and holds no quote: each field is the bytes between
    two quotes found by numpy (``starts`` are the opening quotes, ``ends`` the closing ones)."""

    first = 1
    between = '","'

    def _after(self, index: int) -> str:
        return '"'


class TableRecords(MappingABC):
    """Key -> (line, fields) of chosen records of a table, each split only when asked for
    (a reader keeps thousands it rarely needs); equal to the dict the careful reader makes."""

    def __init__(self, table: Table, index: dict[str, int]) -> None:
        self._table, self._index = table, index

    def __getitem__(self, key: str) -> tuple[int, list[str]]:
        i = self._index[key]
        return i + 1, self._table.record(i)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def read_table(path: Path) -> Table | None:
    """The records of a UTF-8 CSV file, column-wise, when the csv module would read them each
    on one line (else None, and the careful reader ``read_text_rows`` names any problem).

    The shapes of national file are taken whole, without a Python step per record: text with
    no quote (the NHS Digital extracts), split once; text whose every field is quoted with no
    quote inside (ODS epraccur), whose fields numpy finds between the quotes; and text with
    some whole fields quoted (a name holding a comma), unquoted in one pass. Any other text
    goes line by line through ``read_records``.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data or b"\x00" in data:
        return None                           # the careful reader names a NUL byte's row
    if not data.isascii():                    # ASCII is UTF-8: no copy of the text made to know it
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if data.startswith(b'"'):
        found = _quoted(data)                 # decoded column by column: no text of the whole file
        if found is not None:
            return found
    if b'"' not in data:
        return _plain(data)
    found = _some_quoted(data) if b"\x01" not in data else None
    if found is not None:
        return found
    records = read_records(path)
    return None if records is None else _RecordsTable(records)


def _returns(raw) -> tuple[int, int] | None:
    """How many carriage returns and line ends a text (its bytes as a uint8 array) holds, or
    None when a carriage return is not followed by a line end (the csv module's line rules
    apply). Counted by numpy: several times faster than ``bytes.count`` on a national file."""
    import numpy as np
    returns, line_ends = raw == 13, raw == 10
    found = int(np.count_nonzero(returns))
    if found != int(np.count_nonzero(returns[:-1] & line_ends[1:])):
        return None
    return found, int(np.count_nonzero(line_ends))


def _plain(data: bytes, ends=None) -> Table | None:
    """Text with no quote; ``ends``, when given, are its commas and line ends already found."""
    import numpy as np
    crlf = False
    if b"\r" in data:
        if not data.endswith(b"\n"):
            data += b"\r\n"                  # (after a lone \r, it stays lone)
        counted = _returns(np.frombuffer(data, np.uint8))
        if counted is None:
            return None                       # a lone carriage return: the csv module's line rules
        # every line ended by \r\n, records of several fields (as Windows writes them): the
        # \r are left where they are and each record's last field ends before its own (no
        # copy of the text made without them); else they are taken out
        crlf = counted[0] == counted[1] and data.count(b",", 0, data.index(b"\n")) > 0
        if not crlf:
            data = data.replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    raw = np.frombuffer(data, np.uint8)
    height = int(np.count_nonzero(raw == 10))
    width = data.count(b",", 0, data.index(b"\n")) + 1
    # a blank line (the careful reader skips it) is a record of one field: with wider
    # records, the check below that each has ``width`` fields refuses it
    if width == 1 and (data.startswith(b"\n") or b"\n\n" in data):
        return None
    if ends is None:
        ends = np.flatnonzero((raw == 44) | (raw == 10))
    if len(ends) != height * width:
        return None                           # records of several widths: refused with their row
    ends = ends.reshape(height, width)
    if not (raw[ends[:, -1]] == 10).all():
        return None
    starts = np.empty_like(ends)
    starts.flat[0] = 0
    starts.flat[1:] = ends.ravel()[:-1] + 1
    if crlf:
        ends[:, -1] -= 1                      # the last field ends at its line's \r
    # a field's length in characters is at most its length in bytes; a field longer in bytes
    # than the csv module's limit goes to the careful reader, which knows
    if len(data) > csv.field_size_limit() and int((ends - starts).max()) > csv.field_size_limit():
        return None
    found = _PlainTable(data, raw, starts, ends)
    found.line_end = "\r\n" if crlf else "\n"
    return found


def _some_quoted(data: bytes) -> Table | None:
    """Text where some fields are quoted, each a whole field with no quote or line end in it
    (a name holding a comma): read as quote-free text once the quotes are dropped and the
    commas inside them stood for by \x01 (not in the text), put back in the columns asked for.
    The quotes are paired left to right and checked by numpy on the bytes (a quote, comma or
    line end is never part of another UTF-8 character), with no Python step per field."""
    import numpy as np
    if b"\r" in data:
        if _returns(np.frombuffer(data, np.uint8)) is None:
            return None                       # a lone carriage return: the csv module's line rules
        data = data.replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    raw = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(raw == 34)
    if len(quotes) % 2:
        return None                           # a quote left open: the csv module's own rules
    opens, closes = quotes[0::2], quotes[1::2]
    # each pair a whole field: opened at the text's start or after a comma or line end, and
    # closed before a comma or line end (the text ends with one)
    before = raw[np.maximum(opens - 1, 0)]
    after = raw[closes + 1]
    if not (((before == 44) | (before == 10) | (opens == 0)).all() and ((after == 44) | (after == 10)).all()):
        return None                           # a quote elsewhere in a field, or "" inside one
    separators = np.flatnonzero((raw == 44) | (raw == 10))
    # quotes before each comma or line end, counted from where each quote falls among them
    # (quotes are few: one search of each quote, not of each separator); an odd number:
    # within a quoted field
    before_each = np.cumsum(np.bincount(np.searchsorted(separators, quotes), minlength=len(separators) + 1)[:-1])
    inside = (before_each & 1).astype(bool)
    # where each comma and line end stands once the quotes are dropped
    moved = separators - before_each
    unquoted = data.replace(b'"', b"")
    escaped = bool(inside.any())
    if escaped:
        if (raw[separators[inside]] == 10).any():
            return None                       # a line end inside quotes: a record spanning lines
        text = bytearray(unquoted)
        np.frombuffer(text, np.uint8)[moved[inside]] = 1
        unquoted, moved = bytes(text), moved[~inside]
    found = _plain(unquoted, moved)
    if found is not None:
        found.escaped = escaped
    return found


def _quoted(data: bytes) -> Table | None:
    # Few and small temporaries: every array as long as the file is fresh memory the system
    # must hand over page by page, which costs more than the arithmetic done in it.
    import numpy as np
    if not data.endswith(b"\n"):
        data += b"\n"
    raw = np.frombuffer(data, np.uint8)
    crlf = b"\r" in data
    if crlf and _returns(raw) is None:
        return None                           # a lone carriage return
    height = int(np.count_nonzero(raw == 10))
    first_quotes = data.count(b'"', 0, data.index(b"\n"))
    width = first_quotes // 2
    if not width or first_quotes % 2:
        return None
    quotes = np.flatnonzero(raw == 34)
    if len(quotes) != 2 * width * height or quotes[0] != 0:
        return None
    opens, closes = quotes[0::2].reshape(height, width), quotes[1::2].reshape(height, width)
    # after each closing quote a comma, or at the record's end its line end (so every record
    # has ``width`` fields, and the line ends counted are all between records)
    after = raw[1:][closes]
    last = after[:, -1]
    ends_line = (last == 10) | ((last == 13) & (raw[np.minimum(closes[:, -1] + 2, len(raw) - 1)] == 10))
    if not (after[:, :-1] == 44).all() or not ends_line.all():
        return None
    # a quote, a comma or line end (\n or \r\n), a quote: nothing else between two fields. With
    # a comma or \n after a closing quote, the next quote is the next field's opening one
    # exactly when it is the byte after that
    if crlf:
        flat_opens, flat_closes = quotes[0::2], quotes[1::2]
        gaps = flat_opens[1:] - flat_closes[:-1]
        wide = np.flatnonzero(gaps != 2)            # only after a record ending \r\n, by 3
        ends = flat_closes[wide] + 1
        if not ((wide % width == width - 1) & (gaps[wide] == 3) & (raw[ends] == 13)).all() or \
                len(wide) != int(np.count_nonzero(last[:-1] == 13)):
            return None
    elif not (quotes[2::2] - quotes[1:-1:2] == 2).all():
        return None                           # (the next quote is the next opening one: no byte to fetch)
    # no field is longer than its record; only a record too long needs its fields measured
    if int((closes[:, -1] - opens[:, 0]).max()) > csv.field_size_limit() and \
            int((closes - opens).max()) > csv.field_size_limit():
        return None
    return _QuotedTable(data, raw, opens, closes)


def stripped(values: Iterable[str], upper: bool = False) -> list[str]:
    """Each value stripped (and upper-cased). ``str.strip`` gives the same string back when
    there is nothing to strip, so a national file's clean column costs little."""
    out = list(map(str.strip, values))
    return upper_cased(out) if upper else out


def upper_cased(values: list[str]) -> list[str]:
    """Each value upper-cased; ``values`` itself when that changes nothing (national files
    write codes in capitals: one check of all of them instead of a pass making strings)."""
    joined = "".join(values)
    return values if joined == joined.upper() else list(map(str.upper, values))


def plain_digits(values: list[str]) -> bool:
    """Every value is a run of ASCII digits (as national files write counts): ``int`` reads
    each as ``parse_count`` would, and none is negative."""
    joined = "".join(values)
    return all(values) and joined.isascii() and joined.isdigit()


def all_practice_codes(codes: Sequence[str]) -> bool:
    """True when every (stripped, upper-cased) text is an ODS practice code, as ``practice_code`` checks."""
    if not codes:
        return True
    # one match over all of them, one per line: as many line ends as codes, so none holds one
    text = "\n".join(codes) + "\n"
    return text.count("\n") == len(codes) and _PRACTICE_CODES.fullmatch(text) is not None


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
    distinct = list(set(values))
    if plain_digits(distinct):
        return dict(zip(distinct, map(int, distinct)))
    out: dict[str, int] = {}
    for raw in distinct:
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
