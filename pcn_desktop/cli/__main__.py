"""`python -m pcn_desktop.cli`: the same program as `pcn-desktop`."""
import sys

from . import main

sys.exit(main())
