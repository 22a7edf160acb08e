"""Frozen-build entry point: the same `pcn-desktop` program as the installed script."""
import sys

from pcn_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
