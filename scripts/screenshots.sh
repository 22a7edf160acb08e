#!/usr/bin/env bash
# Screenshots of the window on the sample CCG, under Xvfb: the whole window, the map pane,
# the findings pane and the networks pane, in OUT_DIR (default out/screenshots).
#   scripts/screenshots.sh [OUT_DIR] [PROJECT]
# Needs: apt-get install -y xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-image0
#        libxcb-render-util0 libxkbcommon-x11-0 libxcb-xinerama0
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/out/screenshots}"
project="${2:-}"
app="$here/.venv/bin/pcn-desktop"
[ -x "$app" ] || app="pcn-desktop"
mkdir -p "$out"
command -v xvfb-run >/dev/null || { echo "xvfb-run not found: apt-get install -y xvfb" >&2; exit 2; }
# a throwaway settings dir: screenshots never depend on (or change) a user's saved layout
export PCN_DESKTOP_CONFIG_DIR="$(mktemp -d)"
trap 'rm -rf "$PCN_DESKTOP_CONFIG_DIR"' EXIT
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"; fi
shot() {  # name, extra args...
  local name="$1"; shift
  xvfb-run -a -s "-screen 0 1600x1000x24" "$app" ${project:+"$project"} --screenshot "$out/$name.png" "$@" \
    2>"$out/$name.log" || { echo "screenshot $name failed; see $out/$name.log" >&2; exit 1; }
  echo "$out/$name.png"
}
shot window
shot map --screenshot-pane map
shot findings --screenshot-pane findings
shot networks --screenshot-pane networks
shot presentation --presentation
