"""Calendar months as integers, so that pro rata by month is plain arithmetic.

A month is ``year * 12 + (month - 1)``; "2019-07" is 24226. Contract years run April to March.
"""
from __future__ import annotations

import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> int:
    """'YYYY-MM' to a month number; ValueError naming the text when it is not one."""
    m = _MONTH.match(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def format_month(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def month_range(first: int, last: int) -> range:
    """Every month from first to last, both included."""
    return range(first, last + 1)


def describe_months(months: list[int]) -> str:
    """'2019-04..2019-06, 2020-01' for a sorted list of months: runs joined, for messages."""
    runs: list[tuple[int, int]] = []
    for m in sorted(months):
        if runs and m == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return ", ".join(format_month(a) if a == b else f"{format_month(a)}..{format_month(b)}" for a, b in runs)
