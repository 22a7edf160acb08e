"""`pcn-desktop password URL`: file a database password in the operating system's credential
store (Windows Credential Manager, macOS Keychain, Secret Service), so that neither a URL, a
project, a settings file nor a log ever has to hold it."""
from __future__ import annotations

import argparse
import getpass
import sys

from ..store.database import display_url, is_database_url, parse_url, store_password
from . import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("password", help="keep a team database's password in the system's credential store")
    p.add_argument("url", metavar="URL", help="the database URL, without the password "
                                             "(e.g. postgresql://alice@db.example.nhs.uk/pcn)")
    p.add_argument("--stdin", action="store_true", help="read the password from standard input, not a prompt")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not is_database_url(args.url):
        raise CliError(f"{args.url}: not a database URL")
    if parse_url(args.url).password is not None:
        raise CliError(f"{display_url(args.url)}: give the URL without its password; you will be asked for it")
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("Password: ")
    if not password:
        raise CliError("no password given; nothing stored")
    try:
        key = store_password(args.url, password)
    except Exception as exc:  # no usable credential store (e.g. a server without one)
        raise CliError(f"the system's credential store refused the password ({exc}); "
                       "use a .pgpass file or a pg_service.conf entry instead") from None
    print(f"password for {key} stored in the system's credential store")
    return 0
