"""Load and save a whole project.

Saving a SQLite project writes a complete new file beside the old one and renames it over
the old one only after it is committed and flushed to disk: a crash or a kill at any moment
leaves either the last saved file or the new one, never a mixture. A PostgreSQL project is
saved in one transaction instead.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import tempfile
import uuid
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..domain.model import Project
from .database import create_database_engine, display_url, is_database_url
from .locks import save_lock
from .reading import SCHEMA_REVISION, read_project, read_versions, revision_of, sqlite_rows
from .versions import (DATA, Base, StaleSave, Version, base_of, changed_units, next_versions, reconcile,
                       remember, unit_prints)
from .leftovers import remove_stale_saves, save_problem, temp_prefix

if TYPE_CHECKING:
    from sqlalchemy import Engine

# SQLAlchemy, Alembic and the models are imported where a save, a migration or a database URL
# needs them: opening a current project file reads it with sqlite3 alone (see reading.py).
Progress = Callable[[str], None]
TABLES_IN_ORDER = ["project_meta", "practice", "list_size", "small_area", "registration", "other_registration", "scenario", "network",
                   "membership", "clinical_director", "boundary", "area_assignment", "workforce_plan",
                   "audit_log", "edit_version"]
SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectFileError(Exception):
    """A project that cannot be opened or saved; the message names the file."""


def sqlite_engine(path: Path) -> "Engine":
    from sqlalchemy import URL, create_engine, event  # noqa: PLC0415 — see the note on imports

    # A URL object, not text: a path is a path, and "%20", "#" or "?" in a folder name must
    # not be decoded or cut off as they would be in "sqlite:///…".
    engine = create_engine(URL.create("sqlite", database=str(path)))

    @event.listens_for(engine, "connect")
    def _pragmas(conn: sqlite3.Connection, _record: Any) -> None:
        conn.execute("PRAGMA foreign_keys=ON")
    return engine


# ---------------------------------------------------------------------------------------
def save_project(project: Project, target: str | os.PathLike[str], *, track: bool = True,
                 fresh: bool = False) -> None:
    """Save everything; on failure the previous file (or database content) is untouched.

    Saving where the project was opened from first takes in what others saved meanwhile and
    refuses (``StaleSave``) when they changed something this session changed too (see
    versions.py). ``fresh`` writes the project as it is over whatever the target holds (a copy,
    Save As); ``track=False`` writes a side copy (autosave) that leaves the session as it was."""
    key = target_key(target)
    base = base_of(project)
    if is_database_url(target):
        versions, save_id = _save_to_database(project, str(target), key, base, fresh)
    else:
        path = Path(target)
        problem = save_problem(path)          # a read-only file or folder: said before any work
        if problem:
            raise ProjectFileError(problem)
        path.parent.mkdir(parents=True, exist_ok=True)
        with save_lock(path):
            remove_stale_saves(path)
            versions, save_id = _save_to_file(project, path, key, base, fresh, track)
    if track:
        remember(project, key, save_id, versions)


def target_key(target: str | os.PathLike[str]) -> str:
    """One name per store, whichever way it was spelt."""
    if is_database_url(target):
        return display_url(target)
    return str(Path(target).resolve())


def _plan(project: Project, key: str, base: Base | None, fresh: bool, stored_id: str | None,
          load_theirs: Callable[[], tuple[Project, dict[str, Version]]]) -> tuple[dict[str, Version], set[str]]:
    """(versions to write, units changed here). Reconciles with the store when someone saved
    since this session read it; raises StaleSave when both changed one unit."""
    if fresh or base is None or base.target != key:
        versions = dict(base.versions) if base is not None else {}
        return next_versions(versions, set(unit_prints(project)) - set(versions)), {DATA}
    if stored_id is not None and stored_id != base.save_id:
        theirs, their_versions = load_theirs()
        ours, _pulled = reconcile(project, base, theirs, their_versions, display_url(key))
        project.audit[:] = theirs.audit + project.audit[base.audit_len:]
        return next_versions(their_versions, ours), ours
    ours = changed_units(project, base)
    return next_versions(base.versions, ours), ours


def _save_to_file(project: Project, path: Path, key: str, base: Base | None, fresh: bool,
                  track: bool) -> tuple[dict[str, Version], str]:
    from . import models as m  # noqa: PLC0415 — see the note on imports
    if track:
        stored = stored_save_id(path) if path.is_file() else None

        def theirs() -> tuple[Project, dict[str, Version]]:
            other = load_project(path)
            other_base = base_of(other)
            return other, other_base.versions if other_base else {}
        versions, _ours = _plan(project, key, base, fresh, stored, theirs)
    else:
        versions = dict(base.versions) if base else {}
    save_id = uuid.uuid4().hex
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".saving", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        engine = sqlite_engine(tmp)
        try:
            m.Base.metadata.create_all(engine)
            with engine.begin() as conn:
                stamp_head(conn)
                _write_rows(conn, project)
                _write_versions(conn, versions, save_id)
        finally:
            engine.dispose()
        if mode is not None:
            os.chmod(tmp, mode)                 # the project keeps its permissions
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + "-journal").unlink(missing_ok=True)
        raise
    return versions, save_id


def _save_to_database(project: Project, url: str, key: str, base: Base | None,
                      fresh: bool) -> tuple[dict[str, Version], str]:
    """One transaction: a lock that queues concurrent savers, the reconcile, the rows."""
    from sqlalchemy import delete, inspect, text  # noqa: PLC0415 — see the note on imports

    from . import models as m  # noqa: PLC0415
    engine = create_database_engine(url)
    try:
        _prepare_database(engine)
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SAVE_LOCK_KEY})
            empty = not inspect(conn).has_table("project_meta") or conn.execute(
                text("SELECT count(*) FROM project_meta")).scalar() == 0
            stored = None if empty else conn.execute(
                text("SELECT value FROM project_meta WHERE key = 'save_id'")).scalar() or ""

            def theirs() -> tuple[Project, dict[str, Version]]:
                other = _read(conn)
                return other, read_versions(_sqlalchemy_rows(conn))[1]
            versions, ours = _plan(project, key, base, fresh, stored, theirs)
            save_id = uuid.uuid4().hex
            shared = {"practice", "list_size", "small_area", "registration"}
            keep = set() if (empty or DATA in ours) else shared
            for name in reversed(TABLES_IN_ORDER):
                if name not in keep:
                    conn.execute(delete(m.Base.metadata.tables[name]))
            stamp_head(conn)
            _write_rows(conn, project, skip=keep)
            _write_versions(conn, versions, save_id)
    except StaleSave:
        raise
    except Exception as exc:
        raise ProjectFileError(f"{display_url(url)}: cannot save ({_reason(exc)})") from None
    finally:
        engine.dispose()
    return versions, save_id


SAVE_LOCK_KEY = 7_310_512_001     # any constant: saves to one database queue on it


def _prepare_database(engine: "Engine") -> None:
    """An empty database gets the schema; an older one is migrated in place (a shared
    database has no copy to migrate: every user of it moves to the new format together)."""
    from sqlalchemy import inspect  # noqa: PLC0415

    from . import models as m  # noqa: PLC0415
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if not tables:
        m.Base.metadata.create_all(engine)
    elif revision != SCHEMA_REVISION:
        from .migrations_runner import upgrade_to_head  # noqa: PLC0415 — Alembic only to migrate
        upgrade_to_head(engine)


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = text[0] if text else type(exc).__name__
    if "password" in reason.lower():
        reason += "; keep the password with `pcn-desktop password URL` or in a .pgpass file"
    return reason


def _write_versions(conn: Any, versions: dict[str, Version], save_id: str) -> None:
    from sqlalchemy import delete, insert  # noqa: PLC0415

    from . import models as m  # noqa: PLC0415
    conn.execute(delete(m.ProjectMeta).where(m.ProjectMeta.key == "save_id"))
    conn.execute(insert(m.ProjectMeta), [{"key": "save_id", "value": save_id}])
    rows = []
    for key, v in versions.items():
        scenario, _, unit = key.rpartition("|")
        rows.append(dict(scenario=scenario, unit=unit, version=v.number, who=v.who, changed_at=v.when))
    if rows:
        conn.execute(insert(m.EditVersionRow), rows)


def stored_save_id(path: Path) -> str | None:
    """The id of the save that wrote the file ('' for a file from before versions)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM project_meta WHERE key = 'save_id'").fetchone()
            return row[0] if row else ""
    except sqlite3.Error:
        return ""


