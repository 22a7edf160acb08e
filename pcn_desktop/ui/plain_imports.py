"""The window's start imports its modules with Python's own import function.

Once loaded, PySide6 watches the import system: for every module imported after it, it
reads the module's source to see whether the module selects PySide6's optional features
(``from __feature__ import snake_case``, which this app never does). For the start's ~400
modules (numpy, shapely, sqlite3, the app's own, and the first use of the machinery that
reads source) that is tens of milliseconds of every start spent reading files for nothing.
The app never selects a feature, so a module PySide6 has not looked at behaves as one it has.
Plain Python, no Qt: imported before PySide6 is.
"""
from __future__ import annotations

import builtins
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def plain_imports() -> Iterator[None]:
    """Imports inside use Python's own import function (PySide6 keeps it as ``__orig_import__``;
    without one there is nothing to step round)."""
    own = getattr(builtins, "__orig_import__", None)
    hooked = builtins.__import__
    if own is not None:
        builtins.__import__ = own
    try:
        yield
    finally:
        builtins.__import__ = hooked
