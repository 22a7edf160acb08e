"""Say when the project's files describe different dates, and which date is counted."""
from __future__ import annotations

from typing import Iterator
from weakref import WeakKeyDictionary

from ..counting import extract_used, membership_dates
from ..findings import Finding, Severity
from ..model import Project
from .engine import Context, rule

# (revision, latest membership date) per project: the rule reruns after every edit and
# the membership scan need not
_LATEST: "WeakKeyDictionary[Project, tuple[int, object]]" = WeakKeyDictionary()


def _latest_membership_date(project: Project):
    seen = _LATEST.get(project)
    if seen is None or seen[0] != project.revision:
        seen = (project.revision, membership_dates(project)[1])
        _LATEST[project] = seen
    return seen[1]


@rule("counting-dates-differ", Severity.INFO, per_network=False)
def counting_dates_differ(project: Project, ctx: Context) -> Iterator[Finding]:
    """The membership records run later than the lists: the memberships of the list date are counted."""
    at = ctx.list_date
    latest = _latest_membership_date(project)
    counted = extract_used(project, at)
    if at is None or latest is None or latest <= at:
        return
    yield Finding("counting-dates-differ", Severity.INFO,
                  f"Lists were counted at {counted.isoformat() if counted else at.isoformat()}; membership "
                  f"records run to {latest.isoformat()}. Every total uses the memberships in force on "
                  f"{at.isoformat()} (recount another date with --as-at).", value=at.isoformat())


@rule("list-date-unknown", Severity.WARNING, per_network=False)
def list_date_unknown(project: Project, ctx: Context) -> Iterator[Finding]:
    """List sizes imported with no date: they are counted as at the day of the import."""
    held = set(project.list_dates())
    for note in project.settings.get("undated_counts") or []:
        when = str(note.get("date", ""))
        if not any(d.isoformat() == when for d in held):
            continue
        yield Finding("list-date-unknown", Severity.WARNING,
                      f"{note.get('practices', 0):,} list sizes from {note.get('file', 'a file')} have no date; "
                      f"they are counted as at {when}, the day they were imported. Re-import the file "
                      "with --list-date YYYY-MM-DD (or add a list_date column).", value=when)
