"""Open the window: `pcn-desktop [PROJECT]` and `pcn-desktop --screenshot OUT.png [PROJECT]`."""
from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import Sequence

NO_DISPLAY = ("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
              "on a server run the commands (pcn-desktop --help), or set QT_QPA_PLATFORM=offscreen "
              "(with --screenshot)")


def run_window(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="pcn-desktop", description="Open the PCN Desktop window.")
    parser.add_argument("project", nargs="?", help="project file to open (default: a copy of the sample CCG)")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="open, wait until every pane (the map included) has drawn, save a PNG, exit")
    parser.add_argument("--screenshot-pane", default="window",
                        choices=("window", "map", "findings", "networks", "practices", "properties", "funding",
                                 "history"),
                        help="with --screenshot: grab only this pane (default: the whole window)")
    parser.add_argument("--presentation", action="store_true", help="larger fonts for a projector")
    parser.add_argument("--scenario", metavar="NAME", help="open on this scenario (default: the active one)")
    args = parser.parse_args(list(argv))
    if not has_display():
        print(f"pcn-desktop: {NO_DISPLAY}", file=sys.stderr)
        return 2
    if args.screenshot:
        from . import CliError
        from .outputs import output_file
        try:
            output_file(args.screenshot, (".png",), "the screenshot")
        except CliError as exc:
            print(f"pcn-desktop: {exc}", file=sys.stderr)
            return exc.status
    gc.disable()               # loading Qt makes many objects and no garbage: ui.app.run turns it on
    from ..ui.app import run   # noqa: PLC0415 — Qt is imported only here
    return run(args.project, screenshot=args.screenshot, presentation=args.presentation,
               screenshot_pane=args.screenshot_pane, scenario=args.scenario)


def has_display(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """False where Qt's default (xcb/wayland) would abort with its own misleading message."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if env.get("QT_QPA_PLATFORM"):
        return True                       # the user chose a platform (offscreen, vnc, ...)
    if platform in ("win32", "darwin"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
