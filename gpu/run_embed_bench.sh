#!/usr/bin/env bash
# Encoder embedding throughput side by side with sentence-transformers (issue 5), in one command
# on the GPU machine (PyTorch + sentence-transformers, no Qt, no hub access):
#   bash gpu/run_embed_bench.sh [bench_embed_st.py options, e.g. --shapes small --batches 128]
# Builds only wb_gpu_bench_embed against PyTorch's libtorch, then runs gpu/bench_embed_st.py,
# which writes gpu/RESULTS-h200-embed.txt (copied to $OUT as well when that is set).
# nlohmann/json.hpp comes from .gpu-deps/ (carry it) or WB_JSON_INCLUDE, else /usr/include.
set -euo pipefail
cd "$(dirname "$0")/.."
B="${WB_GPU_BUILD:-/tmp/wbgpu}"
J="${WB_JSON_INCLUDE:-$PWD/.gpu-deps}"
[ -f "$J/nlohmann/json.hpp" ] || J=/usr/include
[ -f "$J/nlohmann/json.hpp" ] || { echo "no nlohmann/json.hpp: carry .gpu-deps or set WB_JSON_INCLUDE" >&2; exit 2; }
start=$SECONDS
log="${B%/}-embed-build.log"
if ! cmake -S gpu -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')" \
  -DWB_JSON_INCLUDE="$J" >"$log" 2>&1; then
  cat "$log" >&2; exit 1
fi
grep "wb_gpu_encoder" "$log" || true
if ! ninja -C "$B" -j"${WB_GPU_JOBS:-16}" wb_gpu_bench_embed >"$log" 2>&1; then
  tail -n 80 "$log" >&2; exit 1
fi
echo "build: $((SECONDS - start)) s"
status=0
# The whole command should end within WB_EMBED_BUDGET_S (default 280 s): the script skips a
# further model shape that would likely run past it, and says so in the results.
budget=$(( ${WB_EMBED_BUDGET_S:-280} - (SECONDS - start) ))
PYTHONUNBUFFERED=1 python3 gpu/bench_embed_st.py --ours "$B/wb_gpu_bench_embed" --budget-s "$budget" "$@" || status=$?
if [ -n "${OUT:-}" ] && [ -f gpu/RESULTS-h200-embed.txt ]; then cp gpu/RESULTS-h200-embed.txt "$OUT/"; fi
echo "total: $((SECONDS - start)) s"
exit $status
