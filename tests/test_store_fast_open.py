"""Opening a project file with sqlite3 alone reads exactly what SQLAlchemy reads, and the
plain-SQL schema stamp and revision stay in step with Alembic's migrations."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, datetime

from alembic.runtime.migration import MigrationContext
from builders import network, practice
from shapely.geometry import Point, box
from sqlalchemy import Date, DateTime, create_engine

from pcn_desktop.domain.model import Boundary, ClinicalDirector, Membership, PlannedRole, Project, SmallArea
from pcn_desktop.paths import resource
from pcn_desktop.store import load_project, save_project
from pcn_desktop.store import project_file
from pcn_desktop.store.migrations_runner import head_revision
from pcn_desktop.store.models import Base
from pcn_desktop.store.reading import (DATE_COLUMNS, DATETIME_COLUMNS, SCHEMA_REVISION, read_project,
                                       sqlite_rows)


def full_project() -> Project:
    """Every table holds rows, with every optional field both set and unset somewhere."""
    p = Project()
    p.name = "Fast Open CCG"
    p.settings = {"rules": {"minimum_list": 25000}, "contract_year": "2024/25"}
    north = network(p, "North", {"A00001": 20000, "A00002": 15000}, code="U00001")
    south = network(p, "South", {"A00004": 31000})
    practice(p, "A00003", 900)
    p.practices["A00001"].address = ("1 High Street", "Colne")
    p.practices["A00001"].opened = date(1990, 4, 1)
    p.practices["A00003"].closed = date(2024, 3, 31)
    p.practices["A00003"].latitude, p.practices["A00003"].longitude = 53.85, -2.17
    p.list_sizes["A00001"][date(2024, 1, 1)] = 19_950
    north.agreement_signed = date(2024, 5, 31)
    north.notes = "line one\nline two"
    north.director = ClinicalDirector("Dr A Smith", "A00001", "GMC", "1234567", 0.5, date(2023, 4, 1))
    p.add_membership(Membership("A00002", south.id, date(2020, 4, 1), date(2022, 3, 31)))
    p.areas["E01000001"] = SmallArea("E01000001", "Colne 001A", box(-2.2, 53.8, -2.1, 53.9), "Pendle")
    p.areas["E01000002"] = SmallArea("E01000002", "Colne 001B", None, "")
    p.registrations[date(2024, 4, 1)][("A00001", "E01000001")] = 1234
    p.registrations[date(2023, 4, 1)][("A00002", "E01000002")] = 56
    p.area_assignments["E01000001"] = north.id
    p.boundaries[north.id] = Boundary(north.id, box(-2.2, 53.8, -2.1, 53.9), "registrations",
                                      datetime(2024, 5, 1, 9, 30, 15, 250))
    p.boundaries[south.id] = Boundary(south.id, Point(-2.0, 53.7).buffer(0.01), "imported", None)
    p.workforce[north.id].append(PlannedRole("Clinical pharmacist", 1.0, "2024-04", "2025-03", 52000.0))
    p.settings["geo_expected_parts"] = {north.id: 2}
    growth = p.copy_scenario("current", "growth")
    growth.workforce[north.id].append(PlannedRole("Paramedic", 0.6, "2024-10", "2025-03", 30000.0))
    growth.settings["geo_expected_parts"] = {north.id: 3}
    growth.remove_membership("A00004", south.id)
    growth.add_membership(Membership("A00004", north.id, date(2025, 4, 1)))
    p.new_scenario("empty")
    p.activate_scenario("growth")                # saved open on a scenario other than the first
    p.record("created", "", "made", "tester")
    p.record("renamed", "Old", "New", "tester")
    return p


def everything(p: Project):
    """All that a project holds, comparable with ==, geometry as WKB."""
    return (p.active_scenario, p.scenario_names(), p.name, p.settings.shared, dict(p.practices),
            {c: dict(s) for c, s in p.list_sizes.items()},
            {a: (x.code, x.name, x.place, x.geometry.wkb if x.geometry is not None else None)
             for a, x in p.areas.items()},
            {d: dict(r) for d, r in p.registrations.items()}, list(p.audit),
            [configuration(p.scenario(n)) for n in p.scenario_names()])


def configuration(p: Project):
    """What one scenario owns."""
    return (p.scenario_name, p.settings.own,
            dict(p.networks), list(p.memberships),
            {n: (b.geometry.wkb, b.provenance, b.built) for n, b in p.boundaries.items()},
            dict(p.area_assignments), {n: list(r) for n, r in p.workforce.items() if r})


def read_with_sqlalchemy(path) -> Project:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return project_file._read(conn)
    finally:
        engine.dispose()


def read_with_sqlite3(path) -> Project:
    with closing(sqlite3.connect(path)) as conn:
        return read_project(sqlite_rows(conn))


def test_both_readers_give_the_same_project(tmp_path):
    path = tmp_path / "full.pcnproj"
    original = full_project()
    save_project(original, path)
    fast, slow = read_with_sqlite3(path), read_with_sqlalchemy(path)
    assert everything(fast) == everything(slow)
    assert everything(load_project(path)) == everything(original)
    assert fast.boundaries[next(iter(original.boundaries))].built == datetime(2024, 5, 1, 9, 30, 15, 250)
    assert fast.networks[original.find_network("U00001").id].director.start == date(2023, 4, 1)


def test_both_readers_give_the_same_sample_ccg():
    path = resource("sample", "sample_ccg.pcnproj")
    fast, slow = read_with_sqlite3(path), read_with_sqlalchemy(path)
    assert everything(fast) == everything(slow)
    assert len(fast.practices) > 20 and len(fast.areas) > 50 and fast.memberships


def test_decoded_columns_are_the_models_date_columns():
    dates = {(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns
             if isinstance(c.type, Date) and not isinstance(c.type, DateTime)}
    stamps = {(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns
              if isinstance(c.type, DateTime)}
    assert DATE_COLUMNS == dates
    assert DATETIME_COLUMNS == stamps
    assert set(project_file.TABLES_IN_ORDER) == set(Base.metadata.tables)


def test_schema_revision_is_the_migrations_head():
    assert SCHEMA_REVISION == head_revision()


def test_the_plain_sql_stamp_is_what_alembic_reads(tmp_path):
    path = tmp_path / "stamped.pcnproj"
    save_project(full_project(), path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    finally:
        engine.dispose()
    save_project(full_project(), path)           # saving again keeps a single version row
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_REVISION,)]


def test_opening_a_project_imports_neither_sqlalchemy_nor_alembic():
    script = ("import sys\nfrom pcn_desktop.store import load_project\nfrom pcn_desktop.paths import resource\n"
              "p = load_project(resource('sample', 'sample_ccg.pcnproj'))\n"
              "print(len(p.practices), sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) > 20
    assert loaded.strip() == "[]"
