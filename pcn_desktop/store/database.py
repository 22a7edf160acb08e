"""Database URLs: recognising them, connecting with the right driver, and passwords kept out.

A team database is named by a URL such as ``postgresql://alice@db.trust.nhs.uk/pcn``. The
password is never part of what the app stores or prints: it comes from the operating system's
credential store (the ``keyring`` package: Windows Credential Manager, macOS Keychain, the
Secret Service on Linux), or from libpq's own ``.pgpass`` file or ``pg_service.conf`` entry
(``postgresql:///?service=pcn``), which libpq reads without the app seeing them.
"""
from __future__ import annotations

import getpass
import os
import socket
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine

KEYRING_SERVICE = "pcn-desktop"


def is_database_url(target: str | os.PathLike[str]) -> bool:
    return "://" in str(target)


def parse_url(target: str) -> "URL":
    """The URL with the psycopg 3 driver chosen: a plain ``postgresql://`` would otherwise ask
    SQLAlchemy for psycopg2, which is not a dependency."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415 — SQLAlchemy only for a URL

    url = make_url(str(target))
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def display_url(target: str | os.PathLike[str]) -> str:
    """The URL as it may be shown, logged or remembered: never with a password in it."""
    text = str(target)
    if not is_database_url(text):
        return text
    try:
        url = parse_url(text)
    except Exception:  # an unparsable URL: show only what precedes any credentials
        return text.split("://", 1)[0] + "://…"
    shown = url._replace(password=None)  # set() treats None as "leave as it is"
    if url.drivername == "postgresql+psycopg" and not text.startswith("postgresql+psycopg"):
        shown = shown.set(drivername=text.split("://", 1)[0])
    return shown.render_as_string(hide_password=False)


def keyring_key(url: "URL") -> str:
    """The name a password is filed under in the credential store: user@host:port/database."""
    return f"{url.username or getpass.getuser()}@{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def stored_password(url: "URL") -> str | None:
    try:
        import keyring  # noqa: PLC0415 — only when connecting to a server
        return keyring.get_password(KEYRING_SERVICE, keyring_key(url))
    except Exception:  # no credential store on this machine: libpq's .pgpass still applies
        return None


def store_password(target: str, password: str) -> str:
    """File the password in the operating system's credential store; returns the key used."""
    import keyring  # noqa: PLC0415

    url = parse_url(target)
    key = keyring_key(url)
    keyring.set_password(KEYRING_SERVICE, key, password)
    return key


def client_name() -> str:
    """Who this connection is, as the server shows it to others (pg_stat_activity)."""
    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return f"pcn-desktop {user}@{socket.gethostname()} pid {os.getpid()}"[:63]


def create_database_engine(target: str, **kwargs: Any) -> "Engine":
    """An engine for a project database. A password typed into the URL is used but refused
    nowhere (it is the user's choice for a one-off command); otherwise the credential store's."""
    from sqlalchemy import create_engine  # noqa: PLC0415

    url = parse_url(target)
    if url.drivername.startswith("postgresql"):
        if url.password is None and (password := stored_password(url)) is not None:
            url = url.set(password=password)
        args = dict(kwargs.pop("connect_args", {}))
        args.setdefault("application_name", client_name())
        args.setdefault("connect_timeout", 15)
        return create_engine(url, connect_args=args, **kwargs)
    return create_engine(url, **kwargs)
