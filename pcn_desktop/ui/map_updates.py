"""Incremental map updates: after an edit, restyle the touched practices and networks in the
page that is already drawn instead of rendering the whole HTML again.

Python works out the new state of each affected practice and network (colour, tooltip
figures, whether it carries an error ring, its outline's size or boundary errors, its
name's badge) and ``pcnUpdate`` in ``maps/pcn_map.js`` applies only that to the layers,
through indexes it builds once, so a move at England scale touches a handful of layers. The script answers ``true`` when it
applied the update, ``false`` when the page cannot (no layers): the pane then re-renders.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from ..domain.findings import Finding, Severity
from ..domain.model import Project
from ..reports.map_layers import BADGE_RULES, FINDING_RED, UNASSIGNED, badge_text


def can_update(colours: dict[str, str], project: Project, touched: Iterable[str]) -> bool:
    """Only moves and field edits: a created or dissolved network changes polygons and colours."""
    return all(nid in colours and nid in project.networks for nid in touched)


def update_payload(project: Project, touched: Iterable[str], shown: dict[str, str | None],
                   colours: dict[str, str], findings: list[Finding]) -> dict[str, Any]:
    """The new state of the practices in (or shown as in) the touched networks, and of those
    networks. ``shown`` maps practice code -> network id as the map currently draws it; it is
    updated in place."""
    touched = set(touched)
    codes = {c for nid in touched for c in project.members(nid)}
    codes |= {c for c, nid in shown.items() if nid in touched}
    errors_by_practice: dict[str, int] = {}
    errors_by_net: dict[str, int] = {}          # size and boundary errors: the outline
    count_by_net: dict[str, int] = {}
    badges: dict[str, list[str]] = {}           # governance errors: the badge on the name
    for f in findings:
        if f.network_id in touched:
            count_by_net[f.network_id] = count_by_net.get(f.network_id, 0) + 1
            if f.severity is Severity.ERROR:
                if f.rule in BADGE_RULES:
                    said = badges.setdefault(f.network_id, [])
                    if BADGE_RULES[f.rule] not in said:
                        said.append(BADGE_RULES[f.rule])
                else:
                    errors_by_net[f.network_id] = errors_by_net.get(f.network_id, 0) + 1
        if f.practice in codes and f.severity is Severity.ERROR:
            errors_by_practice[f.practice] = errors_by_practice.get(f.practice, 0) + 1
    practices: dict[str, Any] = {}
    for code in sorted(codes):
        if code not in shown and code not in project.practices:
            continue
        net = project.network_of(code)
        shown[code] = net.id if net else None
        practices[code] = {
            "colour": colours.get(net.id, UNASSIGNED) if net else UNASSIGNED,
            "network": (net.name or net.key) if net else "unassigned",
            "findings": errors_by_practice.get(code, 0),
            "netId": net.id if net else "",
            "netErrors": errors_by_net.get(net.id, 0) if net else 0,
        }
    networks = {}
    for nid in sorted(touched):
        net = project.networks[nid]
        patients = project.network_list_size(nid, project.counting_date)
        networks[nid] = {"name": net.name or net.key, "ods": net.code or "-", "code": net.key,
                         "list_size": f"{patients:,}", "patients": patients,
                         "members": len(project.members(nid)),
                         "findings": count_by_net.get(nid, 0), "errors": errors_by_net.get(nid, 0),
                         "badge": badge_text(badges.get(nid, []))}
    return {"practices": practices, "networks": networks, "red": FINDING_RED}


def update_script(payload: dict[str, Any]) -> str:
    """``pcnUpdate`` (maps/pcn_map.js) with the payload; false where the page has no such
    function (then the pane draws the page again)."""
    return f"(typeof pcnUpdate === 'function') ? pcnUpdate({json.dumps(payload)}) : false"


def select_script(kind: str, code: str) -> str:
    """Zoom to a practice or network with the map module's own pcnFocus."""
    return (f"(typeof pcnFocus === 'function') ? pcnFocus({json.dumps(kind)}, {json.dumps(code)}) : false")
