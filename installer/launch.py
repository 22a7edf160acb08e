"""Frozen-build entry point of `pcn-desktop`: the window (a GUI program on Windows).

Scripts use `pcn-desktop-cli`, the console build of the same program.
"""
import sys

from pcn_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
