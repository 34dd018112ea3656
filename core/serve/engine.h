#pragma once

// The local engine behind the server: one loaded model (plus named LoRA adapters) and a
// scheduler thread that batches requests continuously. Requests join the running batch between
// decode steps and leave as they finish; a newcomer's prompt is prefilled in chunks between
// steps, so running streams wait at most one chunk; KV-cache rows are reused; tokens are sampled
// on the device (only the chosen ids, and asked-for logprobs, reach the host). Requests for
// different adapters run in separate batches, stepped in turn. Torch-free header.

#include "model/causal_lm.h"
#include "serve/backend.h"

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wb::serve {

struct EngineOptions
{
    LoadOptions load;       // device, dtype, int8, threads (adapterDir is ignored: see adapters)
    int maxBatch = 16;      // rows decoded together (per adapter)
    int maxQueue = 64;      // waiting requests beyond the running batch; more: Error(Conflict)
    int prefillChunk = 256; // prompt tokens prefilled between two decode steps
    int64_t maxContext = 0; // 0: the model's max_position_embeddings (its sliding window if less)
};

// A served adapter: the name clients pass as `model` and its PEFT folder.
struct AdapterSpec
{
    std::string name;
    std::filesystem::path dir;
};

// Loads the model folder (with its tokenizer and chat template) and every adapter, and starts
// the scheduler thread. `name` is what clients call the base model. Throws wb::Error naming
// the folder that failed.
std::unique_ptr<Backend> startEngine(const std::filesystem::path &modelDir, const std::string &name,
                                     const std::vector<AdapterSpec> &adapters,
                                     const EngineOptions &options, LoadProgress progress = {});

} // namespace wb::serve
