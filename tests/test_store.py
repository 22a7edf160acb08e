import hashlib
import os
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from builders import network, practice
from shapely.geometry import box
from sqlalchemy import create_engine

from pcn_desktop.domain.model import Boundary, PlannedRole, Project, SmallArea
from pcn_desktop.store import ProjectFileError, load_project, save_project
from pcn_desktop.store import project_file
from pcn_desktop.store.migrations_runner import upgrade_to_head
from pcn_desktop.store.models import Base


def rich_project() -> Project:
    p = Project()
    p.name = "Test CCG"
    p.settings = {"rules": {"minimum_list": 25000}, "contract_year": "2020/21"}
    net = network(p, "North", {"A00001": 20000, "A00002": 15000}, code="U00001")
    practice(p, "A00003", 900)
    p.practices["A00001"].address = ("1 High Street", "Colne")
    p.areas["E01000001"] = SmallArea("E01000001", "Colne 001A", box(-2.2, 53.8, -2.1, 53.9), "Pendle")
    p.registrations[date(2020, 4, 1)][("A00001", "E01000001")] = 1234
    p.area_assignments["E01000001"] = net.id
    p.boundaries[net.id] = Boundary(net.id, box(-2.2, 53.8, -2.1, 53.9), "registrations", datetime(2020, 5, 1))
    p.workforce[net.id].append(PlannedRole("Clinical pharmacist", 1.0, "2020-04", "2021-03", 52000.0))
    p.record("sample", "", "made", "tester")
    return p


def canonical(p: Project):
    return (p.name, p.settings, sorted((c, x.name, x.address, x.postcode, x.status) for c, x in p.practices.items()),
            {c: dict(s) for c, s in p.list_sizes.items()},
            sorted((n.name, n.code, n.director.name if n.director else "", n.nominated_payee,
                    n.agreement_signed) for n in p.networks.values()),
            sorted((m.practice_code, p.networks[m.network_id].name, m.start, m.end) for m in p.memberships),
            {a: (x.name, x.place, x.geometry.wkt) for a, x in p.areas.items()},
            {d: dict(r) for d, r in p.registrations.items()},
            {p.networks[n].name: (b.geometry.wkt, b.provenance) for n, b in p.boundaries.items()},
            {p.networks[n].name: roles for n, roles in p.workforce.items()},
            [(e.what, e.old, e.new, e.who) for e in p.audit])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_keeps_everything(tmp_path):
    p = rich_project()
    save_project(p, tmp_path / "a.pcnproj")
    assert canonical(load_project(tmp_path / "a.pcnproj")) == canonical(p)


def test_failed_save_leaves_last_saved_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "a.pcnproj"
    save_project(rich_project(), path)
    before = sha(path)

    def explode(conn, project):
        raise RuntimeError("disk full")
    monkeypatch.setattr(project_file, "_write_rows", explode)
    with pytest.raises(RuntimeError):
        save_project(Project(), path)
    assert sha(path) == before
    assert [f.name for f in tmp_path.iterdir()] == ["a.pcnproj"]   # no temp file left behind


def test_killed_mid_save_leaves_a_whole_project(tmp_path):
    """Kill a saving process at several moments: the file is always the old or the new state."""
    path = tmp_path / "big.pcnproj"
    save_project(rich_project(), path)
    script = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})
        from builders import practice
        from pcn_desktop.domain.model import Project
        from pcn_desktop.store import save_project
        p = Project(); p.name = "Bigger"
        for i in range(60000):
            practice(p, f"B{{i:05d}}", i)
        print("ready", flush=True)
        save_project(p, {str(path)!r})
    """)
    for delay in (0.05, 0.3, 0.8):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.kill()           # SIGKILL on POSIX, TerminateProcess on Windows
        proc.wait()
        loaded = load_project(path)
        assert loaded.name in ("Test CCG", "Bigger")
        if loaded.name == "Bigger":
            assert len(loaded.practices) == 60000


def test_migrations_build_the_same_schema_as_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_project_from_an_older_format_is_upgraded_in_a_copy(tmp_path):
    path = tmp_path / "old.pcnproj"
    save_project(rich_project(), path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='0000-unknown'")
    engine.dispose()
    before = sha(path)
    with pytest.raises(ProjectFileError, match="cannot be upgraded"):
        load_project(path)
    assert sha(path) == before


def test_refuses_what_is_not_a_project(tmp_path):
    text = tmp_path / "notes.pcnproj"
    text.write_text("hello")
    with pytest.raises(ProjectFileError, match="not a PCN Desktop project"):
        load_project(text)
    with pytest.raises(ProjectFileError, match="no such project file"):
        load_project(tmp_path / "missing.pcnproj")
    half = tmp_path / "half.pcnproj"
    save_project(rich_project(), half)
    half.write_bytes(half.read_bytes()[:3000])
    with pytest.raises(ProjectFileError):
        load_project(half)
