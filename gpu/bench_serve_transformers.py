"""Continuous batching on the GPU beside transformers, in one run: the Qwen2-0.5B shape in bf16,
C clients x N new greedy tokens. transformers' batched generate() at batch C is the anchor (all
prompts start together, as our clients do); ours is gpu/bench_serve.cpp (the serving engine's
DecodeSlots scheduling, without HTTP). Prints one JSON object."""
import argparse
import json
import subprocess
import time

import torch
import transformers

from bench_transformers import qwen2_shape_model  # the same weights as the batch-1 bench


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--model-dir", default="/tmp/qwen2-0.5b-shape")
    ap.add_argument("--clients", default="1,16")
    ap.add_argument("--prompt-len", type=int, default=128)
    ap.add_argument("--new-tokens", type=int, default=256)
    a = ap.parse_args()
    model = qwen2_shape_model(a.model_dir)
    hf = {}
    for c in [int(x) for x in a.clients.split(",")]:
        ids = torch.randint(10, 150000, (c, a.prompt_len), device="cuda")

        def run(n):
            torch.cuda.synchronize()
            t = time.perf_counter()
            with torch.no_grad():
                model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=n,
                               min_new_tokens=n, do_sample=False, pad_token_id=0)
            torch.cuda.synchronize()
            return time.perf_counter() - t

        run(8)
        secs = min(run(a.new_tokens) for _ in range(2))
        hf[c] = {"seconds": round(secs, 3), "aggregate_tokens_per_s": round(c * a.new_tokens / secs, 1)}
    del model
    torch.cuda.empty_cache()
    out = subprocess.run([a.ours, a.model_dir, a.clients, str(a.prompt_len), str(a.new_tokens)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
        raise SystemExit(1)
    ours = {r["clients"]: r for r in (json.loads(l) for l in out.stdout.strip().splitlines())}
    cs = sorted(ours)
    print(json.dumps({
        "transformers": {"version": transformers.__version__, "torch": torch.__version__,
                         "generate": {str(k): v for k, v in hf.items()}},
        "llm_workbench": {str(k): v for k, v in ours.items()},
        "scaling_vs_single_client": round(ours[cs[-1]]["aggregate_tokens_per_s"] /
                                          ours[cs[0]]["aggregate_tokens_per_s"], 2),
        "vs_transformers_at_max_clients": round(ours[cs[-1]]["aggregate_tokens_per_s"] /
                                                hf[cs[-1]]["aggregate_tokens_per_s"], 2),
    }, indent=2))


if __name__ == "__main__":
    main()
