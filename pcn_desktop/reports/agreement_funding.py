"""Schedule 4's payments: the one place the agreement asks the funding model for figures.

The funding model (``pcn_desktop.funding``) owns every rate and formula; this adapter only
turns its answer for one network and one contract year into printable lines. When the model
is not installed, or has no policy for the year, the schedule says so instead of printing a
figure that nobody computed.
"""
from __future__ import annotations

import importlib
from typing import Any

from ..domain.model import Project
from .agreement_data import FundingLine

NO_MODEL = ("Payments are not shown: the funding model was not available when this document "
            "was printed. The commissioner's payment schedule is the record of payments.")


def funding_lines(project: Project, network_id: str, year: str) -> tuple[list[FundingLine], str]:
    """(lines, note) for the network's funding in the contract year, e.g. "2024/25"."""
    try:
        funding = importlib.import_module("pcn_desktop.funding")
    except ImportError:
        return [], NO_MODEL
    compute = getattr(funding, "network_funding", None)
    if compute is None or not year:
        return [], NO_MODEL if compute is None else "No contract year is set for this agreement."
    try:
        result = compute(project, network_id, year)
    except (KeyError, ValueError, LookupError) as exc:
        return [], f"Payments for {year} could not be computed: {exc}"
    return _lines(result), f"Figures from the funding model for {year}."


def _lines(result: Any) -> list[FundingLine]:
    """Accepts the funding model's result: an object or mapping with ``lines`` (or itself
    iterable) whose items carry a stream name, a basis and an annual amount."""
    items = getattr(result, "lines", None)
    if items is None and isinstance(result, dict):
        items = result.get("lines")
    if items is None:
        items = result
    out = []
    for item in items or []:
        get = item.get if isinstance(item, dict) else (lambda k, i=item: getattr(i, k, None))
        name = get("stream") or get("name") or get("label") or ""
        basis = get("basis") or get("description") or ""
        amount = get("amount")
        if amount is None:
            amount = get("annual") or 0.0
        out.append(FundingLine(str(name), str(basis), float(amount)))
    return out
