#!/usr/bin/env python3
"""Side by side, in one run: transformers + peft LoRA training and LLM Workbench's trainer
(wb_gpu_bench_train) on the same random-init model of Qwen2-0.5B shape in bf16: sequence 1024,
LoRA r=16 (alpha 32) on all linear layers, AdamW, the same batch; the loss is on the last quarter
of each sequence (the response of an SFT example), prompt tokens are labelled -100.

    python3 gpu/bench_train_peft.py --ours /tmp/wbgpu/wb_gpu_bench_train [--batch 4 --steps 10]

Tokens/s counts every sequence token (prompt + response). Peak memory is the CUDA caching
allocator's peak reservation (torch.cuda.max_memory_reserved) on both sides.
"""
import argparse
import json
import os
import subprocess
import time

import peft
import torch
import transformers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--model-dir", default="/tmp/qwen2-0.5b-shape")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--seq-len", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--gradient-checkpointing", action="store_true")
    a = ap.parse_args()
    torch.manual_seed(0)
    cfg = transformers.Qwen2Config(hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                                   num_attention_heads=14, num_key_value_heads=2, vocab_size=151936,
                                   max_position_embeddings=32768, rope_theta=1000000.0,
                                   tie_word_embeddings=True, rms_norm_eps=1e-6)
    if not os.path.exists(os.path.join(a.model_dir, "config.json")):
        transformers.Qwen2ForCausalLM(cfg).to(torch.bfloat16).save_pretrained(
            a.model_dir, safe_serialization=True)

    # Ours first, in its own process (a clean CUDA context for its peak memory).
    out = subprocess.run([a.ours, a.model_dir, str(a.batch), str(a.seq_len), str(a.steps),
                          str(a.rank), "1" if a.gradient_checkpointing else "0"],
                         check=True, capture_output=True, text=True)
    ours = json.loads(out.stdout.strip().splitlines()[-1])

    model = transformers.AutoModelForCausalLM.from_pretrained(a.model_dir, dtype=torch.bfloat16).cuda()
    if a.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    lcfg = peft.LoraConfig(task_type="CAUSAL_LM", r=a.rank, lora_alpha=2 * a.rank, lora_dropout=0.0,
                           target_modules="all-linear")
    model = peft.get_peft_model(model, lcfg)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4, fused=True)
    prompt = int(a.seq_len * 0.75)

    def step():
        ids = torch.randint(0, cfg.vocab_size, (a.batch, a.seq_len), device="cuda")
        labels = ids.clone()
        labels[:, :prompt] = -100
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)

    for _ in range(2):
        step()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t = time.perf_counter()
    for _ in range(a.steps):
        step()
    torch.cuda.synchronize()
    dt = time.perf_counter() - t
    peft_tps = a.batch * a.seq_len * a.steps / dt
    peft_peak = torch.cuda.max_memory_reserved()
    trainable = sum(p.numel() for p in params)
    res = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__,
           "transformers": transformers.__version__, "peft": peft.__version__,
           "batch": a.batch, "seq_len": a.seq_len, "rank": a.rank, "steps": a.steps,
           "gradient_checkpointing": a.gradient_checkpointing,
           "peft_tokens_per_s": round(peft_tps, 1), "peft_peak_bytes": peft_peak,
           "peft_trainable": trainable,
           "ours_tokens_per_s": round(ours["tokens_per_s"], 1),
           "ours_peak_bytes": ours["peak_memory_bytes"], "ours_trainable": ours["trainable_parameters"],
           "speedup": round(ours["tokens_per_s"] / peft_tps, 3),
           "memory_ratio": round(ours["peak_memory_bytes"] / peft_peak, 3)}
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
