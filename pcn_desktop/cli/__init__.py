"""``pcn-desktop``: the window, and the same operations headless as subcommands.

Each subcommand lives in its own module here with ``register(subparsers)``; the module's
``run(args) -> int`` is what the parser calls. The contract (names, options, JSON shapes,
exit codes) is documented in the README and relied on by scripts: extend it, don't break it.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Sequence

from .. import __version__

# Subcommand modules, in the order `--help` lists them.
VERBS: list[str] = [
    "sample",
    "import_files",
    "validate",
    "boundaries",
    "map",
    "export",
    "agreements",
    "funding",
    "scenarios",
    "assign",
    "propose",
    "compare",
    "copy",
    "history",
    "password",
]


BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def quiet_blas(environ: dict[str, str] | None = None) -> None:
    """One BLAS thread unless the user asks for more (before numpy is first imported).

    Nothing here multiplies matrices: numpy serves shapely, the map and the import
    column-wise. OpenBLAS still starts a thread per core when numpy loads, and on a
    two-core laptop those threads fight the window's start (Chromium's processes, the
    worker reading the project) for the cores: numpy's import took 50-125 ms with them,
    50-80 ms without (``benchmarks/bench_ui_startup.py``).
    """
    (os.environ if environ is None else environ).setdefault(BLAS_THREADS, "1")


class CliError(Exception):
    """A refusal the user can act on: printed to stderr, exit status 2 unless given."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def build_parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``verb``, only that subcommand's module is imported
    and registered. Each module imports what its command needs (the agreements' PDF and map
    stack, the solver...): all fifteen made every command, `validate` and `import` included,
    spend about a second importing what it never used."""
    parser = argparse.ArgumentParser(
        prog="pcn-desktop",
        description="Form, validate, fund and print Primary Care Networks. "
                    "With no subcommand, opens the window (on the sample CCG when no project is named).")
    parser.add_argument("--version", action="version", version=f"pcn-desktop {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND")
    for name in VERBS:
        if verb is None or _verb_name(name) == verb:
            importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


# Exit status of an unexpected error (the traceback goes to a log, see crashlog.py); 1 means
# "errors found" (validate) or "file refused" (import), 2 a refusal the user can act on.
UNEXPECTED = 3


def main(argv: Sequence[str] | None = None) -> int:
    quiet_blas()
    from .console import prepare_streams
    prepare_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or not _is_verb(argv[0]):
        from .window import run_window   # Qt only when the window is wanted
        return run_window(argv)
    if argv == ["--version"]:            # what argparse's version action prints, without the parser
        print(f"pcn-desktop {__version__}")
        return 0
    parser = build_parser(argv[0] if argv[0] not in ("-h", "--help", "--version") else None)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CliError as exc:
        print(f"pcn-desktop {args.verb}: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except OSError as exc:               # a file locked by Excel, a full disk, a read-only folder
        print(f"pcn-desktop {args.verb}: {os_error_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 — the last resort: logged, one line, never a traceback
        from ..crashlog import one_line, write_crash_log
        log = write_crash_log(exc, f"pcn-desktop {' '.join(argv)}")
        print(f"pcn-desktop {args.verb}: {one_line(exc, log)}", file=sys.stderr)
        return UNEXPECTED


def os_error_line(exc: OSError) -> str:
    """``out.csv: cannot write (Permission denied)``: the file and the system's reason."""
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, PermissionError):
        reason += " (is it open in another program, such as Excel, or in a read-only folder?)"
    if exc.filename is None:
        return f"{reason} ({exc})" if str(exc) != reason else reason
    if exc.filename2 is not None:
        return f"{exc.filename} -> {exc.filename2}: {reason}"
    return f"{exc.filename}: {reason}"


def _is_verb(word: str) -> bool:
    if word in ("-h", "--help", "--version"):
        return True
    return word in {_verb_name(v) for v in VERBS}


def _verb_name(module: str) -> str:
    return {"import_files": "import"}.get(module, module)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
