"""User-edited text files (policy tables, clause templates, settings) as Windows saves them.

Notepad and Excel on a UK laptop write UTF-8 with a byte-order mark, UTF-8 without one, or
"ANSI" (Windows-1252); older Notepad also offers "Unicode" (UTF-16). All are read; anything
else is refused with the file named, never a UnicodeDecodeError traceback. Files the app
writes for Excel (CSV) carry the UTF-8 BOM, which is how Excel knows they are UTF-8.
"""
from __future__ import annotations

import codecs
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

# What the app's CSV exports are written in: UTF-8 with a BOM, so that Excel shows
# "St Andrew’s" rather than "St Andrewâ€™s"; every reader of the app accepts it.
CSV_EXPORT_ENCODING = "utf-8-sig"


class TextDecodeError(ValueError):
    """The file is not text in an encoding Windows users save in; the message names it."""


def decode_user_text(data: bytes, origin: str | Path) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc
    raise TextDecodeError(f"{origin}: not readable text: neither UTF-8 nor Windows-1252 (ANSI); "
                          f"byte 0x{data[last.start]:02x} at offset {last.start}. "
                          "Save it as UTF-8 in your editor") from None


def read_user_text(path: Path) -> str:
    """The text of ``path`` decoded as UTF-8 (BOM or not), UTF-16 with a BOM, or cp1252.

    OSError is left to the caller, which knows what the file was for."""
    return decode_user_text(Path(path).read_bytes(), path)


@contextmanager
def csv_for_excel(path: str | Path) -> Iterator[TextIO]:
    """Write a CSV for Excel (UTF-8 with BOM) atomically: into ``NAME.writing`` beside it,
    renamed over ``path`` once complete, removed if anything fails (a locked target, a full
    disk, an error mid-write), so no half-written file or stray ``.writing`` is left."""
    target = Path(path)
    tmp = target.with_name(target.name + ".writing")
    try:
        with open(tmp, "w", encoding=CSV_EXPORT_ENCODING, newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def normal_permissions(path: str | Path) -> None:
    """Give a file written through a private temporary file (mkstemp makes them 0600) the
    permissions the user's umask gives any new file, as a user's other files have."""
    if os.name != "posix":
        return                            # Windows: ACLs are inherited from the folder
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def replace_atomically(path: str | Path, data: str | bytes, shared: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file in the same folder,
    then put it in place: a reader, or a second process, never sees half a file, and a
    failed write leaves no temporary file. ``shared``: the user's normal permissions (a file
    the user handles; caches and frames keep mkstemp's private ones)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        if shared:
            normal_permissions(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
