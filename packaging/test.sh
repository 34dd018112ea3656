#!/usr/bin/env bash
# One command: install what is missing, build, and run the whole test suite with ctest.
# Extra arguments go to ctest (e.g. -L unit, -R tst_store).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/setup-debian.sh
bash packaging/build.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "${WB_BUILD_DIR:-build/dev}" --output-on-failure -j "$(nproc)" "$@"
