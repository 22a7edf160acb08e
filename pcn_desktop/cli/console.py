"""The console as scripts and Windows meet it: no stream, a narrow encoding, a closed pipe.

- A Windows GUI program has no stdout/stderr (``None``): writes go nowhere instead of failing.
- A UK Windows redirect is cp1252: characters it cannot hold are replaced, never fatal.
- ``pcn-desktop … | head`` closes the pipe early: the command carries on (it may still have a
  file to save), later output is dropped and the exit status is the command's own.
"""
from __future__ import annotations

import os
import sys
from typing import Any, TextIO


class PipeGuard:
    """A text stream that swallows the reader going away (BrokenPipeError, or EINVAL on Windows)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self._stream.write(text)
            except (BrokenPipeError, ConnectionResetError):
                self._reader_left()
            except OSError as exc:
                if not _pipe_closed_on_windows(exc):
                    raise
                self._reader_left()
        return len(text)

    def flush(self) -> None:
        if self.reader_gone:
            return
        try:
            self._stream.flush()
        except (BrokenPipeError, ConnectionResetError):
            self._reader_left()
        except OSError as exc:
            if not _pipe_closed_on_windows(exc):
                raise
            self._reader_left()

    def _reader_left(self) -> None:
        self.reader_gone = True
        # What is still buffered must not raise again when Python flushes at exit.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _pipe_closed_on_windows(exc: OSError) -> bool:
    import errno
    return sys.platform == "win32" and exc.errno == errno.EINVAL


def prepare_streams() -> None:
    """Make stdout and stderr safe for any command: present, encoding-proof and pipe-proof."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, PipeGuard):
            continue
        if stream is None:                  # pythonw / a frozen GUI program on Windows
            stream = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 — lives as long as the process
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
        setattr(sys, name, PipeGuard(stream))
