#!/usr/bin/env bash
# On the GPU machine: builds wb_gpu_pretrain_demo against PyTorch's libtorch and pretrains the
# demo model (see gpu/pretrain_demo.cpp), sizing the run to a time budget:
#   WB_JSON_INCLUDE=DIR WB_SENTENCEPIECE_DIR=DIR bash gpu/pretrain_demo.sh OUT_DIR SECONDS [key=value ...]
# (WB_SENTENCEPIECE_DIR: see gpu/CMakeLists.txt)
# A 100-step calibration measures the step time; the real run then takes as many steps as fit.
# OUT_DIR/final/run/model is the trained model: an experiment (gpu/RESULTS-h200-pretrain.txt);
# the shipped demo model comes from packaging/build-demo-model.sh on the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:?out dir}"; BUDGET="${2:?seconds}"; shift 2
B="${WB_GPU_BUILD:-/tmp/wbgpu}"
cmake -S gpu -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')" \
  -DWB_JSON_INCLUDE="${WB_JSON_INCLUDE:?folder with nlohmann/json.hpp}" \
  -DWB_SENTENCEPIECE_DIR="${WB_SENTENCEPIECE_DIR:?folder with sentencepiece include/ and lib/}" >/dev/null
ninja -C "$B" wb_gpu_pretrain_demo | tail -n 40
start=$(date +%s)
rm -rf "$OUT/calibration"
"$B/wb_gpu_pretrain_demo" resources/demo-model "$OUT/calibration" problems=2000 steps=100 "$@" \
  > "$OUT.calibration.log"
per=$(python3 - "$OUT.calibration.log" <<'PY'
import json, sys
pts = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"') and '"step"' in l]
ts = [p["tokens_per_s"] for p in pts if "tokens_per_s" in p]
print(sorted(ts)[len(ts) // 2])
PY
)
used=$(( $(date +%s) - start ))
echo "calibration: median $per tokens/s ($used s)"
python3 - "$per" "$BUDGET" "$used" "$@" > "$OUT.steps" <<'PY'
import sys
per, budget, used = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
batch = 64
for kv in sys.argv[4:]:
    if kv.startswith("batch="): batch = int(kv[6:])
# ~330 tokens per example; 60 s for data and the final save
print(max(200, int((budget - used - 60) * per / (batch * 330))))
PY
steps=$(cat "$OUT.steps")
echo "pretraining for $steps steps"
rm -rf "$OUT/final"
"$B/wb_gpu_pretrain_demo" resources/demo-model "$OUT/final" steps="$steps" \
  save_every=$(( steps / 4 )) "$@" | tee "$OUT.log" | grep -v '^{"epoch' || true
