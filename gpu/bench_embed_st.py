#!/usr/bin/env python3
"""Side by side, in one run: sentence-transformers' encode() and LLM Workbench's sentence encoder
(wb_gpu_bench_embed) on the same random-init BERT folder, the same texts, dtype, batch size and
max_seq_length. Writes gpu/RESULTS-h200-embed.txt.

    python3 gpu/bench_embed_st.py --ours /tmp/wbgpu/wb_gpu_bench_embed \\
        [--shapes small,base] [--batches 64,128] [--dtype bf16] [--texts 20000]

Shapes: small is bge-small / MiniLM-L12 class (hidden 384, 12 layers, 12 heads, intermediate
1536), base is bge-base class (768, 12, 12, 3072); both with a 30522-entry uncased WordPiece
vocabulary, absolute positions up to 512, mean pooling (--pooling cls for CLS) and a Normalize
module. Everything is written offline: the vocabulary and the texts are synthetic (ASCII
pseudo-words drawn Zipf-like, out-of-vocabulary words that split into pieces, numbers and
punctuation, 3 to 250 words a text, truncated at --max-seq-length tokens).

Both sides time encode() over all texts (--repeat runs, median) after a warm-up over 1024
texts of every length; both include tokenization, which each side also times on its own.
Peak memory is the CUDA caching allocator's peak reservation (and allocation) from the warm-up
on. Agreement: the token ids of the first --check texts must be equal, and their vectors'
cosine above 0.999. A random-init BERT gives every text a similar vector, so the cosine after
subtracting the sample's mean vector (centered) and the nearest-neighbour match are reported too.

--no-st runs only our binary (and, without torch, writes random weights itself): a check of the
files and the binary on a machine without PyTorch, e.g. --no-st --device cpu --shapes tiny.
"""
import argparse
import json
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import time

SHAPES = {
    "tiny": dict(hidden=64, layers=2, heads=4, intermediate=128),  # for --no-st checks on a CPU
    "small": dict(hidden=384, layers=12, heads=12, intermediate=1536),
    "base": dict(hidden=768, layers=12, heads=12, intermediate=3072),
}
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
VOCAB_SIZE = 30522
PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
          "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr", "qu", ""]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ng", "ck", "x"]
SUFFIXES = ["s", "ed", "ing", "ly", "er", "est", "ness", "ment", "tion", "able", "al", "ic", "ous", "ize"]


# ---- vocabulary, tokenizer files and texts (pure Python) ----------------------------------------

def make_vocab(rng):
    """30522 entries: specials, every printable ASCII character alone and as ##piece (lowercase,
    since the normalizer lowercases), suffix pieces, then pseudo-words until full."""
    vocab, seen = [], set()

    def add(piece):
        if piece not in seen:
            seen.add(piece)
            vocab.append(piece)

    for s in SPECIALS:
        add(s)
    chars = [chr(c) for c in range(0x21, 0x7F) if not chr(c).isupper()]
    for c in chars:
        add(c)
    for c in chars:
        if c.isalnum():
            add("##" + c)
    for s in SUFFIXES:
        add("##" + s)
    for o in ONSETS:
        for v in VOWELS:
            add("##" + o + v)
    for n in range(100):
        add(str(n))
    for y in range(1900, 2031):
        add(str(y))
    while len(vocab) < VOCAB_SIZE:
        syl = rng.choice([1, 2, 2, 2, 3, 3, 4])
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syl))
        add(w)
    return vocab


