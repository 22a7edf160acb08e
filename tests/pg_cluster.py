"""A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, a unix socket in that
dir (no TCP port), stopped with ``pg_ctl`` at the end of the session.

Debian's ``postgresql`` package puts the server programs in /usr/lib/postgresql/<ver>/bin.
initdb refuses to run as root, so as root the cluster belongs to ``nobody`` and the tests
connect through the socket as the cluster's superuser (trust authentication, socket only).
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "pcn"
PASSWORD_USER = "analyst"     # the one login that must give a password (scram), as on a team server


def server_bin() -> Path | None:
    """The folder holding initdb/pg_ctl/postgres, newest version first; None when absent."""
    env = os.environ.get("PCN_PG_BIN")
    candidates = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                          key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                                          reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(found).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="pcn-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.port = 5432
        self._numbers = itertools.count(1)
        self._run_as: str | None = "nobody" if os.geteuid() == 0 else None
        if self._run_as:
            shutil.chown(self.root, user=self._run_as)
        os.chmod(self.root, 0o755)

    def _run(self, *args: str) -> None:
        kwargs: dict = {"user": self._run_as} if self._run_as else {}
        done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd="/", **kwargs)
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        self._run(self.bin / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORD_USER} scram-sha-256\n" + hba.read_text())
        options = f"-k {self.socket_dir} -c listen_addresses='' -p {self.port} -c fsync=off"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-o", options, "-w", "-t", "60",
                  "-l", self.root / "server.log", "start")

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"

    def password_login(self, database: str, password: str) -> str:
        """A login that must give ``password``, owning ``database``; the URL without it."""
        import psycopg
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {PASSWORD_USER}")
            conn.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{password}'")
            conn.execute(f'ALTER DATABASE "{database}" OWNER TO {PASSWORD_USER}')
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname=database,
                             autocommit=True) as conn:
            conn.execute(f"GRANT ALL ON SCHEMA public TO {PASSWORD_USER}")
        return f"postgresql://{PASSWORD_USER}@/{database}?host={self.socket_dir}&port={self.port}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        import psycopg
        name = f"pcn_test_{next(self._numbers)}"
        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
