"""Test set-up: Qt offscreen, settings in a temp dir, and the real NHS files in ../shared/data."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("PCN_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public NHS files; tests that need them skip, saying why, when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real NHS data not found at {SHARED_DATA} (set PCN_SHARED_DATA to its folder)")
    return SHARED_DATA


def shared_file(*parts: str) -> Path:
    """A file under ../shared/data, or a skip naming the missing file."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real NHS file not found: {path}")
    return path


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """QSettings, per-user files and caches go to temp dirs, never the tester's own.

    The cache is shared across the session so the postcode tables are built once."""
    home = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("PCN_DESKTOP_CONFIG_DIR", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("PCN_DESKTOP_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session", autouse=True)
def _web_pages_deleted_before_qt_exits():
    """Delete every window (and so every QWebEnginePage) before the QApplication goes.

    QtWebEngine crashes at exit when its profile is released while a page still exists
    ("Release of profile requested but WebEnginePage still not deleted"), which would turn a
    green run into exit status 139.
    """
    yield
    import sys
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        return
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for the session (see pg_cluster.py); skipped, saying why,
    only when the server programs are not installed (scripts/install.sh --test installs them)."""
    from pg_cluster import Cluster, server_bin
    bin_dir = server_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server programs not found (apt-get install postgresql, or set PCN_PG_BIN)")
    cluster = Cluster(bin_dir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return pg_cluster.new_database()
