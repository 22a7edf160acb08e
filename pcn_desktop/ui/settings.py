"""Per-user settings: QSettings in an INI file under the config dir, recent files.

Tests (and portable installs) set PCN_DESKTOP_CONFIG_DIR so nothing touches a user's own settings.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from ..paths import config_dir as paths_config_dir

MAX_RECENT = 8


def config_dir() -> Path:
    path = paths_config_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def app_settings() -> QSettings:
    return QSettings(str(config_dir() / "pcn-desktop.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[str]:
    value = app_settings().value("recentFiles", [])
    if isinstance(value, str):       # QSettings returns a bare string for a one-item list
        value = [value]
    return [str(v) for v in value or [] if v]


def add_recent_file(path: str) -> list[str]:
    files = [path] + [f for f in recent_files() if f != path]
    files = files[:MAX_RECENT]
    settings = app_settings()
    settings.setValue("recentFiles", files)
    settings.sync()
    return files


def autosave_minutes() -> int:
    try:
        return max(1, int(app_settings().value("autosaveMinutes", 5)))
    except (TypeError, ValueError):
        return 5
