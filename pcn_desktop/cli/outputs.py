"""Output files named on the command line: the kind follows the extension, the folder is made.

Every subcommand that writes a file checks its extension before doing any work (``map
x.png`` would otherwise write HTML into a .png) and creates the missing parent folders, as
a user typing ``export p.pcnproj out/2021/practices.csv`` expects.
"""
from __future__ import annotations

from pathlib import Path

from . import CliError


def output_file(text: str | Path, kinds: tuple[str, ...], what: str) -> Path:
    """OUT as a path once its extension is one of ``kinds`` (e.g. ``(".html", ".htm")``)."""
    path = Path(text)
    if path.suffix.lower() not in kinds:
        raise CliError(f"{path}: {what} is written as {' or '.join(kinds)}, "
                       f"not {path.suffix or 'a file without an extension'}")
    if path.is_dir():
        raise CliError(f"{path}: is a folder; name the file to write")
    make_parent(path)
    return path


def make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"{path.parent}: cannot create the folder ({exc.strerror or exc})") from None
