"""Frozen-build entry point of `pcn-desktop-cli`: the command line as a console program.

The same contract and exit codes as `pcn-desktop`; with no subcommand it opens the window.
"""
import sys

from pcn_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
