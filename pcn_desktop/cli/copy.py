"""`pcn-desktop copy SRC DST [--force]`: copy a project between a file and a database, either
way, everything included (history and edit versions too). A destination that already holds a
project is refused without --force, so a mistyped name cannot wipe a team's database."""
from __future__ import annotations

import argparse

from ..domain.wording import plural
from ..store.database import display_url, is_database_url
from . import CliError
from .common import open_project
from .editing import contents_or_refuse, holding, save_or_refuse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("copy", help="copy a project between a file and a database (either way)")
    p.add_argument("source", metavar="SRC", help="project file or database URL to copy from")
    p.add_argument("destination", metavar="DST", help="project file or database URL to copy to")
    p.add_argument("--force", action="store_true", help="overwrite a destination that already holds a project")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    src, dst = args.source, args.destination
    if not is_database_url(src) and not is_database_url(dst) and _same_file(src, dst):
        raise CliError(f"{src}: source and destination are the same project")
    project = open_project(src)
    with holding(dst, "copy"):
        holds = contents_or_refuse(dst)
        if holds and not args.force:
            raise CliError(f"{display_url(dst)} already holds a project ({holds}); "
                           "nothing copied (--force overwrites it)")
        save_or_refuse(project, dst, fresh=True)
    print(f"copied {display_url(src)} to {display_url(dst)}: {plural(len(project.networks), 'network')}, "
          f"{plural(len(project.practices), 'practice')}, {plural(len(project.audit), 'history entry', 'history entries')}")
    return 0


def _same_file(a: str, b: str) -> bool:
    from pathlib import Path
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False
