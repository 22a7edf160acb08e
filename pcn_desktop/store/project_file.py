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
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..domain.model import Project
from .leftovers import remove_stale_saves, save_problem, temp_prefix
from .reading import SCHEMA_REVISION, read_project, revision_of, sqlite_rows

if TYPE_CHECKING:
    from sqlalchemy import Engine

# SQLAlchemy, Alembic and the models are imported where a save, a migration or a database URL
# needs them: opening a current project file reads it with sqlite3 alone (see reading.py).
Progress = Callable[[str], None]
TABLES_IN_ORDER = ["project_meta", "practice", "list_size", "small_area", "registration", "network",
                   "membership", "clinical_director", "boundary", "area_assignment", "workforce_plan",
                   "audit_log"]
SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectFileError(Exception):
    """A project that cannot be opened or saved; the message names the file."""


def is_database_url(target: str | os.PathLike[str]) -> bool:
    return "://" in str(target)


def sqlite_engine(path: Path) -> "Engine":
    from sqlalchemy import create_engine, event  # noqa: PLC0415 — see the note on imports

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(conn: sqlite3.Connection, _record: Any) -> None:
        conn.execute("PRAGMA foreign_keys=ON")
    return engine


# ---------------------------------------------------------------------------------------
def save_project(project: Project, target: str | os.PathLike[str]) -> None:
    """Save everything; on failure the previous file (or database content) is untouched."""
    from sqlalchemy import create_engine, delete  # noqa: PLC0415 — see the note on imports

    from . import models as m  # noqa: PLC0415
    if is_database_url(target):
        engine = create_engine(str(target))
        try:
            m.Base.metadata.create_all(engine)
            with engine.begin() as conn:
                stamp_head(conn)
                for name in reversed(TABLES_IN_ORDER):
                    conn.execute(delete(m.Base.metadata.tables[name]))
                _write_rows(conn, project)
        finally:
            engine.dispose()
        return
    path = Path(target)
    problem = save_problem(path)
    if problem:
        raise ProjectFileError(problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_saves(path)
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


def stamp_head(conn: Any) -> None:
    """Record the schema revision as Alembic would (its own table, one row), in plain SQL so
    that saving does not import Alembic; a test checks Alembic reads the stamp back."""
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
                         "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
    conn.exec_driver_sql("DELETE FROM alembic_version")
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (SCHEMA_REVISION,))


def _write_rows(conn: Any, project: Project) -> None:
    from shapely import wkb  # noqa: PLC0415 — see the note on imports
    from sqlalchemy import insert  # noqa: PLC0415

    from . import models as m  # noqa: PLC0415

    def put(model: type, rows: list[dict[str, Any]]) -> None:
        if rows:
            conn.execute(insert(model), rows)

    meta = {"name": project.name, "settings": json.dumps(project.settings, default=str),
            "format": SCHEMA_REVISION}
    put(m.ProjectMeta, [{"key": k, "value": v} for k, v in meta.items()])
    put(m.PracticeRow, [dict(code=p.code, name=p.name, address="\n".join(p.address), postcode=p.postcode,
                             latitude=p.latitude, longitude=p.longitude, status=p.status.value,
                             opened=p.opened, closed=p.closed, commissioner=p.commissioner)
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
    put(m.NetworkRow, [dict(id=n.id, code=n.code, name=n.name, commissioner=n.commissioner,
                            exemption=n.exemption, exemption_reason=n.exemption_reason,
                            nominated_payee=n.nominated_payee, agreement_signed=n.agreement_signed,
                            notes=n.notes) for n in project.networks.values()])
    put(m.MembershipRow, [dict(practice_code=x.practice_code, network_id=x.network_id, start=x.start, end=x.end)
                          for x in project.memberships])
    put(m.ClinicalDirectorRow, [dict(network_id=n.id, name=d.name, professional_body=d.professional_body,
                                     registration_number=d.registration_number, practice_code=d.practice_code,
                                     wte=d.wte, start=d.start)
                                for n in project.networks.values() if (d := n.director) is not None])
    put(m.BoundaryRow, [dict(network_id=b.network_id, geometry=wkb.dumps(b.geometry),
                             provenance=b.provenance, built=b.built)
                        for b in project.boundaries.values() if b.network_id in project.networks])
    put(m.AreaAssignmentRow, [dict(area_code=a, network_id=n) for a, n in project.area_assignments.items()
                              if n in project.networks])
    put(m.WorkforceRow, [dict(network_id=nid, role=r.role, wte=r.wte, start=r.start, end=r.end,
                              annual_cost=r.annual_cost, scenario=r.scenario)
                         for nid, roles in project.workforce.items() if nid in project.networks
                         for r in roles])
    put(m.AuditRow, [dict(what=e.what, old=e.old, new=e.new, when=e.when, who=e.who) for e in project.audit])


# ---------------------------------------------------------------------------------------
def load_project(source: str | os.PathLike[str]) -> Project:
    """Open a project file (or database URL). Older formats are migrated in a temporary copy;
    the file itself changes only when the user saves."""
    if is_database_url(source):
        from sqlalchemy import create_engine  # noqa: PLC0415 — see the note on imports
        engine = create_engine(str(source))
        try:
            with engine.connect() as conn:
                return _read(conn)
        finally:
            engine.dispose()
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
                    return read_project(sqlite_rows(conn))
                except Exception as exc:
                    raise ProjectFileError(f"{path}: damaged or incomplete project file ({exc})") from None
    except sqlite3.Error as exc:
        raise ProjectFileError(f"{path}: cannot be read ({exc})") from None
    if revision is None:
        raise ProjectFileError(f"{path}: not a PCN Desktop project (no schema version)")
    return _load_migrated_copy(path)


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
    from sqlalchemy import select  # noqa: PLC0415 — see the note on imports

    from . import models as m  # noqa: PLC0415
    tables = m.Base.metadata.tables

    def rows(table: str, columns: tuple[str, ...], order_by: str | None = None) -> Iterable[tuple[Any, ...]]:
        t = tables[table]
        query = select(*(t.c[c] for c in columns))
        if order_by:
            query = query.order_by(t.c[order_by])
        return (tuple(r) for r in conn.execute(query))
    return read_project(rows)


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
