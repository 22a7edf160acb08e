"""Write the embedded sample CCG to resources/sample/sample_ccg.pcnproj.

Usage: .venv/bin/python scripts/make_sample_ccg.py [--check]

Deterministic: the same seed gives the same content on every run (compare with
``pcn_desktop.sample.build.canonical_dump``; the SQLite bytes themselves may differ).
``--check`` writes nothing and exits 1 if the shipped file differs from a fresh generation.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pcn_desktop.sample.build import build_shipped_sample, canonical_dump  # noqa: E402
from pcn_desktop.store import load_project, save_project  # noqa: E402

TARGET = REPO / "resources" / "sample" / "sample_ccg.pcnproj"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file; write nothing")
    parser.add_argument("--out", type=Path, default=TARGET, help=f"where to write (default {TARGET})")
    args = parser.parse_args(argv)
    project = build_shipped_sample()
    if args.check:
        same = args.out.is_file() and canonical_dump(load_project(args.out)) == canonical_dump(project)
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from a fresh generation; rerun this script'}")
        return 0 if same else 1
    save_project(project, args.out)
    patients = sum(project.list_size(c) for c in project.practices)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): {len(project.practices)} practices, "
          f"{len(project.areas)} areas, {len(project.networks)} networks, {patients:,} patients")
    return 0


if __name__ == "__main__":
    sys.exit(main())
