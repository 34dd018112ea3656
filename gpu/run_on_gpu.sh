#!/usr/bin/env bash
# On the GPU machine (PyTorch + transformers, no Qt): builds the engine against PyTorch's
# libtorch, checks it against the reference fixtures on CPU and CUDA, and benchmarks it
# against transformers. WB_JSON_INCLUDE must point at a folder with nlohmann/json.hpp.
set -euo pipefail
cd "$(dirname "$0")/.."
B="${WB_GPU_BUILD:-/tmp/wbgpu}"
cmake -S gpu -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')" \
  -DWB_JSON_INCLUDE="${WB_JSON_INCLUDE:?folder with nlohmann/json.hpp}" >/dev/null
ninja -C "$B" | tail -n 40
"$B/wb_gpu_check" tests/fixtures/reference/models
python3 gpu/bench_transformers.py --ours "$B/wb_gpu_bench"
