"""The project store on a real PostgreSQL server (a throwaway cluster, see pg_cluster.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from pcn_desktop.paths import resource
from pcn_desktop.sample.build import canonical_dump
from pcn_desktop.store import ProjectFileError, load_project, save_project
from pcn_desktop.store.database import display_url, parse_url
from pcn_desktop.store.migrations_runner import head_revision, upgrade_to_head


def sample():
    return load_project(resource("sample", "sample_ccg.pcnproj"))


def test_a_postgresql_url_saves_and_opens_the_same_project(pg_url):
    project = sample()
    save_project(project, pg_url)
    back = load_project(pg_url)
    assert canonical_dump(back) == canonical_dump(project)


def test_plain_postgresql_urls_use_psycopg_3_and_passwords_are_never_shown():
    assert parse_url("postgresql://a@h/db").drivername == "postgresql+psycopg"
    shown = display_url("postgresql://alice:s3cret@db.example/pcn")
    assert "s3cret" not in shown and shown == "postgresql://alice@db.example/pcn"


def test_alembic_migrates_a_postgresql_database_from_the_first_revision(pg_url):
    engine = create_engine(parse_url(pg_url))
    try:
        from alembic import command
        from pcn_desktop.store.migrations_runner import alembic_config
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
        upgrade_to_head(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
            assert conn.execute(text("SELECT count(*) FROM edit_version")).scalar() == 0
    finally:
        engine.dispose()


def test_a_database_at_an_older_revision_is_upgraded_when_opened(pg_url):
    engine = create_engine(parse_url(pg_url))
    try:
        from alembic import command
        from pcn_desktop.store.migrations_runner import alembic_config
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
            conn.execute(text("INSERT INTO project_meta (key, value) VALUES ('name', 'Old team'), ('settings', '{}')"))
    finally:
        engine.dispose()
    project = load_project(pg_url)
    assert project.name == "Old team"
    save_project(project, pg_url)
    assert load_project(pg_url).name == "Old team"


def test_an_unreachable_server_is_a_readable_refusal(pg_cluster):
    url = pg_cluster.url("no_such_database")
    with pytest.raises(ProjectFileError, match="no_such_database"):
        load_project(url)


class MemoryKeyring:
    """A credential store for the test: what the OS's would hold, kept in a dict."""

    def __init__(self) -> None:
        import keyring.backend

        class Backend(keyring.backend.KeyringBackend):
            priority = 1
            saved: dict = {}

            def get_password(self, service, username):
                return self.saved.get((service, username))

            def set_password(self, service, username, password):
                self.saved[(service, username)] = password

            def delete_password(self, service, username):
                self.saved.pop((service, username), None)
        self.backend = Backend()


def test_passwords_come_from_the_credential_store_and_are_kept_nowhere(pg_url, monkeypatch, tmp_path, capsys):
    import keyring
    from pcn_desktop.cli import main
    from pcn_desktop.store.database import create_database_engine, keyring_key
    memory = MemoryKeyring().backend
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("hunter2-secret\n"))
        assert main(["password", pg_url, "--stdin"]) == 0
        assert "hunter2-secret" not in capsys.readouterr().out
        assert memory.saved[("pcn-desktop", keyring_key(parse_url(pg_url)))] == "hunter2-secret"
        engine = create_database_engine(pg_url)
        assert engine.url.password == "hunter2-secret"
        assert "hunter2-secret" not in repr(engine.url) and "hunter2-secret" not in str(engine.url)
        engine.dispose()
        save_project(sample(), pg_url)                  # trust auth: the password is offered, not needed
        engine = create_engine(parse_url(pg_url))
        with engine.connect() as conn:
            stored = " ".join(f"{k} {v}" for k, v in conn.execute(text("SELECT key, value FROM project_meta")).all())
        engine.dispose()
        assert "hunter2" not in stored
        assert main(["password", "postgresql://a:inline@h/db", "--stdin"]) == 2
    finally:
        keyring.set_keyring(previous)


def test_a_login_that_needs_a_password_gets_it_from_the_credential_store(pg_cluster, monkeypatch):
    import keyring
    from pcn_desktop.store.database import store_password
    url = pg_cluster.new_database()
    database = parse_url(url).database
    login = pg_cluster.password_login(database, "s3cret-team-pw")
    memory = MemoryKeyring().backend
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")          # nothing but the credential store
    try:
        with pytest.raises(ProjectFileError) as refused:
            save_project(sample(), login)
        assert "password" in str(refused.value) and "pcn-desktop password" in str(refused.value)
        assert "s3cret" not in str(refused.value)
        store_password(login, "s3cret-team-pw")
        save_project(sample(), login)
        assert load_project(login).name == sample().name
    finally:
        keyring.set_keyring(previous)
