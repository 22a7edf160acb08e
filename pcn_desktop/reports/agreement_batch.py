"""Print every network's agreement (and optionally the registration pack) into a folder.

Shared by the command line and the window's background export: progress is reported
through a callback and a ``cancelled`` callable is polled between documents, so the caller
decides how to show progress and how to stop.
"""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..domain.model import Project
from .agreement import PrintedDocument, build_agreement
from .agreement_versions import record
from .clauses import load_template
from .registration_pack import build_registration_pack

Progress = Callable[[int, int, str], None]      # done, total, what was just written


@dataclass(frozen=True)
class Exported:
    document: PrintedDocument
    path: Path
    seconds: float


def safe_filename(text: str, fallback: str = "network") -> str:
    """A file name every desktop OS accepts: ASCII letters, digits, '-', '_' and '.'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", plain).strip("._")
    plain = plain[:80]
    reserved = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                *(f"LPT{i}" for i in range(1, 10))}
    if not plain or plain.upper() in reserved:
        plain = f"{fallback}_{plain}" if plain else fallback
    return plain


def agreement_filenames(project: Project, network_ids: list[str]) -> dict[str, str]:
    """One name per network, made from its code (or name); clashes get -2, -3..."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for nid in network_ids:
        net = project.networks[nid]
        stem = safe_filename(net.code or net.name)
        name, n = f"{stem}.pdf", 1
        while name.lower() in used:
            n += 1
            name = f"{stem}-{n}.pdf"
        used.add(name.lower())
        names[nid] = name
    return names


def export_agreements(project: Project, outdir: Path, network_ids: list[str] | None = None,
                      pack: bool = False, progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      record_versions: bool = False) -> list[Exported]:
    """Write one PDF per network (and ``registration-pack.pdf`` when asked); returns what
    was written, stopping cleanly between documents when ``cancelled()`` turns true.

    With ``record_versions``, each printed content is added to the project's version history
    (``agreement_versions``); the caller saves the project."""
    outdir.mkdir(parents=True, exist_ok=True)
    ids = network_ids if network_ids is not None else [n.id for n in project.sorted_networks()]
    names = agreement_filenames(project, ids)
    template = load_template()      # read once: every document of a batch uses one wording
    total = len(ids) + (1 if pack else 0)
    done: list[Exported] = []
    for nid in ids:
        if cancelled is not None and cancelled():
            return done
        path = outdir / names[nid]
        start = time.perf_counter()
        printed = build_agreement(project, nid, path, template)
        if record_versions:
            signed = project.networks[nid].agreement_signed
            record(project, printed.network_key, printed.content, signed.isoformat() if signed else "")
        done.append(Exported(printed, path, time.perf_counter() - start))
        if progress is not None:
            progress(len(done), total, str(path))
    if pack and not (cancelled is not None and cancelled()):
        path = outdir / "registration-pack.pdf"
        start = time.perf_counter()
        printed = build_registration_pack(project, path, ids)
        done.append(Exported(printed, path, time.perf_counter() - start))
        if progress is not None:
            progress(len(done), total, str(path))
    return done
