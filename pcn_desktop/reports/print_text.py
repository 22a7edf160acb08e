"""How data is shown in print: names in title case (the data stay as published), long dates,
money, and shares that add up exactly.
"""
from __future__ import annotations

import re
from datetime import date

# Kept in capitals wherever they appear in a published name.
ACRONYMS = {"PCN", "NHS", "GP", "CCG", "ICB", "UK", "LLP", "CIC", "HC", "MC", "PMS", "GMS", "APMS"}
SMALL = {"and", "of", "the", "at", "on", "in", "for", "with", "upon", "by", "to"}
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def title_case(text: str) -> str:
    """'ST MARY'S SURGERY & HEALTH CENTRE' -> "St Mary's Surgery & Health Centre".

    Text already in mixed case was typed by a person and is left as it is."""
    if not text or any(c.islower() for c in text):
        return text
    first = True

    def fix(m: re.Match[str]) -> str:
        nonlocal first
        word = m.group(0)
        upper, lower = word.upper(), word.lower()
        at_start, first = first, False
        if upper in ACRONYMS or len(word) == 1:
            return upper
        if lower in SMALL and not at_start:
            return lower
        return lower[0].upper() + lower[1:]
    return _WORD.sub(fix, text)


def long_date(value: str | date | None) -> str:
    """'2021-04-01' -> '1 April 2021'; '' for nothing."""
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{d.day} {d:%B %Y}"


def money(amount: float) -> str:
    return f"£{amount:,.2f}"


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` whole units (pennies, basis points) in proportion to ``weights`` so
    that the parts add up to ``total`` exactly: floor each share, then give the units left
    to the largest remainders (ties to the earlier entry)."""
    if total == 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x // 1) for x in exact]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def pennies(amount: float) -> int:
    return int(round(amount * 100))


def fingerprint_groups(digest: str, size: int = 4) -> str:
    """'0123abcd...' -> '0123 abcd ...', easier to read aloud and compare."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))
