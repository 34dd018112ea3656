#!/usr/bin/env bash
# Configures and builds LLM Workbench into build/dev (Ninja, ccache when present).
# Extra arguments are passed to the configure step (e.g. -DWB_BUILD_GUI=OFF).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${WB_BUILD_DIR:-build/dev}"
JOBS="${WB_JOBS:-$(nproc)}"
# Each compiler process can take ~1 GB; keep the parallelism within memory.
MEM_GB=$(awk '/MemAvailable/ {print int($2 / 1048576)}' /proc/meminfo)
if [ "$MEM_GB" -lt "$JOBS" ]; then JOBS=$(( MEM_GB > 0 ? MEM_GB : 1 )); fi
# ccache: cache across checkouts in different folders (CI clones elsewhere), and across the
# precompiled torch header.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
