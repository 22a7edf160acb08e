"""Start-up imports: the window's plain-Python modules all load in preload (out of PySide6's
sight, see pcn_desktop/ui/preload.py), and opening a project pulls in no database or map
library it does not use."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "shapely", "pyproj")
NEVER_AT_START = ("sqlalchemy", "alembic", "folium", "branca", "pandas", "geopandas", "reportlab",
                  "matplotlib", "pyogrio")

SCRIPT = """
import sys
from pcn_desktop.ui.preload import preload
preload()
assert 'PySide6' not in sys.modules, 'preload imported Qt'
before = set(sys.modules)
import PySide6.QtWidgets
import pcn_desktop.ui.startup, pcn_desktop.ui.main_window, pcn_desktop.ui.import_export
late = sorted(m for m in set(sys.modules) - before
              if (m.startswith('pcn_desktop.') and not m.startswith('pcn_desktop.ui'))
              or m.split('.')[0] in {heavy!r})
print('late:', ' '.join(late))
print('never:', ' '.join(sorted(m for m in {never!r} if m in sys.modules)))
"""


def test_every_plain_module_the_window_imports_is_preloaded_before_qt():
    script = SCRIPT.format(heavy=set(HEAVY), never=set(NEVER_AT_START))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines())
    # a module listed here is imported after PySide6: add it to preload.WINDOW_MODULES
    assert lines["late"].split() == []
    assert lines["never"].split() == []


PLAIN = """
import builtins, sys
import PySide6.QtCore
hooked = builtins.__import__
from pcn_desktop.ui.opening import preload_plainly
preload_plainly()
assert builtins.__import__ is hooked, 'the import hook was not put back'
try:
    from shibokensupport.feature import pyside_feature_dict
except ImportError:
    print('no feature table')
else:
    seen = sorted(m for m in pyside_feature_dict if m.startswith(('numpy', 'shapely', 'pcn_desktop.domain')))
    print('looked at:', ' '.join(seen))
"""


def test_the_start_imports_the_data_stack_out_of_pysides_sight():
    done = subprocess.run([sys.executable, "-c", PLAIN], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout.strip()
    if out == "no feature table":
        return                                  # a PySide6 without the hook: nothing to avoid
    assert out == "looked at:", out


ORDER = """
import sys
seen = []
class Recorder:
    def find_spec(self, name, path=None, target=None):
        seen.append(name)
        return None
sys.meta_path.insert(0, Recorder())
import pcn_desktop.ui.app
print(' '.join(seen))
"""


def test_numpy_and_shapely_load_their_native_libraries_before_qt_and_chromium():
    """On the main thread, before Chromium's start: not in the opening worker while it runs."""
    done = subprocess.run([sys.executable, "-c", ORDER], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    order = done.stdout.split()
    assert "numpy" in order and "shapely" in order
    assert order.index("numpy") < order.index("PySide6.QtCore") and order.index("shapely") < order.index("PySide6.QtCore")