def tokenizer_json(vocab):
    """tokenizers 0.23's own serialisation of BertNormalizer(lowercase) + BertPreTokenizer +
    WordPiece + TemplateProcessing + WordPiece decoder (as tests/fixtures/make_bert_reference.py
    writes through the library), written without the library."""
    ids = {t: i for i, t in enumerate(vocab)}

    def special(tok):
        return {"SpecialToken": {"id": tok, "type_id": 0}}

    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": ids[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for s in SPECIALS],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]")],
            "pair": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]"),
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def make_texts(rng, vocab, n):
    words = [w for w in vocab[len(SPECIALS):] if not w.startswith("##") and len(w) > 1 and w.isalpha()]
    rng.shuffle(words)
    # Zipf-like: rank r drawn with weight 1/(r+10).
    cum, total = [], 0.0
    for r in range(len(words)):
        total += 1.0 / (r + 10)
        cum.append(total)

    def word():
        u = rng.random()
        if u < 0.80:
            import bisect
            return words[min(len(words) - 1, bisect.bisect_left(cum, rng.random() * total))]
        if u < 0.90:  # out of vocabulary: WordPiece splits it into pieces
            return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 5))) \
                + rng.choice(SUFFIXES)
        if u < 0.95:
            return rng.choice(words[:2000]) + rng.choice(SUFFIXES)
        return str(rng.choice([rng.randint(0, 99), rng.randint(1900, 2030), rng.randint(100, 99999)]))

    texts = []
    for _ in range(n):
        u = rng.random()
        count = rng.randint(3, 15) if u < 0.4 else rng.randint(15, 60) if u < 0.8 else rng.randint(60, 250)
        out = []
        for i in range(count):
            w = word()
            if i == 0 or out[-1].endswith((".", "?", "!")):
                w = w[:1].upper() + w[1:]
            elif rng.random() < 0.05:
                w = "(" + w + ")"
            elif rng.random() < 0.03:
                w = w.upper()
            p = rng.random()
            if p < 0.08:
                w += ","
            elif p < 0.12:
                w += rng.choice([".", ".", "?", "!", ";", ":"])
            out.append(w)
        texts.append(" ".join(out) + rng.choice([".", ".", "?", "!"]))
    return texts


