"""The one contract year and counting date a document is about, from its effective date.

A network agreement takes effect on a date; the contract year is the April-to-March year
containing it, and every list in the document is counted at the 1 January before that year
begins (the date the funding model counts payments at). Deriving both from the effective
date in one place is what stops a document mixing two years.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DocumentPeriod:
    effective: date
    year: str                  # e.g. "2021/22"
    counting_date: date        # the 1 January before the year starts


def contract_year_start(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def document_period(effective: date) -> DocumentPeriod:
    start = contract_year_start(effective)
    return DocumentPeriod(effective, f"{start}/{(start + 1) % 100:02d}", date(start, 1, 1))


def default_effective_date(counting: date | None) -> date | None:
    """With no effective date set: 1 April after the project's counting date, the start of
    the contract year whose payments use those lists."""
    return None if counting is None else date(counting.year, 4, 1)
