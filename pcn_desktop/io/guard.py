"""What stands between a hostile file and the program: every reader runs inside ``guarded``.

* An input must be a regular file: a FIFO would block the first ``open`` for ever, a
  device or a folder is not data. The process's own standard input (``/dev/stdin``, ``-``)
  is the one exception: it is copied once to a temporary file, since readers open their
  file several times (to recognise it, then to read it).
* A reader runs within a time and a memory budget (settings): a watchdog thread raises
  ``BudgetExceeded`` in the reading thread, which the reader cannot swallow with
  ``except Exception``.
* Whatever a library raises becomes an ``ImportRefused`` naming the file; library warnings
  never reach stderr: they become notes of the file's summary (or the reader refuses).
"""
from __future__ import annotations

import ctypes
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
import warnings
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .errors import ImportRefused
from .limits import import_limits

if TYPE_CHECKING:
    from .kinds import Sample

STDIN_NAMES = {"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"}


class BudgetExceeded(BaseException):
    """Raised asynchronously in a reader past its budget. A BaseException, so that the
    readers' own ``except Exception`` (e.g. "not a workbook after all") cannot hide it."""


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _is_own_stdin(path: Path, info: os.stat_result) -> bool:
    if str(path) in STDIN_NAMES:
        return True
    try:
        return os.path.samestat(info, os.fstat(0))
    except OSError:
        return False


@contextmanager
def regular_input(path: Path) -> Iterator[Path]:
    """The path to read: ``path`` itself when it is a regular file, a one-time copy of
    standard input when it names it; otherwise ImportRefused. Never opens a FIFO."""
    try:
        info = os.stat(path) if str(path) != "-" else os.fstat(0)
    except OSError as exc:
        raise ImportRefused(path, None, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISREG(info.st_mode):
        yield path
        return
    if not _is_own_stdin(path, info) or stat.S_ISDIR(info.st_mode):
        raise ImportRefused(path, None, f"is {_kind_of(info.st_mode)}, not a regular file: "
                                        "save the data to a file and import that")
    fd, name = tempfile.mkstemp(prefix="pcn-stdin-", suffix=".input")
    copy = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def _rss_mb() -> float | None:
    """Resident memory of this process in MB (Linux /proc; None where unknown)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc else ctypes.c_void_p(0))


@contextmanager
def budget(path: Path, seconds: float | None = None, memory_mb: float | None = None) -> Iterator[None]:
    """Stop the body with ImportRefused when it runs past ``seconds`` or grows the process
    by more than ``memory_mb`` (defaults: the read_seconds_max / read_memory_mb_max settings)."""
    limits = import_limits()
    seconds = limits.read_seconds_max if seconds is None else seconds
    memory_mb = limits.read_memory_mb_max if memory_mb is None else memory_mb
    target = threading.get_ident()
    start, base = time.monotonic(), _rss_mb()
    lock, done = threading.Lock(), threading.Event()
    why: list[str] = []

    every = max(0.005, min(0.1, seconds / 5))

    def watch() -> None:
        while not done.wait(every):
            elapsed = time.monotonic() - start
            rss = _rss_mb()
            if elapsed > seconds:
                reason = f"reading stopped after {seconds:g} s (the read_seconds_max setting)"
            elif base is not None and rss is not None and rss - base > memory_mb:
                reason = f"reading stopped at {rss - base:,.0f} MB (the read_memory_mb_max setting)"
            else:
                continue
            with lock:
                if not done.is_set():
                    why.append(reason)
                    _raise_in(target, BudgetExceeded)
            return

    watcher = threading.Thread(target=watch, name="import-budget", daemon=True)
    watcher.start()
    try:
        yield
    except BudgetExceeded:
        raise ImportRefused(path, None, f"{why[0] if why else 'reading stopped'}: the file is too large "
                                        "or malformed") from None
    finally:
        with lock:
            done.set()
            if why:
                _raise_in(target, None)     # a stop that arrived as the body finished
    if why:
        raise ImportRefused(path, None, f"{why[0]}: the file is too large or malformed")


def describe(exc: BaseException) -> str:
    """A library's exception as a problem a user can read: its type's plain name and message."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if len(text) > 300:
        text = text[:300] + "…"
    if isinstance(exc, BudgetExceeded):
        return "reading stopped: over the read_seconds_max or read_memory_mb_max setting"
    if isinstance(exc, MemoryError):
        return "not enough memory to read it (the file is too large or malformed)"
    if isinstance(exc, UnicodeDecodeError):
        return f"text that is not UTF-8 or Windows-1252 ({text})"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (a malformed file)"
    return f"cannot be read: {type(exc).__name__}: {text}"


@contextmanager
def quiet_warnings(notes: list[str]) -> Iterator[None]:
    """Library warnings go to ``notes`` (one line each, deduplicated), never to stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            seen: set[str] = set()
            for w in caught:
                if issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)):
                    continue                # the developers' concern, not the user's
                text = " ".join(str(w.message).split())
                if text not in seen:
                    seen.add(text)
                    notes.append(f"warning from the reader: {text}")


def recognised_workbook(sample: "Sample", recognise: Callable[[Path], bool]) -> bool:
    """Whether ``sample`` is an xlsx workbook ``recognise(path)`` takes for its kind. Not a
    zip, or a zip that is no workbook: False. A zip bomb, or a workbook openpyxl cannot
    open: refused, naming the file, before any reader parses it."""
    import zipfile
    if not sample.head.startswith(b"PK\x03\x04"):
        return False
    check_zip_parts(sample.path)
    try:
        return recognise(sample.path)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile):       # a zip, but not a workbook
        return False
    except Exception as exc:                                          # a workbook openpyxl cannot open
        raise ImportRefused(sample.path, None, f"a damaged xlsx workbook ({type(exc).__name__}: "
                                               f"{' '.join(str(exc).split())[:200]})") from None


def check_zip_parts(path: Path) -> None:
    """Refuse a zip (xlsx) whose parts would inflate past the size or ratio settings,
    from the sizes in its directory and, since those can lie, by inflating each part in
    bounded chunks without keeping it."""
    import zipfile
    limits = import_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > limits.xlsx_part_max_bytes:
                    raise ImportRefused(path, None, f"part {info.filename} would be {info.file_size:,} bytes "
                                                    f"uncompressed (over the xlsx_part_max_bytes setting, "
                                                    f"{limits.xlsx_part_max_bytes:,}): refused before reading")
                if ratio > limits.xlsx_ratio_max and info.file_size > 1_000_000:
                    raise ImportRefused(path, None, f"part {info.filename} inflates {ratio:,.0f} times (over the "
                                                    f"xlsx_ratio_max setting, {limits.xlsx_ratio_max:g}): a "
                                                    "decompression bomb, refused before reading")
                _inflate_bounded(path, archive, info, limits.xlsx_part_max_bytes, limits.xlsx_ratio_max)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise ImportRefused(path, None, f"a damaged xlsx/zip file ({' '.join(str(exc).split())[:200]})") from None


def _inflate_bounded(path: Path, archive, info, max_bytes: int, max_ratio: float) -> None:
    total = 0
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            total += len(chunk)
            if total > max_bytes or (total > 1_000_000 and total / max(info.compress_size, 1) > max_ratio):
                raise ImportRefused(path, None, f"part {info.filename} inflates past the xlsx_part_max_bytes / "
                                                "xlsx_ratio_max settings although its directory says "
                                                f"{info.file_size:,} bytes: a decompression bomb, refused")