def write_st_files(d, hidden, pooling, max_seq_length):
    mods = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
    os.makedirs(os.path.join(d, "1_Pooling"), exist_ok=True)
    os.makedirs(os.path.join(d, "2_Normalize"), exist_ok=True)
    with open(os.path.join(d, "modules.json"), "w") as f:
        json.dump(mods, f, indent=2)
    pool = {"word_embedding_dimension": hidden, "pooling_mode_cls_token": pooling == "cls",
            "pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False, "include_prompt": True}
    with open(os.path.join(d, "1_Pooling", "config.json"), "w") as f:
        json.dump(pool, f, indent=2)
    with open(os.path.join(d, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": max_seq_length, "do_lower_case": False}, f, indent=2)


def write_tokenizer_files(d, vocab):
    with open(os.path.join(d, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False)
    with open(os.path.join(d, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "unk_token": "[UNK]", "cls_token": "[CLS]",
           "sep_token": "[SEP]", "pad_token": "[PAD]", "mask_token": "[MASK]", "model_max_length": 512,
           "do_lower_case": True}
    with open(os.path.join(d, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)


def bert_config(shape, vocab_size):
    s = SHAPES[shape]
    return dict(vocab_size=vocab_size, hidden_size=s["hidden"], num_hidden_layers=s["layers"],
                num_attention_heads=s["heads"], intermediate_size=s["intermediate"], hidden_act="gelu",
                max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12, pad_token_id=0,
                initializer_range=0.02)


def write_weights_plain(d, cfg, rng):
    """Without torch (--no-st on a machine without PyTorch): BertModel's tensor names in F32,
    N(0, 0.02) weights, zero biases, unit LayerNorm, written as safetensors by hand."""
    H, I, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    shapes = {"embeddings.word_embeddings.weight": [V, H],
              "embeddings.position_embeddings.weight": [cfg["max_position_embeddings"], H],
              "embeddings.token_type_embeddings.weight": [cfg["type_vocab_size"], H],
              "embeddings.LayerNorm.weight": [H], "embeddings.LayerNorm.bias": [H]}
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        for part in ("query", "key", "value"):
            shapes[p + f"attention.self.{part}.weight"] = [H, H]
            shapes[p + f"attention.self.{part}.bias"] = [H]
        shapes.update({p + "attention.output.dense.weight": [H, H], p + "attention.output.dense.bias": [H],
                       p + "attention.output.LayerNorm.weight": [H], p + "attention.output.LayerNorm.bias": [H],
                       p + "intermediate.dense.weight": [I, H], p + "intermediate.dense.bias": [I],
                       p + "output.dense.weight": [H, I], p + "output.dense.bias": [H],
                       p + "output.LayerNorm.weight": [H], p + "output.LayerNorm.bias": [H]})
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, shape in shapes.items():
        n = math.prod(shape)
        if name.endswith("LayerNorm.weight"):
            values = [1.0] * n
        elif name.endswith("bias") or name.endswith("LayerNorm.bias"):
            values = [0.0] * n
        else:
            values = [rng.gauss(0.0, 0.02) for _ in range(n)]
        blob = struct.pack(f"<{n}f", *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(d, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h)
        for b in blobs:
            f.write(b)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(dict(cfg, model_type="bert", architectures=["BertModel"]), f, indent=2)


def prepare(a, shape, vocab):
    """The model folder, made once per shape / pooling / length (kept in --work between runs)."""
    try:
        import torch
        import transformers
    except ImportError:
        if not a.no_st:
            raise
        torch = transformers = None
    d = os.path.join(a.work, f"bert-{shape}-{a.pooling}")
    marker = os.path.join(d, "bench-folder.json")
    want = {"shape": shape, "pooling": a.pooling, "max_seq_length": a.max_seq_length, "version": 1,
            "weights": "transformers" if transformers else "plain"}
    if os.path.exists(marker) and json.load(open(marker)) == want:
        return d
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    write_tokenizer_files(d, vocab)
    write_st_files(d, SHAPES[shape]["hidden"], a.pooling, a.max_seq_length)
    cfg = bert_config(shape, len(vocab))
    if transformers:
        torch.manual_seed(0)
        transformers.BertModel(transformers.BertConfig(**cfg)).save_pretrained(d, safe_serialization=True)
    else:
        write_weights_plain(d, cfg, random.Random(1))
    with open(marker, "w") as f:
        json.dump(want, f)
    return d


# ---- the two sides ----------------------------------------------------------------------------

def run_ours(a, folder, texts_path, batch):
    dump = os.path.join(a.work, "ours-vectors.f32")
    ids = os.path.join(a.work, "ours-ids.jsonl")
    cmd = [a.ours, folder, texts_path, "--device", a.device, "--dtype", a.dtype, "--batch", str(batch),
           "--repeat", str(a.repeat), "--warmup", str(a.warmup), "--dump", dump, "--dump-ids", ids,
           "--dump-count", str(a.check)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    with open(dump, "rb") as f:
        raw = f.read()
    dim = r["dim"]
    count = len(raw) // (4 * dim)
    vectors = [list(struct.unpack_from(f"<{dim}f", raw, 4 * dim * i)) for i in range(count)]
    with open(ids) as f:
        id_rows = [json.loads(line) for line in f]
    return r, vectors, id_rows


class StSide:
    def __init__(self, a, folder):
        import sentence_transformers
        import torch
        self.torch = torch
        self.a = a
        self.model = sentence_transformers.SentenceTransformer(folder, device=a.device)
        dtype = {"bf16": torch.bfloat16, "f16": torch.float16, "f32": torch.float32}[a.dtype]
        self.model.to(dtype)
        self.model.eval()
        self.max_seq_length = self.model.max_seq_length
        self.numpy_ok = None

    def encode(self, texts, batch):
        if self.numpy_ok is not False:
            try:
                emb = self.model.encode(texts, batch_size=batch, show_progress_bar=False, convert_to_numpy=True)
                self.numpy_ok = True
                return emb
            except TypeError:  # a sentence-transformers that cannot turn bf16 into numpy
                if self.numpy_ok:
                    raise
                self.numpy_ok = False  # decided in the warm-up, never inside a timed run
        emb = self.model.encode(texts, batch_size=batch, show_progress_bar=False, convert_to_tensor=True)
        return emb.float().cpu().numpy()

    def run(self, texts, batch):
        torch, a = self.torch, self.a
        cuda = a.device.startswith("cuda")
        if cuda:
            torch.cuda.empty_cache()  # nothing cached from the previous batch size
        step = max(1, len(texts) // min(len(texts), a.warmup))
        self.encode(texts[::step][: a.warmup], batch)
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        # Tokenization alone, batch by batch as encode() calls it.
        t = time.perf_counter()
        tokens = 0
        for i in range(0, len(texts), batch):
            features = self.model.tokenize(texts[i:i + batch])
            tokens += int(features["attention_mask"].sum())
        tokenize_s = time.perf_counter() - t
        runs, emb = [], None
        for _ in range(a.repeat):
            t = time.perf_counter()
            emb = self.encode(texts, batch)  # numpy on the host: the device is done
            runs.append(time.perf_counter() - t)
        runs_sorted = sorted(runs)
        n = len(runs_sorted)
        encode_s = runs_sorted[n // 2] if n % 2 else 0.5 * (runs_sorted[n // 2 - 1] + runs_sorted[n // 2])
        model_s = encode_s - tokenize_s
        r = {"impl": "sentence-transformers", "batch": batch, "texts": len(texts), "tokens": tokens,
             "tokenize_s": tokenize_s, "encode_s": encode_s, "encode_runs_s": runs,
             "texts_per_s": len(texts) / encode_s, "tokens_per_s": tokens / encode_s,
             "tokenize_texts_per_s": len(texts) / tokenize_s,
             "model_texts_per_s": len(texts) / model_s if model_s > 0 else None,
             "model_tokens_per_s": tokens / model_s if model_s > 0 else None,
             "peak_reserved_bytes": torch.cuda.max_memory_reserved() if cuda else 0,
             "peak_allocated_bytes": torch.cuda.max_memory_allocated() if cuda else 0}
        ids = []
        features = self.model.tokenize(texts[: a.check])
        for row, m in zip(features["input_ids"], features["attention_mask"]):
            ids.append(row[: int(m.sum())].tolist())
        return r, [list(map(float, v)) for v in emb[: a.check]], ids


def agreement(ours, theirs, ours_ids, their_ids):
    import numpy as np
    x, y = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    cos = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    mean = y.mean(0)
    xc, yc = x - mean, y - mean
    ccos = (xc * yc).sum(1) / (np.linalg.norm(xc, axis=1) * np.linalg.norm(yc, axis=1))
    xn = xc / np.linalg.norm(xc, axis=1, keepdims=True)
    yn = yc / np.linalg.norm(yc, axis=1, keepdims=True)
    nn = ((xn @ yn.T).argmax(1) == np.arange(len(x))).mean()  # our vector's closest of theirs is its own
    same_ids = sum(a == b for a, b in zip(ours_ids, their_ids))
    return {"checked": len(x), "ids_equal": same_ids, "min_cosine": float(cos.min()),
            "mean_cosine": float(cos.mean()), "min_centered_cosine": float(ccos.min()),
            "mean_centered_cosine": float(ccos.mean()), "nearest_neighbour_match": float(nn),
            "max_abs_diff": float(abs(x - y).max()),
            "ok": bool(same_ids == len(x) and cos.min() > 0.999)}


def gib(b):
    return f"{b / 2**30:.2f} GiB"


def num(x):
    return "n/a" if x is None else f"{x:.0f}"


def ratio(ours, theirs):
    return "n/a" if ours is None or not theirs else f"{ours / theirs:.2f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True, help="the wb_gpu_bench_embed binary")
    ap.add_argument("--shapes", default="small,base")
    ap.add_argument("--batches", default="64,128")
    ap.add_argument("--dtype", default="bf16", choices=["bf16", "f16", "f32"])
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--pooling", default="mean", choices=["mean", "cls"])
    ap.add_argument("--texts", type=int, default=20000)
    ap.add_argument("--max-seq-length", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1024)
    ap.add_argument("--check", type=int, default=256, help="texts whose ids and vectors are compared")
    ap.add_argument("--work", default="/tmp/wb-embed-bench", help="model folders, texts, dumps")
    ap.add_argument("--results", help="default gpu/RESULTS-h200-embed.txt; with --no-st, WORK/RESULTS-ours-only.txt")
    ap.add_argument("--budget-s", type=float, default=0,
                    help="skip a further shape when it would likely end past this many seconds (0: no limit)")
    ap.add_argument("--no-st", action="store_true", help="run only our binary (no sentence-transformers)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    if not a.results:
        a.results = (os.path.join(a.work, "RESULTS-ours-only.txt") if a.no_st else
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS-h200-embed.txt"))
    t_start = time.perf_counter()

    rng = random.Random(0)
    vocab = make_vocab(rng)
    texts = make_texts(rng, vocab, a.texts)
    texts_path = os.path.join(a.work, f"texts-{a.texts}.jsonl")
    with open(texts_path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps(t) + "\n")
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} texts, {words / len(texts):.1f} words each on average, vocabulary {len(vocab)}",
          flush=True)

    env = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    if not a.no_st:
        import sentence_transformers
        import tokenizers
        import torch
        import transformers
        env.update(torch=torch.__version__, transformers=transformers.__version__,
                   tokenizers=tokenizers.__version__, sentence_transformers=sentence_transformers.__version__,
                   gpu=torch.cuda.get_device_name(0) if a.device.startswith("cuda") else "none")

    rows, skipped, last_shape_s = [], [], 0.0
    for shape in a.shapes.split(","):
        elapsed = time.perf_counter() - t_start
        # A later shape costs about what the last one did, more for a wider model.
        if a.budget_s and rows and elapsed + 1.5 * last_shape_s > a.budget_s:
            skipped.append(shape)
            print(f"skipping shape {shape}: {elapsed:.0f} s spent, the last shape took {last_shape_s:.0f} s, "
                  f"budget {a.budget_s:.0f} s", flush=True)
            continue
        shape_start = time.perf_counter()
        folder = prepare(a, shape, vocab)
        st = StSide(a, folder) if not a.no_st else None
        for batch in [int(b) for b in a.batches.split(",")]:
            ours, ours_vec, ours_ids = run_ours(a, folder, texts_path, batch)
            row = {"shape": shape, "batch": batch, "ours": ours}
            print(f"[{time.perf_counter() - t_start:6.1f} s] {shape} batch {batch} ours: "
                  f"{ours['texts_per_s']:.0f} texts/s", flush=True)
            if st:
                if ours["max_length"] != st.max_seq_length:
                    raise SystemExit(f"max length differs: ours {ours['max_length']}, "
                                     f"sentence-transformers {st.max_seq_length}")
                theirs, st_vec, st_ids = st.run(texts, batch)
                row["st"] = theirs
                row["agreement"] = agreement(ours_vec, st_vec, ours_ids, st_ids)
                print(f"[{time.perf_counter() - t_start:6.1f} s] {shape} batch {batch} "
                      f"sentence-transformers: {theirs['texts_per_s']:.0f} texts/s; agreement "
                      f"{json.dumps(row['agreement'])}", flush=True)
            rows.append(row)
        if st:
            del st
            import torch
            torch.cuda.empty_cache()
        last_shape_s = time.perf_counter() - shape_start

    lines = [
        "Encoder embedding throughput: LLM Workbench's sentence encoder (wb_gpu_bench_embed) and",
        "sentence-transformers' encode() on the same random-init BERT folder, in one run of",
        "gpu/bench_embed_st.py (bash gpu/run_embed_bench.sh).",
        "",
        f"setup: {len(texts)} synthetic ASCII texts ({words / len(texts):.1f} words each on average, 3-250 words), "
        f"max_seq_length {a.max_seq_length}, {a.pooling} pooling + Normalize, dtype {a.dtype}, device {a.device}, "
        f"median of {a.repeat} runs after a warm-up over {a.warmup} texts; vocabulary {len(vocab)} (uncased WordPiece)",
        "shapes: " + "; ".join(f"{s} = hidden {SHAPES[s]['hidden']}, {SHAPES[s]['layers']} layers, "
                                f"{SHAPES[s]['heads']} heads, intermediate {SHAPES[s]['intermediate']}"
                                for s in a.shapes.split(",")),
        "environment: " + ", ".join(f"{k} {v}" for k, v in env.items()),
        "encode = the whole call (tokenization, batching, model, pooling, copy to the host);",
        "model = encode minus the separately timed tokenization; peak = CUDA caching allocator's peak",
        "reservation from the warm-up on (torch.cuda.max_memory_reserved on the sentence-transformers side);",
        "ratio = ours / sentence-transformers (above 1: ours is faster).",
        "",
    ]
    if rows and "st" in rows[0]:
        lines.append("| shape | batch | ST texts/s | ours texts/s | ratio | ST tokens/s | ours tokens/s "
                     "| ST model-only texts/s | ours model-only texts/s | ratio | ST tokenize s | ours tokenize s "
                     "| peak ours / ST | min cosine | ids equal |")
        lines.append("|" + " --- |" * 15)
        for r in rows:
            o, s, g = r["ours"], r["st"], r["agreement"]
            lines.append(
                f"| {r['shape']} | {r['batch']} | {s['texts_per_s']:.0f} | {o['texts_per_s']:.0f} "
                f"| {o['texts_per_s'] / s['texts_per_s']:.2f}x | {s['tokens_per_s']:.0f} | {o['tokens_per_s']:.0f} "
                f"| {num(s['model_texts_per_s'])} | {num(o['model_texts_per_s'])} "
                f"| {ratio(o['model_texts_per_s'], s['model_texts_per_s'])} | {s['tokenize_s']:.3f} "
                f"| {o['tokenize_s']:.3f} | {gib(o['peak_reserved_bytes'])} / {gib(s['peak_reserved_bytes'])} "
                f"| {g['min_cosine']:.6f} | {g['ids_equal']}/{g['checked']} |")
        ok = all(r["agreement"]["ok"] for r in rows)
        lines += ["", "agreement: " + ("OK" if ok else "FAILED") + " (ids equal and cosine > 0.999 on the first "
                  f"{a.check} texts of every run)"]
    else:
        lines.append("| shape | batch | ours texts/s | ours tokens/s | ours model-only texts/s | ours tokenize s | peak |")
        lines.append("|" + " --- |" * 7)
        for r in rows:
            o = r["ours"]
            lines.append(f"| {r['shape']} | {r['batch']} | {o['texts_per_s']:.0f} | {o['tokens_per_s']:.0f} "
                         f"| {num(o['model_texts_per_s'])} | {o['tokenize_s']:.3f} | {gib(o['peak_reserved_bytes'])} |")
        ok = True
    if skipped:
        lines += ["", f"not run, for the time budget of {a.budget_s:.0f} s: shape(s) {', '.join(skipped)} "
                  "(run gpu/bench_embed_st.py with --shapes to measure them)"]
    lines += ["", "raw:"] + [json.dumps(r) for r in rows]
    lines.append(f"\ntotal time of the script: {time.perf_counter() - t_start:.1f} s")
    text = "\n".join(lines) + "\n"
    with open(a.results, "w") as f:
        f.write(text)
    print(text)
    if not ok:
        raise SystemExit("the embeddings do not agree")


if __name__ == "__main__":
    main()
