"""Whether a store already holds a project: a copy must not overwrite one unasked."""
from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from .database import create_database_engine, display_url, is_database_url


def describe_contents(target: str | os.PathLike[str]) -> str:
    """'' for nothing there (no file, an empty file or database); otherwise what it holds."""
    if is_database_url(target):
        return _database_contents(str(target))
    path = Path(target)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return ""
    if not path.is_file():
        return "a folder"
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "network" in tables and "practice" in tables:
                nets = conn.execute("SELECT count(*) FROM network").fetchone()[0]
                practices = conn.execute("SELECT count(*) FROM practice").fetchone()[0]
                return f"{nets} networks, {practices} practices"
            return f"{len(tables)} tables" if tables else ""
    except sqlite3.Error:
        return "a file that is not a project"


def _database_contents(url: str) -> str:
    from sqlalchemy import inspect, text  # noqa: PLC0415

    from .project_file import ProjectFileError, _reason  # noqa: PLC0415
    engine = create_database_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                return ""
            if {"network", "practice"} <= tables:
                nets = conn.execute(text("SELECT count(*) FROM network")).scalar()
                practices = conn.execute(text("SELECT count(*) FROM practice")).scalar()
                if nets or practices:
                    return f"{nets} networks, {practices} practices"
                meta = conn.execute(text("SELECT count(*) FROM project_meta")).scalar() if "project_meta" in tables else 0
                return "an empty project" if meta else ""
            return f"{len(tables)} other tables"
    except Exception as exc:
        raise ProjectFileError(f"{display_url(url)}: cannot be reached ({_reason(exc)})") from None
    finally:
        engine.dispose()