def stamp_head(conn: Any) -> None:
    """Record the schema revision as Alembic would (its own table, one row), in plain SQL so
    that saving does not import Alembic; a test checks Alembic reads the stamp back."""
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
    conn.exec_driver_sql("DELETE FROM alembic_version")
    from sqlalchemy import text  # noqa: PLC0415 — see the note on imports
    # bound through SQLAlchemy: sqlite3 and psycopg spell driver-level placeholders differently
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": SCHEMA_REVISION})


def _write_rows(conn: Any, project: Project, skip: set[str] | frozenset[str] = frozenset()) -> None:
    from shapely import wkb  # noqa: PLC0415 — see the note on imports
    from sqlalchemy import insert  # noqa: PLC0415

    from . import models as m  # noqa: PLC0415

    def put(model: type, rows: list[dict[str, Any]]) -> None:
        if rows and model.__tablename__ not in skip:  # type: ignore[attr-defined]
            conn.execute(insert(model), rows)

    meta = {"name": project.name, "settings": json.dumps(project.settings.shared, default=str),
            "format": SCHEMA_REVISION}
    put(m.ProjectMeta, [{"key": k, "value": v} for k, v in meta.items()])
    put(m.PracticeRow, [dict(code=p.code, name=p.name, address="\n".join(p.address), postcode=p.postcode,
                             latitude=p.latitude, longitude=p.longitude, status=p.status.value,
                             opened=p.opened, closed=p.closed, commissioner=p.commissioner, kind=p.kind)
                        for p in project.practices.values()])
    put(m.ListSizeRow, [dict(practice_code=code, counted_at=d, patients=n)
                        for code, sizes in project.list_sizes.items() if code in project.practices
                        for d, n in sizes.items()])
    put(m.SmallAreaRow, [dict(code=a.code, name=a.name, place=a.place,
                              geometry=None if a.geometry is None else wkb.dumps(a.geometry))
                         for a in project.areas.values()])
    put(m.RegistrationRow, [dict(practice_code=p, area_code=a, counted_at=d, patients=n)
                            for d, rows in project.registrations.items()
                            for (p, a), n in rows.items() if p in project.practices])
    put(m.OtherRegistrationRow, [dict(area_code=a, counted_at=d, patients=n)
                                 for d, rows in project.other_registrations.items() for a, n in rows.items()])
    active = project.active_scenario
    put(m.ScenarioRow, [dict(name=name, position=i, active=int(name == active),
                             settings=json.dumps(project.scenario(name).settings.own, default=str))
                        for i, name in enumerate(project.scenario_names())])
    for scenario in project.scenarios():
        _write_scenario(put, m, scenario)
    put(m.AuditRow, [dict(what=e.what, old=e.old, new=e.new, when=e.when, who=e.who, scenario=e.scenario)
                      for e in project.audit])


