#!/usr/bin/env bash
# Install everything the tests need (system packages included) and run the whole suite
# headless: Qt offscreen, no display, no network. Extra arguments go to pytest.
# Then (CI, or PCN_FROZEN_CHECK=1) freeze the app, smoke-test the frozen programs in a clean
# environment against the source build and compile the installer script (scripts/frozen_check.sh);
# PCN_FROZEN_CHECK=0 skips that.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
export QT_QPA_PLATFORM=offscreen
[ "$(id -u)" -eq 0 ] && export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"
frozen=0
if [ "${PCN_FROZEN_CHECK:-${CI:-0}}" != "0" ] && [ "${PCN_FROZEN_CHECK:-1}" != "0" ]; then
  # Before the tests, so that pytest's summary stays the last line; its status is kept.
  echo "== frozen build (PyInstaller), smoke test in a clean environment, installer script"
  bash scripts/frozen_check.sh || frozen=$?
fi
echo "== architecture contracts (import-linter)"
.venv/bin/lint-imports --no-cache
echo "== tests"
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
if [ "$frozen" -ne 0 ]; then
  echo "the frozen build check failed (exit $frozen): see its output above" >&2
  [ "$status" -eq 0 ] && status=$frozen
fi
exit "$status"
