#!/usr/bin/env bash
# The Node OpenAI-client test of `llmwb serve` (serve.test.mjs), as ctest runs it:
#   run.sh /path/to/llmwb
# Installs the pinned client (package-lock.json) into a copy under the build folder, once, so
# the source tree gets no node_modules; then runs node's test runner.
set -euo pipefail
LLMWB="$(realpath "$1")"
SRC="$(cd "$(dirname "$0")" && pwd)"
WORK="${WB_NODE_WORK_DIR:-$(dirname "$LLMWB")/../tests/node}"
mkdir -p "$WORK"
cp "$SRC/package.json" "$SRC/package-lock.json" "$SRC/serve.test.mjs" "$WORK/"
if [ ! -d "$WORK/node_modules/openai" ] || ! cmp -s "$SRC/package-lock.json" "$WORK/node_modules/.package-lock.json.installed"; then
  (cd "$WORK" && npm ci --no-audit --no-fund)
  cp "$SRC/package-lock.json" "$WORK/node_modules/.package-lock.json.installed"
fi
cd "$WORK"
WB_LLMWB="$LLMWB" WB_SOURCE_DIR="$(cd "$SRC/../.." && pwd)" node --test serve.test.mjs