def _write_scenario(put: Callable[[type, list[dict[str, Any]]], None], m: Any, project: Project) -> None:
    """The rows one scenario owns, each carrying the scenario's name."""
    from shapely import wkb  # noqa: PLC0415 — see the note on imports

    s = project.scenario_name
    put(m.NetworkRow, [dict(scenario=s, id=n.id, code=n.code, name=n.name, commissioner=n.commissioner,
                            exemption=n.exemption, exemption_reason=n.exemption_reason,
                            nominated_payee=n.nominated_payee, agreement_signed=n.agreement_signed,
                            notes=n.notes) for n in project.networks.values()])
    put(m.MembershipRow, [dict(scenario=s, practice_code=x.practice_code, network_id=x.network_id, start=x.start,
                               end=x.end) for x in project.memberships])
    put(m.ClinicalDirectorRow, [dict(scenario=s, network_id=n.id, name=d.name, professional_body=d.professional_body,
                                     registration_number=d.registration_number, practice_code=d.practice_code,
                                     wte=d.wte, start=d.start)
                                for n in project.networks.values() if (d := n.director) is not None])
    put(m.BoundaryRow, [dict(scenario=s, network_id=b.network_id, geometry=wkb.dumps(b.geometry),
                             provenance=b.provenance, built=b.built)
                        for b in project.boundaries.values() if b.network_id in project.networks])
    put(m.AreaAssignmentRow, [dict(scenario=s, area_code=a, network_id=n)
                              for a, n in project.area_assignments.items() if n in project.networks])
    put(m.WorkforceRow, [dict(scenario=s, network_id=nid, role=r.role, wte=r.wte, start=r.start, end=r.end,
                              annual_cost=r.annual_cost)
                         for nid, roles in project.workforce.items() if nid in project.networks
                         for r in roles])


