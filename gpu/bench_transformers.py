#!/usr/bin/env python3
"""Side by side, in one run: transformers' generate and LLM Workbench's engine (wb_gpu_bench)
on the same random-init model of Qwen2-0.5B shape in bf16, batch 1, greedy.

    python3 gpu/bench_transformers.py --ours /tmp/wbgpu/wb_gpu_bench [--prompt-len 128 --new-tokens 128]
"""
import argparse
import json
import os
import subprocess
import time

import torch
import transformers


def qwen2_shape_model(model_dir):
    """The random-init Qwen2-0.5B-shape model (seed 0, bf16) on CUDA, written to model_dir as a
    Hugging Face folder when it is not there yet, so that our engine loads the same weights."""
    torch.manual_seed(0)
    cfg = transformers.Qwen2Config(hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                                   num_attention_heads=14, num_key_value_heads=2, vocab_size=151936,
                                   max_position_embeddings=32768, rope_theta=1000000.0,
                                   tie_word_embeddings=True, rms_norm_eps=1e-6)
    model = transformers.Qwen2ForCausalLM(cfg).to(torch.bfloat16)
    if not os.path.exists(os.path.join(model_dir, "config.json")):
        model.save_pretrained(model_dir, safe_serialization=True)
    return model.cuda().eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--model-dir", default="/tmp/qwen2-0.5b-shape")
    ap.add_argument("--prompt-len", type=int, default=128)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--bandwidth", type=float, default=4.8e12, help="bytes/s (H200 HBM3e)")
    a = ap.parse_args()
    model = qwen2_shape_model(a.model_dir)
    ids = torch.randint(10, 150000, (1, a.prompt_len), device="cuda")

    def run(n):
        torch.cuda.synchronize()
        t = time.perf_counter()
        with torch.no_grad():
            model.generate(ids, max_new_tokens=n, min_new_tokens=n, do_sample=False, pad_token_id=0)
        torch.cuda.synchronize()
        return time.perf_counter() - t

    run(8)
    run(8)
    torch.cuda.reset_peak_memory_stats()
    t1 = min(run(1) for _ in range(3))
    tn = min(run(a.new_tokens) for _ in range(3))
    hf_decode = (a.new_tokens - 1) / (tn - t1)
    hf_peak = torch.cuda.max_memory_allocated()
    del model
    torch.cuda.empty_cache()

    out = subprocess.run([a.ours, a.model_dir, "cuda", "bf16", "1", str(a.prompt_len), str(a.new_tokens)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr)
        raise SystemExit(1)
    ours = json.loads(out.stdout.strip().splitlines()[-1])
    per_token_bytes = ours["weight_bytes"]  # batch 1 decode reads every weight once per token
    limit = a.bandwidth / per_token_bytes
    print(json.dumps({
        "transformers": {"version": transformers.__version__, "torch": torch.__version__,
                         "decode_tokens_per_s": round(hf_decode, 1), "ttft_s": round(t1, 5),
                         "peak_memory_bytes": hf_peak},
        "llm_workbench": ours,
        "decode_speedup": round(ours["decode_tokens_per_s"] / hf_decode, 2),
        "bandwidth_limit_tokens_per_s": round(limit, 1),
        "fraction_of_bandwidth_limit": round(ours["decode_tokens_per_s"] / limit, 3),
    }, indent=2))


if __name__ == "__main__":
    main()
