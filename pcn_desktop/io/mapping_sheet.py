"""A practice -> network list kept in Excel (.xlsx): the columns of the CSV (``mapping.py``)
in a sheet, as commissioning teams keep it.

Such a sheet often holds more than the list: a title above it, notes or a working copy
beside it. The list is found as the first header row, within the first ``HEADER_ROWS`` rows
of a sheet (sheets in workbook order), that names a network column (``PCN``, ``network_name``,
``pcn_code``…) and, in the same run of filled heading cells, a practice code column
(``practice_code``, ``GP code``, ``code``…). The table is that run of columns, read to the end
of the sheet; an empty column ends the run, so notes beside it are not read. Everything else
is the CSV's: the same column meanings and synonyms, the same checks, the same refusals,
naming the sheet and its row as Excel numbers it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import epcn  # noqa: F401 — registered first: the ePCN workbook has such columns too
from .errors import ImportRefused
from .guard import check_zip_parts, recognised_workbook
from .kinds import Kind, Sample, register_kind
from .mapping import NETWORK_CODE, NETWORK_NAME, PRACTICE, Mapping
from .text import find_column, norm_header

HEADER_ROWS = 10


@dataclass(frozen=True)
class SheetTable:
    sheet: str
    header_row: int                  # as Excel numbers it (1-based)
    first: int                       # the table's first and last columns (0-based)
    last: int

    @property
    def columns(self) -> str:
        from openpyxl.utils import get_column_letter
        return f"{get_column_letter(self.first + 1)}–{get_column_letter(self.last + 1)}"


def _heading(value: object) -> str:
    return norm_header(value) if isinstance(value, str) else ""


def table_in(header: list[str]) -> tuple[int, int] | None:
    """The (first, last) columns of the run of filled headings that holds a network column
    and a practice code column, or None."""
    for net in (i for i, h in enumerate(header) if h and find_column([h], *NETWORK_NAME, *NETWORK_CODE) == 0):
        first = last = net
        while first > 0 and header[first - 1]:
            first -= 1
        while last + 1 < len(header) and header[last + 1]:
            last += 1
        if find_column(header[first:last + 1], *PRACTICE) is not None:
            return first, last
    return None


def find_table(wb: Any) -> SheetTable | None:  # noqa: ANN401 — an openpyxl workbook
    """Where the list is in the open workbook ``wb``, or None when no sheet has one."""
    for name in wb.sheetnames:
        sheet = wb[name]
        if not hasattr(sheet, "iter_rows"):
            continue                          # a chart sheet
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True), start=1):
            found = table_in([_heading(v) for v in row])
            if found is not None:
                return SheetTable(name, number, *found)
    return None


def _workbook(path: Path) -> Any:  # noqa: ANN401 — an openpyxl workbook, read-only
    from openpyxl import load_workbook
    return load_workbook(path, read_only=True, data_only=True)


def _has_list(path: Path) -> bool:
    wb = _workbook(path)
    try:
        return find_table(wb) is not None
    finally:
        wb.close()


def detect(sample: Sample) -> bool:
    return recognised_workbook(sample, _has_list)


def cell_text(value: object) -> str:
    """A cell as the CSV would hold it: a whole number without ".0", a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class MappingSheet(Mapping):
    def __init__(self, path: Path) -> None:
        super().__init__(path, "practice -> network list (Excel)")

    def read(self, careful: bool = False) -> "MappingSheet":
        check_zip_parts(self.path)
        wb = _workbook(self.path)
        try:
            table = find_table(wb)
            if table is None:
                raise ImportRefused(self.path, None, "no sheet has a practice code and a network column "
                                                     f"in its first {HEADER_ROWS} rows")
            self.where = f"{self.path} (sheet '{table.sheet}')"
            sheet = wb[table.sheet]
            sheet.reset_dimensions()
            rows = sheet.iter_rows(min_row=table.header_row, values_only=True)
            width = table.last - table.first + 1
            records = [(number, [cell_text(v) for v in (row[table.first:table.last + 1] + (None,) * width)[:width]])
                       for number, row in enumerate(rows, start=table.header_row)]
        except ImportRefused:
            raise
        except (Exception, RecursionError) as exc:   # damaged sheet XML and the like
            raise ImportRefused(self.where, None, f"the sheet is damaged and cannot be read ({type(exc).__name__}: "
                                                  f"{' '.join(str(exc).split())[:200]})") from None
        finally:
            wb.close()
        self._consume(iter(records))
        self.summary.notes.append(f"the list in sheet '{table.sheet}', columns {table.columns}, "
                                  f"headings on row {table.header_row}")
        return self._settled()


register_kind(Kind("mapping_sheet", "practice -> network list in Excel (.xlsx: practice code and network columns)",
                   detect, lambda path, _s: MappingSheet(path).read()))
