"""`pcn-desktop agreements PROJECT OUTDIR [--network CODE] [--pack]`: print network agreements.

One PDF per network, named from its code (or its name when it has none, made safe for the
file system). Prints each file written, its fingerprint, whether it is a DRAFT and the time
it took. Exit status 0; 2 when the project, network or clause template cannot be used.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..reports.agreement_batch import export_agreements
from ..reports.clauses import ClauseTemplateError, template_path
from . import CliError
from .common import add_project_argument, network_or_refuse, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreements", help="print each network's agreement as a PDF")
    add_project_argument(p)
    p.add_argument("outdir", metavar="OUTDIR", help="folder to write the PDFs into (created if needed)")
    p.add_argument("--network", action="append", metavar="CODE",
                   help="only this network (ODS code, name or id); repeat for several")
    p.add_argument("--pack", action="store_true",
                   help="also write registration-pack.pdf (one page per network and coverage)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = open_project(args.project, args.scenario)
    ids = None
    if args.network:
        ids = [network_or_refuse(project, args.project, key).id for key in args.network]
    outdir = Path(args.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise CliError(f"{outdir}: exists and is not a folder")
    print(f"Clause template: {template_path()}")
    try:
        written = export_agreements(project, outdir, ids, pack=args.pack)
    except ClauseTemplateError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"{exc.filename or outdir}: cannot write ({exc.strerror})") from None
    for item in written:
        doc = item.document
        state = "DRAFT" if doc.draft else "final"
        print(f"{item.path}  {doc.pages} pages  {state}  fingerprint {doc.short_fingerprint}  "
              f"{item.seconds:.2f} s")
    agreements = [w for w in written if w.document.network_id]
    if agreements:
        mean = sum(w.seconds for w in agreements) / len(agreements)
        print(f"{len(agreements)} agreement(s), {mean:.2f} s per agreement")
    return 0
