"""A separate process making membership changes to one project through `pcn-desktop assign`
(run in-process, to spare 50 interpreter start-ups): each opens, moves, saves, and on a
stale read opens again and moves again.

    python team_worker.py PROJECT NAME PRACTICE,PRACTICE,... COUNT
prints one line per change: practice -> network key.
"""
from __future__ import annotations

import random
import sys

from pcn_desktop.cli import main as cli_main
from pcn_desktop.store import load_project


def main() -> int:
    target, name, practices, count = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
    rng = random.Random(name)
    for i in range(count):
        code = practices[i % len(practices)]

        project = load_project(target)        # only to choose a network it is not in yet
        here = project.networks_of(code)
        key = rng.choice(sorted(n.key for n in project.networks.values() if n.id not in here))
        status = cli_main(["assign", target, code, key])
        if status:
            return status
        print(f"MOVED {code} -> {key}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