# ---------------------------------------------------------------------------------------
def load_project(source: str | os.PathLike[str]) -> Project:
    """Open a project file (or database URL). Older file formats are migrated in a temporary
    copy; the file itself changes only when the user saves."""
    key = target_key(source)
    if is_database_url(source):
        engine = create_database_engine(str(source))
        try:
            _prepare_database(engine)
            with engine.connect() as conn:
                # one snapshot for every table: a save committed between reading the
                # memberships and the versions would otherwise leave a session believing it
                # had read that save, and its own next save would undo it unseen
                if conn.dialect.name == "postgresql":
                    conn.execution_options(isolation_level="REPEATABLE READ")
                project = _read(conn)
                save_id, versions = read_versions(_sqlalchemy_rows(conn))
        except Exception as exc:
            raise ProjectFileError(f"{display_url(source)}: cannot be opened ({_reason(exc)})") from None
        finally:
            engine.dispose()
        remember(project, key, save_id, versions)
        return project
    path = Path(source)
    if not path.is_file():
        raise ProjectFileError(f"{path}: no such project file")
    remove_stale_saves(path)
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise ProjectFileError(f"{path}: not a PCN Desktop project (not an SQLite database)")
    try:
        with closing(sqlite3.connect(path)) as conn:
            revision = revision_of(conn)
            if revision == SCHEMA_REVISION:
                try:
                    rows = sqlite_rows(conn)
                    project = read_project(rows)
                    save_id, versions = read_versions(rows)
                except Exception as exc:
                    raise ProjectFileError(f"{path}: damaged or incomplete project file ({exc})") from None
                remember(project, key, save_id, versions)
                return project
    except sqlite3.Error as exc:
        raise ProjectFileError(f"{path}: cannot be read ({exc})") from None
    if revision is None:
        raise ProjectFileError(f"{path}: not a PCN Desktop project (no schema version)")
    project = _load_migrated_copy(path)
    remember(project, key, "", {})
    return project


def _load_migrated_copy(path: Path) -> Project:
    from .migrations_runner import upgrade_to_head  # noqa: PLC0415 — Alembic only to migrate

    with tempfile.TemporaryDirectory() as tmpdir:
        copy = Path(tmpdir) / path.name
        shutil.copy2(path, copy)
        engine = sqlite_engine(copy)
        try:
            upgrade_to_head(engine)
            with engine.connect() as conn:
                return _read(conn)
        except Exception as exc:
            raise ProjectFileError(f"{path}: cannot be upgraded to this version's format ({exc})") from None
        finally:
            engine.dispose()


def _read(conn: Any) -> Project:
    """Read through a SQLAlchemy connection (a database URL or a migrated copy)."""
    return read_project(_sqlalchemy_rows(conn))


def _sqlalchemy_rows(conn: Any) -> Callable[..., Iterable[tuple[Any, ...]]]:
    from sqlalchemy import select  # noqa: PLC0415 — see the note on imports

    from . import models as m  # noqa: PLC0415
    tables = m.Base.metadata.tables

    def rows(table: str, columns: tuple[str, ...], order_by: str | None = None) -> Iterable[tuple[Any, ...]]:
        t = tables[table]
        query = select(*(t.c[c] for c in columns))
        if order_by:
            query = query.order_by(t.c[order_by])
        return (tuple(r) for r in conn.execute(query))
    return rows


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
