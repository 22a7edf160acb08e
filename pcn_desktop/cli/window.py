"""Open the window: `pcn-desktop [PROJECT]` and `pcn-desktop --screenshot OUT.png [PROJECT]`."""
from __future__ import annotations

import argparse
from typing import Sequence


def run_window(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pcn-desktop", description="Open the PCN Desktop window.")
    parser.add_argument("project", nargs="?", help="project file to open (default: a copy of the sample CCG)")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="open, wait until every pane (the map included) has drawn, save a PNG, exit")
    parser.add_argument("--screenshot-pane", default="window",
                        choices=("window", "map", "findings", "networks", "practices", "properties"),
                        help="with --screenshot: grab only this pane (default: the whole window)")
    parser.add_argument("--presentation", action="store_true", help="larger fonts for a projector")
    parser.add_argument("--scenario", metavar="NAME", help="open on this scenario (default: the active one)")
    args = parser.parse_args(list(argv))
    from ..ui.app import run   # noqa: PLC0415 — Qt is imported only here
    return run(args.project, screenshot=args.screenshot, presentation=args.presentation,
               screenshot_pane=args.screenshot_pane, scenario=args.scenario)
