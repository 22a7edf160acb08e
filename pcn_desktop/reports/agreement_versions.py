"""Version numbers of a network's Schedules, kept in the project.

A version is a content digest (what the members sign, without the version number and the
signing itself). Printing the same content again gives the same version. New content after
the last recorded version was signed gives the next number; new content while the last
version is still unsigned is a revised draft of that same version. The history, kept in
``project.settings["agreement_history"][network key]`` as a list of
``{"version", "content", "signed"}``, is only ever appended to.
"""
from __future__ import annotations

from typing import Any

from ..domain.model import Project

HISTORY_KEY = "agreement_history"


def history(project: Project, key: str) -> list[dict[str, Any]]:
    return [dict(h) for h in (project.settings.get(HISTORY_KEY) or {}).get(key, [])]


def _signed_last(entries: list[dict[str, Any]], signed: str) -> list[dict[str, Any]]:
    """A signature recorded since the last print signs the last printed content."""
    if entries and signed and not any(h.get("signed") == signed for h in entries):
        entries[-1] = {**entries[-1], "signed": signed}
    return entries


def next_entries(entries: list[dict[str, Any]], content: str, signed: str) -> tuple[int, list[dict[str, Any]]]:
    """(version for ``content``, the history with it recorded)."""
    entries = _signed_last([dict(h) for h in entries], signed)
    for h in reversed(entries):
        if h["content"] == content:
            return int(h["version"]), entries
    if not entries:
        return 1, [{"version": 1, "content": content, "signed": signed}]
    last = entries[-1]
    version = int(last["version"]) + (1 if last.get("signed") else 0)
    return version, entries + [{"version": version, "content": content, "signed": ""}]


def version_for(project: Project, key: str, content: str, signed: str) -> int:
    return next_entries(history(project, key), content, signed)[0]


def record(project: Project, key: str, content: str, signed: str) -> bool:
    """Record that this content was printed; True when the history changed."""
    before = history(project, key)
    _, after = next_entries(before, content, signed)
    if after == before:
        return False
    project.settings.setdefault(HISTORY_KEY, {})[key] = after
    return True
