#!/usr/bin/env bash
# Rebuilds resources/demo-model: a tiny Llama-architecture model trained from scratch by the
# workbench's own trainer on the synthetic logic-reasoning corpus (`llmwb demo`), with a
# sentencepiece BPE tokenizer trained on the same corpus. Takes about 10 minutes on 2 CPU cores.
#   bash packaging/build-demo-model.sh [OUT]        (default OUT: resources/demo-model)
# LLMWB selects the llmwb binary (default build/dev/app/llmwb); DEMO_STEPS the training steps.
set -euo pipefail
cd "$(dirname "$0")/.."
LLMWB="${LLMWB:-build/dev/app/llmwb}"
OUT="${1:-resources/demo-model}"
STEPS="${DEMO_STEPS:-240}"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

# A corpus of its own (seed differs from the workspace's demo-train / demo-eval sets).
"$LLMWB" -w "$T/ws" demo --out "$T" --problems 800 --eval-problems 40 --seed 424242 \
  --lang mixed --text "$T/corpus.txt"
spm_train --input="$T/corpus.txt" --model_prefix="$T/tok" --vocab_size=2000 --model_type=bpe \
  --character_coverage=0.9995 --byte_fallback=true --split_digits=true \
  --normalization_rule_name=identity \
  --max_sentence_length=200000 --num_threads=2 --minloglevel=2

"$LLMWB" bench random-model "$T/init" --hidden 192 --layers 3 --heads 3 --kv-heads 1 \
  --intermediate 512 --vocab 2000 --seed 1
cp "$T/tok.model" "$T/init/tokenizer.model"
cat > "$T/init/tokenizer_config.json" <<'JSON'
{
  "tokenizer_class": "LlamaTokenizer",
  "add_bos_token": true,
  "add_eos_token": false,
  "bos_token": "<s>",
  "eos_token": "</s>",
  "unk_token": "<unk>",
  "model_max_length": 1024
}
JSON

# Pretraining = full fine-tuning of the random weights on every token of the prompts and answers.
"$LLMWB" -w "$T/ws" train --model "$T/init" --dataset "$T/demo-train.jsonl" \
  --template logic-direct --method full --train-on-prompt --lr 3e-3 --warmup 20 \
  --schedule cosine --batch 16 --max-length 384 --max-steps "$STEPS" --eval-fraction 0.05 \
  --eval-every 40 --save-every 1000000 --out "$T/run" --seed 1

rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
cp "$T/run/model/config.json" "$T/run/model/model.safetensors" "$T/run/model/tokenizer.model" \
  "$T/run/model/tokenizer_config.json" "$OUT.tmp/"
cp "$T/run/metrics.jsonl" "$OUT.tmp/training-metrics.jsonl"
# How to fine-tune it: the Training tab applies these when the model is chosen, and
# `llmwb train --config OUT/suggested_training.json` uses them. A LoRA run on the workspace's
# demo-train with them takes about 2.5 minutes on 2 CPU cores (README, "The demo model").
cat > "$OUT.tmp/suggested_training.json" <<'JSON'
{
  "method": "lora",
  "lora": {
    "r": 16,
    "alpha": 16,
    "dropout": 0.0,
    "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
  },
  "learning_rate": 0.002,
  "schedule": "cosine",
  "warmup_steps": 10,
  "epochs": 3,
  "batch_size": 8
}
JSON
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
echo "demo model written to $OUT ($(du -sh "$OUT" | cut -f1))"
