#!/usr/bin/env bash
# Freeze PCN Desktop into dist/pcn-desktop (one folder, two programs: pcn-desktop, the window,
# and pcn-desktop-cli, the console command line) and compile the NSIS installer script
# against it. installer/build.ps1 does the same on Windows, where the installer is the product.
#   installer/build.sh              install, freeze, print size and time, compile the installer
#   installer/build.sh --no-install skip scripts/install.sh (CI has just run it)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--no-install" ] || bash scripts/install.sh
.venv/bin/python -c "import PyInstaller" 2>/dev/null \
  || .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[freeze]"
# Icon, Windows version resource and the installer's version, all from pcn_desktop.__version__.
.venv/bin/python installer/make_assets.py
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  installer/pcn_desktop.spec
echo "freeze: dist/pcn-desktop in $(( $(date +%s) - start )) s, $(du -sm dist/pcn-desktop | cut -f1) MB," \
     "$(find dist/pcn-desktop -type f | wc -l) files"
.venv/bin/python installer/make_assets.py --files dist/pcn-desktop
if command -v makensis >/dev/null 2>&1; then
  # On Linux the folder holds Linux programs: this proves the script compiles against the
  # real folder (every File, the icon, the version); the shipped installer is built on Windows.
  start=$(date +%s)
  makensis -V2 -DFAST -DOUTFILE="$PWD/build/installer-check-setup.exe" installer/pcn_desktop.nsi
  echo "makensis: the installer script compiled in $(( $(date +%s) - start )) s" \
       "($(du -sm build/installer-check-setup.exe | cut -f1) MB uncompressed)"
  rm -f build/installer-check-setup.exe
else
  echo "makensis: not installed (Debian: apt-get install nsis); installer not compiled" >&2
  exit 1
fi
