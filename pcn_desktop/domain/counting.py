"""One counting date per question: which lists and which memberships every figure uses.

A project may hold list sizes of several extracts and memberships with start and end
dates (ePCN keeps every practice-to-PCN link). Totals are only meaningful when both come
from the same date, so the project is counted at one date: the ``list_date`` setting (or
``--as-at``) when given, else the latest extract. The memberships in force on that date
become the current ones (``Project.count_at``), and each practice's list is its latest
count on or before it.
"""
from __future__ import annotations

from datetime import date

from .model import Project
from .settings import RuleSettings


def counting_date(project: Project, settings: RuleSettings) -> date | None:
    """The date memberships are taken at: the setting, else the latest list extract."""
    return settings.counting_date(project.list_dates())


def extract_used(project: Project, at: date | None) -> date | None:
    """The extract date of the counts used at ``at``: the latest on or before it, else the
    earliest after it (a project often holds only a later extract)."""
    dates = project.list_dates()
    if not dates:
        return None
    if at is None:
        return dates[-1]
    before = [d for d in dates if d <= at]
    return before[-1] if before else dates[0]


def recount(project: Project, settings: RuleSettings) -> date | None:
    """Make the memberships in force on the counting date the current ones; the date."""
    at = counting_date(project, settings)
    project.count_at(at)
    return at


def membership_dates(project: Project) -> tuple[date | None, date | None]:
    """The earliest and latest start or end date any membership records: the latest is the
    date of the membership file (an ePCN release), to compare with the list date."""
    seen = [d for m in project.memberships for d in (m.start, m.end) if d is not None]
    return (min(seen), max(seen)) if seen else (None, None)
