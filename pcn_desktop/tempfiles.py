"""The app's temporary folders: made in one place, removed when done, swept when left behind.

The window's map writes its page into a ``pcn-map-*`` folder. It is removed when the map
pane goes or the program exits; a folder left by a killed or crashed session is swept at
the next start once it is a day old (a day, so that a second window running now keeps its own).
"""
from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from pathlib import Path

MAP_PREFIX = "pcn-map-"
STALE_AFTER_S = 24 * 3600


def owned_temp_dir(owner: object, prefix: str = MAP_PREFIX) -> tuple[Path, weakref.finalize]:
    """A new temporary folder removed when ``owner`` is collected or the program exits;
    call the returned finalizer to remove it sooner."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    return path, weakref.finalize(owner, shutil.rmtree, str(path), True)


def sweep_stale(prefix: str = MAP_PREFIX, older_than_s: float = STALE_AFTER_S,
                folder: Path | None = None) -> int:
    """Remove ``prefix*`` folders in the temp folder untouched for ``older_than_s``; how many."""
    base = Path(folder or tempfile.gettempdir())
    removed = 0
    cutoff = time.time() - older_than_s
    try:
        candidates = list(base.glob(prefix + "*"))
    except OSError:
        return 0
    for path in candidates:
        try:
            if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
                removed += not path.exists()
        except OSError:
            continue
    return removed
