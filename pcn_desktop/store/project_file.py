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
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any, Callable

from shapely import wkb
from sqlalchemy import Engine, create_engine, delete, event, insert, select

from ..domain.model import (AuditEntry, Boundary, ClinicalDirector, Membership, Network, PlannedRole,
                            Practice, PracticeStatus, Project, SmallArea)
from . import models as m
from .migrations_runner import head_revision, revision_of, stamp_head, upgrade_to_head

Progress = Callable[[str], None]
TABLES_IN_ORDER = [m.ProjectMeta, m.PracticeRow, m.ListSizeRow, m.SmallAreaRow, m.RegistrationRow,
                   m.NetworkRow, m.MembershipRow, m.ClinicalDirectorRow, m.BoundaryRow,
                   m.AreaAssignmentRow, m.WorkforceRow, m.AuditRow]
SQLITE_MAGIC = b"SQLite format 3\x00"


class ProjectFileError(Exception):
    """A project that cannot be opened or saved; the message names the file."""


def is_database_url(target: str | os.PathLike[str]) -> bool:
    return "://" in str(target)


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _pragmas(conn: sqlite3.Connection, _record: Any) -> None:
        conn.execute("PRAGMA foreign_keys=ON")
    return engine


# ---------------------------------------------------------------------------------------
def save_project(project: Project, target: str | os.PathLike[str]) -> None:
    """Save everything; on failure the previous file (or database content) is untouched."""
    if is_database_url(target):
        engine = create_engine(str(target))
        try:
            m.Base.metadata.create_all(engine)
            with engine.begin() as conn:
                stamp_head(conn)
                for table in reversed(TABLES_IN_ORDER):
                    conn.execute(delete(table))
                _write_rows(conn, project)
        finally:
            engine.dispose()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".saving", dir=path.parent)
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
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_rows(conn: Any, project: Project) -> None:
    def put(model: type, rows: list[dict[str, Any]]) -> None:
        if rows:
            conn.execute(insert(model), rows)

    meta = {"name": project.name, "settings": json.dumps(project.settings, default=str),
            "format": head_revision()}
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
        engine = create_engine(str(source))
        try:
            with engine.connect() as conn:
                return _read(conn)
        finally:
            engine.dispose()
    path = Path(source)
    if not path.is_file():
        raise ProjectFileError(f"{path}: no such project file")
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise ProjectFileError(f"{path}: not a PCN Desktop project (not an SQLite database)")
    engine = sqlite_engine(path)
    try:
        with engine.connect() as conn:
            revision = revision_of(conn)
    except Exception as exc:
        raise ProjectFileError(f"{path}: cannot be read ({exc})") from None
    finally:
        engine.dispose()
    if revision is None:
        raise ProjectFileError(f"{path}: not a PCN Desktop project (no schema version)")
    if revision != head_revision():
        return _load_migrated_copy(path)
    engine = sqlite_engine(path)
    try:
        with engine.connect() as conn:
            return _read(conn)
    except Exception as exc:
        raise ProjectFileError(f"{path}: damaged or incomplete project file ({exc})") from None
    finally:
        engine.dispose()


def _load_migrated_copy(path: Path) -> Project:
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
    project = Project()
    meta = {r.key: r.value for r in conn.execute(select(m.ProjectMeta))}
    project.name = meta.get("name", "Untitled")
    project.settings = json.loads(meta.get("settings") or "{}")
    for r in conn.execute(select(m.PracticeRow)):
        project.practices[r.code] = Practice(
            r.code, r.name, tuple(r.address.split("\n")) if r.address else (), r.postcode,
            r.latitude, r.longitude, PracticeStatus(r.status), r.opened, r.closed, r.commissioner)
    for r in conn.execute(select(m.ListSizeRow)):
        project.list_sizes[r.practice_code][r.counted_at] = r.patients
    for r in conn.execute(select(m.SmallAreaRow)):
        project.areas[r.code] = SmallArea(r.code, r.name, wkb.loads(r.geometry) if r.geometry else None, r.place)
    regs: dict[date, dict[tuple[str, str], int]] = defaultdict(dict)
    for r in conn.execute(select(m.RegistrationRow)):
        regs[r.counted_at][(r.practice_code, r.area_code)] = r.patients
    project.registrations.update(regs)
    for r in conn.execute(select(m.NetworkRow)):
        project.add_network(Network(r.id, r.name, r.code, r.commissioner, r.exemption, r.exemption_reason,
                                    r.nominated_payee, r.agreement_signed, r.notes))
    for r in conn.execute(select(m.MembershipRow).order_by(m.MembershipRow.id)):
        project.add_membership(Membership(r.practice_code, r.network_id, r.start, r.end))
    for r in conn.execute(select(m.ClinicalDirectorRow)):
        project.networks[r.network_id].director = ClinicalDirector(
            r.name, r.practice_code, r.professional_body, r.registration_number, r.wte, r.start)
    for r in conn.execute(select(m.BoundaryRow)):
        project.boundaries[r.network_id] = Boundary(r.network_id, wkb.loads(r.geometry), r.provenance, r.built)
    for r in conn.execute(select(m.AreaAssignmentRow)):
        project.area_assignments[r.area_code] = r.network_id
    for r in conn.execute(select(m.WorkforceRow).order_by(m.WorkforceRow.id)):
        project.workforce[r.network_id].append(PlannedRole(r.role, r.wte, r.start, r.end, r.annual_cost, r.scenario))
    project.audit = [AuditEntry(r.what, r.old, r.new, r.when, r.who)
                     for r in conn.execute(select(m.AuditRow).order_by(m.AuditRow.id))]
    return project


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
