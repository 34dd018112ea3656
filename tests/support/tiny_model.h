#pragma once

// The tiny model engine tests train and score: a random Llama (hidden 64, 2 layers, 4 heads / 2 KV
// heads) with the committed qwen2-bpe fixture tokenizer (ChatML chat template). Needs
// WB_TEST_SOURCE_DIR (set by ctest) to find the fixture.

#include "formats/random_model.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>

namespace wbtest {

inline std::filesystem::path referenceDir()
{
    const char *root = std::getenv("WB_TEST_SOURCE_DIR");
    return std::filesystem::path(root ? root : ".") / "tests" / "fixtures" / "reference";
}

inline void writeTinyModel(const std::filesystem::path &dir, uint64_t seed)
{
    wb::RandomModelSpec spec;
    spec.hidden = 64;
    spec.layers = 2;
    spec.heads = 4;
    spec.kvHeads = 2;
    spec.intermediate = 128;
    spec.vocab = 703; // the fixture tokenizer: 700 merges-vocab + 3 added tokens
    spec.maxPositions = 512;
    spec.seed = seed;
    // Wider than the usual 0.02 so that the tied embeddings let logits move far from uniform:
    // an adapter alone cannot grow them.
    spec.initStd = 0.1;
    spec.bosId = 0;
    spec.eosId = 2;
    wb::writeRandomModel(dir, spec);
    for (const char *f : {"tokenizer.json", "tokenizer_config.json"})
        std::filesystem::copy_file(referenceDir() / "tokenizers" / "qwen2-bpe" / f, dir / f);
}

} // namespace wbtest
