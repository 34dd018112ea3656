#!/usr/bin/env bash
# One command: install what is missing, build, and launch LLM Workbench on the default
# workspace (created and seeded with the demo on first launch). Arguments go to the app,
# e.g. --workspace DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/setup-debian.sh
bash packaging/build.sh
BIN="${WB_BUILD_DIR:-build/dev}/app/llm-workbench"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; starting under Xvfb (set DISPLAY to use your screen)"
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$BIN" "$@"
fi
exec "$BIN" "$@"
