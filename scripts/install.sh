#!/usr/bin/env bash
# Install PCN Desktop into ./.venv on Debian/Ubuntu: the system libraries Qt needs (apt, when
# run as root or with sudo), the Python packages (PyPI), and the Leaflet map assets
# (npm registry, pinned and checksummed). Safe to run again: it installs only what is missing.
#   scripts/install.sh          the app
#   scripts/install.sh --test   the app plus what the test suite needs (Xvfb, poppler, Chromium,
#                               and PyInstaller and NSIS for the frozen-build check;
#                               PostgreSQL: the tests start a throwaway server of their own)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

runtime_pkgs=(python3-venv python3-pip libgl1 libegl1 libfontconfig1 libglib2.0-0 libxkbcommon0
  libxkbcommon-x11-0 libdbus-1-3 libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1
  libasound2 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxshmfence1 libxi6 fonts-dejavu-core)
test_pkgs=(xvfb poppler-utils chromium nsis postgresql)
command -v npm >/dev/null 2>&1 || runtime_pkgs+=(nodejs npm)
pkgs=("${runtime_pkgs[@]}")
[ "$want_test" = 1 ] && pkgs+=("${test_pkgs[@]}")

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install: system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "PCN Desktop needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
extra=""
[ "$want_test" = 1 ] && extra="[test,freeze]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import pcn_desktop, PySide6, geopandas" || { echo "install: the Python packages did not install" >&2; exit 1; }
.venv/bin/python scripts/fetch_map_assets.py
echo "install: done. Start the app with .venv/bin/pcn-desktop"
