"""Turn a project database's rows into a ``Project``, whoever fetches them.

Two fetchers feed the same assembly: SQLAlchemy for database URLs and migrated copies, and
the standard library's ``sqlite3`` for opening a current-format project file. The second
keeps SQLAlchemy and Alembic (most of a second to import) off the path from starting the
app to a drawn window. The SQLAlchemy models stay the schema of record: ``DATE_COLUMNS`` and
``DATETIME_COLUMNS`` say which stored texts ``sqlite3`` must turn back into dates, and a
test keeps them equal to the models' Date and DateTime columns.
"""
from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date, datetime
from typing import Any, Callable, Iterable

from shapely import wkb

from ..domain.model import (AuditEntry, Boundary, ClinicalDirector, Membership, Network, PlannedRole,
                            Practice, PracticeStatus, Project, SmallArea)

# Alembic's revision of the schema this version writes and reads without migrating. A test
# keeps it equal to the head of store/migrations, so a new migration cannot be forgotten here.
SCHEMA_REVISION = "0004"

# (table, columns, order by): the fetcher yields tuples of these columns in this order
Rows = Callable[[str, tuple[str, ...], "str | None"], Iterable[tuple[Any, ...]]]

DATE_COLUMNS = {("practice", "opened"), ("practice", "closed"), ("list_size", "counted_at"),
                ("registration", "counted_at"), ("network", "agreement_signed"),
                ("membership", "start"), ("membership", "end"), ("clinical_director", "start")}
DATETIME_COLUMNS = {("boundary", "built"), ("audit_log", "when")}


def revision_of(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision stamped in the file; None when it has no version table."""
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def sqlite_rows(conn: sqlite3.Connection) -> Rows:
    """A fetcher over a ``sqlite3`` connection, with dates decoded as SQLAlchemy stores them."""
    def rows(table: str, columns: tuple[str, ...], order_by: str | None = None) -> Iterable[tuple[Any, ...]]:
        sql = f'SELECT {", ".join(_quote(c) for c in columns)} FROM {_quote(table)}'
        if order_by:
            sql += f" ORDER BY {_quote(order_by)}"
        decoders = [(i, date.fromisoformat if (table, c) in DATE_COLUMNS else datetime.fromisoformat)
                    for i, c in enumerate(columns)
                    if (table, c) in DATE_COLUMNS or (table, c) in DATETIME_COLUMNS]
        cursor = conn.execute(sql)
        if not decoders:
            return cursor
        return (_decoded(row, decoders) for row in cursor)
    return rows


def _decoded(row: tuple[Any, ...], decoders: list[tuple[int, Callable[[str], Any]]]) -> tuple[Any, ...]:
    values = list(row)
    for i, decode in decoders:
        if values[i] is not None:
            values[i] = decode(values[i])
    return tuple(values)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_project(rows: Rows) -> Project:
    project = Project()
    meta = dict(rows("project_meta", ("key", "value"), None))
    project.name = meta.get("name", "Untitled")
    project.settings = json.loads(meta.get("settings") or "{}")
    for code, name, address, postcode, lat, lon, status, opened, closed, commissioner in rows(
            "practice", ("code", "name", "address", "postcode", "latitude", "longitude", "status",
                         "opened", "closed", "commissioner"), None):
        project.practices[code] = Practice(
            code, name, tuple(address.split("\n")) if address else (), postcode, lat, lon,
            PracticeStatus(status), opened, closed, commissioner)
    for code, counted_at, patients in rows("list_size", ("practice_code", "counted_at", "patients"), None):
        project.list_sizes[code][counted_at] = patients
    for code, name, place, geometry in rows("small_area", ("code", "name", "place", "geometry"), None):
        project.areas[code] = SmallArea(code, name, wkb.loads(geometry) if geometry else None, place)
    regs: dict[date, dict[tuple[str, str], int]] = defaultdict(dict)
    for practice_code, area_code, counted_at, patients in rows(
            "registration", ("practice_code", "area_code", "counted_at", "patients"), None):
        regs[counted_at][(practice_code, area_code)] = patients
    project.registrations.update(regs)
    scenarios = _scenarios(project, rows)
    for scenario, *row in rows("network", ("scenario", "id", "name", "code", "commissioner", "exemption",
                                           "exemption_reason", "nominated_payee", "agreement_signed", "notes"),
                               None):
        scenarios[scenario].add_network(Network(*row))
    for scenario, practice_code, network_id, start, end in rows(
            "membership", ("scenario", "practice_code", "network_id", "start", "end"), "id"):
        scenarios[scenario].add_membership(Membership(practice_code, network_id, start, end))
    for scenario, network_id, *director in rows(
            "clinical_director", ("scenario", "network_id", "name", "practice_code", "professional_body",
                                  "registration_number", "wte", "start"), None):
        scenarios[scenario].networks[network_id].director = ClinicalDirector(*director)
    for scenario, network_id, geometry, provenance, built in rows(
            "boundary", ("scenario", "network_id", "geometry", "provenance", "built"), None):
        scenarios[scenario].boundaries[network_id] = Boundary(network_id, wkb.loads(geometry), provenance, built)
    for scenario, area_code, network_id in rows("area_assignment", ("scenario", "area_code", "network_id"), None):
        scenarios[scenario].area_assignments[area_code] = network_id
    for scenario, network_id, *role in rows("workforce_plan", ("scenario", "network_id", "role", "wte", "start",
                                                               "end", "annual_cost"), "id"):
        scenarios[scenario].workforce[network_id].append(PlannedRole(*role))
    project.audit[:] = [AuditEntry(*row)
                        for row in rows("audit_log", ("what", "old", "new", "when", "who", "scenario"), "id")]
    return project


def _scenarios(project: Project, rows: Rows) -> dict[str, Project]:
    """Every scenario's (empty) Project by name, the live one being the active scenario."""
    listed = sorted(rows("scenario", ("name", "position", "active", "settings"), None), key=lambda r: r[1])
    if not listed:
        return {project.scenario_name: project}
    active = next((r for r in listed if r[2]), listed[0])
    project.scenario_name = active[0]
    project._registry.order = [active[0]]
    out: dict[str, Project] = {}
    for name, _position, _active, settings in listed:
        scenario = project if name == active[0] else project.new_scenario(name)
        scenario.settings.own.update(json.loads(settings or "{}"))
        out[name] = scenario
    project._registry.order = [r[0] for r in listed]
    return out
