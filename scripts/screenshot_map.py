"""Screenshot a map HTML in headless Chromium with the network switched off.

Proves the map needs nothing from the internet: the proxy points at a closed port, so any
CDN script or tile request fails, and the screenshot shows only what the file carries.

    python scripts/screenshot_map.py MAP.html OUT.png [--size 1200x900]
    python scripts/screenshot_map.py --project P.pcnproj OUT.png [--network CODE]

Exit status: 0 written, 1 Chromium missing or failed.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def screenshot(html: Path, png: Path, width: int = 1200, height: int = 900,
               budget_ms: int = 5000, browser: str | None = None) -> Path:
    browser = browser or find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium on PATH (Debian: apt-get install chromium)")
    png = png.resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="pcn-chromium-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
               "--proxy-server=127.0.0.1:9",          # nothing listens there: no network
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--virtual-time-budget={budget_ms}", f"--screenshot={png}",
               html.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not png.is_file():
        raise RuntimeError(f"{browser} wrote no screenshot for {html} (status {done.returncode}): "
                           f"{done.stderr.strip()[-800:]}")
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, help="the map HTML to screenshot")
    parser.add_argument("png", type=Path, help="where to write the screenshot")
    parser.add_argument("--project", type=Path, help="render this project's map first")
    parser.add_argument("--network", help="with --project: zoom to this network")
    parser.add_argument("--size", default="1200x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    try:
        if args.project:
            from pcn_desktop.reports.map_html import render_map
            from pcn_desktop.store import load_project
            html = args.html or args.png.with_suffix(".html")
            render_map(load_project(args.project), html, highlight=args.network)
        elif args.html:
            html = args.html
        else:
            parser.error("give a map HTML or --project")
        out = screenshot(html, args.png, width, height)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"screenshot_map: {exc}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
