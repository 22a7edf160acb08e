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
