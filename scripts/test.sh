#!/usr/bin/env bash
# Install everything the tests need (system packages included) and run the whole suite
# headless: Qt offscreen, no display, no network. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
export QT_QPA_PLATFORM=offscreen
[ "$(id -u)" -eq 0 ] && export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"
echo "== architecture contracts (import-linter)"
.venv/bin/lint-imports --no-cache
echo "== tests"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
