#pragma once

// Embedders that run the local engine, for knowledge bases (core/rag/embedder.h). They live
// in wb_engine because they compute with libtorch; this header is torch-free.

#include "rag/embedder.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace wb {

// {"kind": "causal-lm", "model": "/path/to/hf-folder", "pooling": "mean"|"last",
//  "device": "cpu"|"cuda", "dtype": "f32"|"bf16"|"f16", "max_tokens": 512, "batch_size": 8}:
// the decoder's last hidden state pooled over the text (CausalLM::embed), L2-normalised.
std::unique_ptr<rag::Embedder> makeCausalLmEmbedder(const nlohmann::json &spec);

// {"kind": "bert", "model": "/path/to/sentence-transformers-folder", "device": "cpu"|"cuda",
//  "dtype": "f32"|"bf16"|"f16", "max_tokens": 0 (the folder's max_seq_length),
//  "batch_size": 32, "threads": 0}: a BERT-family sentence encoder (bge / MiniLM / e5,
// model/bert.h), vectors as sentence-transformers' encode() gives them, L2-normalised.
// Defined in bert_embedder.cpp.
std::unique_ptr<rag::Embedder> makeBertEmbedder(const nlohmann::json &spec);

// Replaces the "bert" kind's factory (tests); without one, makeBertEmbedder serves it.
void setBertEmbedderFactory(rag::EmbedderFactory factory);

// Registers "causal-lm" and "bert" with rag::makeEmbedder. Idempotent; the CLI and the GUI
// call it at start-up.
void registerEngineEmbedders();

} // namespace wb
