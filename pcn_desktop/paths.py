"""Where the app's shipped files are: a source checkout, an installed wheel, a frozen build."""
from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(top_level: str, packaged: str, env: str) -> Path:
    candidates: list[Path] = []
    if os.environ.get(env):
        candidates.append(Path(os.environ[env]))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / top_level)
    candidates += [_PACKAGE / packaged, _PACKAGE.parent / top_level]
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(f"cannot find the {top_level}/ folder (looked in "
                            + ", ".join(str(c) for c in candidates) + ")")


def resources_dir() -> Path:
    return _locate("resources", "_resources", "PCN_DESKTOP_RESOURCES")


def maps_dir() -> Path:
    return _locate("maps", "_maps", "PCN_DESKTOP_MAPS")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def config_dir() -> Path:
    """The per-user folder for settings, recovery files, policy additions and templates.

    One definition for the window, the command line and the reports, so they never drift.
    PCN_DESKTOP_CONFIG_DIR wins (tests and portable installs).
    """
    override = os.environ.get("PCN_DESKTOP_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "PCN Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "PCN Desktop"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "pcn-desktop"


CACHE_ENV = "PCN_DESKTOP_CACHE"          # overrides the user cache folder (tests, benchmarks)


def cache_dir() -> Path:
    """The per-user cache: what is parsed from files once and kept between runs (postcode
    tables, policy tables). ``$PCN_DESKTOP_CACHE``, else the platform's user cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "pcn-desktop" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "pcn-desktop"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pcn-desktop"


def local_data_dir() -> Path:
    """The per-user, per-machine folder for recovery files (never roamed between machines:
    a roaming profile would copy whole projects at every log-off, and two machines' windows
    would share one recovery file). ``%LOCALAPPDATA%\\PCN Desktop`` on Windows.

    PCN_DESKTOP_LOCAL_DIR wins; with only PCN_DESKTOP_CONFIG_DIR set (tests, portable
    installs) it is a ``local`` folder inside that, so nothing reaches the user's own folders.
    """
    override = os.environ.get("PCN_DESKTOP_LOCAL_DIR")
    if override:
        return Path(override)
    if os.environ.get("PCN_DESKTOP_CONFIG_DIR"):
        return Path(os.environ["PCN_DESKTOP_CONFIG_DIR"]) / "local"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "PCN Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "PCN Desktop"
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "pcn-desktop"


def as_chosen(path: str | os.PathLike[str]) -> Path:
    """An absolute path as the user gave it: ``Path.resolve`` would turn a mapped drive
    (``P:\\Projects``) into its UNC target and follow links the user chose not to see."""
    return Path(os.path.abspath(path))
