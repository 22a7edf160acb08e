#!/usr/bin/env bash
# Freeze PCN Desktop into dist/pcn-desktop (one folder) and, where makensis exists, wrap it
# in an installer. On Linux this checks the freeze; the Windows build runs the same spec.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/python -m pip install -q -e ".[freeze]"
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/pcn_desktop.spec
dist/pcn-desktop/pcn-desktop --version || dist/pcn-desktop/pcn-desktop.exe --version
# The installer wraps a Windows build; a Linux freeze only proves the spec.
if command -v makensis >/dev/null 2>&1 && [ -f dist/pcn-desktop/pcn-desktop.exe ]; then
  makensis -V2 -DVERSION="$(.venv/bin/python -c 'import pcn_desktop; print(pcn_desktop.__version__)')" installer/pcn_desktop.nsi
fi
