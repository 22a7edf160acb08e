"""A small project for the funding tests: two networks built by hand, list sizes on 1 January."""
from __future__ import annotations

from datetime import date

from pcn_desktop.domain.model import Membership, Network, Practice, Project


def two_network_project(sizes: dict[str, int] | None = None) -> Project:
    """North: A00001 (30,000) + A00002 (12,000) = 42,000; South: A00003 (35,000).

    The same list on 1 Jan of every year 2019-2024, so each contract year counts the same list.
    """
    sizes = sizes or {"A00001": 30000, "A00002": 12000, "A00003": 35000}
    p = Project()
    p.add_network(Network("north", "North PCN", code="U00001"))
    p.add_network(Network("south", "South PCN", code="U00002"))
    for code, n in sizes.items():
        p.practices[code] = Practice(code, f"Practice {code}")
        for year in range(2019, 2025):
            p.list_sizes[code][date(year, 1, 1)] = n
    p.add_membership(Membership("A00001", "north"))
    p.add_membership(Membership("A00002", "north"))
    p.add_membership(Membership("A00003", "south"))
    return p
