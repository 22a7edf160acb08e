"""Counts in words as a person writes them: "1 practice moves", "2 practices move".

Shared by the window, the command line, the reports and the readers, so that no message
says "1 practice(s)" and every count is written with thousands separators.
"""
from __future__ import annotations


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``count`` with ``singular`` when it is 1, else ``many`` (``singular`` + "s" unless
    given): ``plural(1, "practice moves", "practices move")`` is "1 practice moves"."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"
