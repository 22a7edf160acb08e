#!/usr/bin/env bash
# Freeze the app (installer/build.sh), then smoke-test the frozen programs against the source
# build with a clean environment (scripts/frozen_smoke.py). Fails when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash installer/build.sh --no-install
.venv/bin/python scripts/frozen_smoke.py dist/pcn-desktop
echo "frozen check: $(( $(date +%s) - start )) s in all"
