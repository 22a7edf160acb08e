"""`pcn-desktop agreements PROJECT OUTDIR [--network CODE] [--pack]`: print network agreements.

One PDF per network, named from its code (or its name when it has none, made safe for the
file system). Prints each file written, its fingerprint, whether it is a DRAFT and the time
it took. Exit status 0; 2 when the project, network or clause template cannot be used.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..domain.wording import plural
from ..reports.agreement_batch import export_agreements
from ..reports.agreement_versions import HISTORY_KEY
from ..domain.model import Project
from ..paths import resource
from ..store import ProjectFileError, save_project
from ..reports.clauses import ClauseTemplateError, template_path
from . import CliError
from .common import add_as_at_argument, add_project_argument, apply_as_at, network_or_refuse, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreements", help="print each network's agreement as a PDF")
    add_project_argument(p)
    add_as_at_argument(p)
    p.add_argument("outdir", metavar="OUTDIR", help="folder to write the PDFs into (created if needed)")
    p.add_argument("--network", action="append", metavar="CODE",
                   help="only this network (ODS code, name or id); repeat for several")
    p.add_argument("--pack", action="store_true",
                   help="also write registration-pack.pdf (one page per network and coverage)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.scenario)
    apply_as_at(project, args)
    ids = None
    if args.network:
        ids = [network_or_refuse(project, args.project, key).id for key in args.network]
    outdir = Path(args.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise CliError(f"{outdir}: exists and is not a folder")
    print(f"Clause template: {template_path()}")
    try:
        before = json.dumps(project.settings.get(HISTORY_KEY) or {}, sort_keys=True)
        written = export_agreements(project, outdir, ids, pack=args.pack, record_versions=True)
    except ClauseTemplateError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{exc.filename or outdir}: cannot write ({exc.strerror})") from None
    for item in written:
        doc = item.document
        state = "DRAFT" if doc.draft else "final"
        version = f"  version {doc.version}" if doc.network_id else ""
        print(f"{item.path}  {doc.pages} pages  {state}{version}  fingerprint {doc.short_fingerprint}  "
              f"{item.seconds:.2f} s")
    if json.dumps(project.settings.get(HISTORY_KEY) or {}, sort_keys=True) != before:
        _save_history(project, args.project)
    agreements = [w for w in written if w.document.network_id]
    if agreements:
        mean = sum(w.seconds for w in agreements) / len(agreements)
        print(f"{plural(len(agreements), 'agreement')}, {mean:.2f} s per agreement")
    return 0


def _save_history(project: Project, target: str) -> None:
    """The version history is part of the project: a later change to a signed agreement must
    print with the next number. The shipped sample is never written."""
    if "://" not in target and Path(target).resolve() == resource("sample", "sample_ccg.pcnproj").resolve():
        print("Version history not saved: the shipped sample is never written (save a copy with "
              "'pcn-desktop sample PATH')")
        return
    try:
        save_project(project, target)
    except (OSError, ProjectFileError) as exc:
        print(f"Version history not saved in {target}: {exc}")
        return
    print(f"Version history saved in {target}")
