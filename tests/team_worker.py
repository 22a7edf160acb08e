"""A separate process making membership changes to one project, each saved on its own, the
way `pcn-desktop assign` does (open, change, save; on a stale read open again and redo).

    python team_worker.py PROJECT NAME PRACTICE,PRACTICE,... COUNT
prints one line per change: practice -> network key.
"""
from __future__ import annotations

import random
import sys

from pcn_desktop.cli.editing import change_with_retry
from pcn_desktop.domain.commands import MovePractice


def main() -> int:
    target, name, practices, count = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
    rng = random.Random(name)
    for i in range(count):
        code = practices[i % len(practices)]

        def move(project, code=code):
            nets = sorted(project.networks)
            here = project.networks_of(code)
            to = rng.choice([n for n in nets if n not in here])
            MovePractice(code, to).do(project)
            return project.networks[to].key
        key = change_with_retry(target, f"worker {name}", move, attempts=200)
        print(f"{code} -> {key}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
