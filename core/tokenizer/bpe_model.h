#pragma once

#include "tokenizer/token_model.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace wb::tok {

// The BPE model of a tokenizer.json: vocabulary, merges by rank, and the word -> ids step
// with HF's exact merge order (lowest rank first, leftmost on ties), byte fallback, unknown
// token fusing and ignore_merges. Words are cached: real text repeats them a lot.
class BpeModel final : public TokenModel
{
public:
    // Throws Error(Parse) for a malformed model object.
    explicit BpeModel(const nlohmann::json &model);

    void tokenize(std::string_view word, std::vector<int32_t> &out) const override;

    std::optional<int32_t> tokenToId(std::string_view token) const override;
    const std::string *idToToken(int32_t id) const override; // nullptr when unknown
    int32_t size() const override { return int32_t(m_idToToken.size()); }
    std::string kind() const override { return "bpe"; }

private:
    std::vector<int32_t> mergeWord(std::string_view word) const;

    struct Merge
    {
        int32_t rank;
        int32_t newId;
    };
    std::unordered_map<std::string, int32_t> m_vocab;
    std::vector<std::string> m_idToToken;
    std::unordered_map<uint64_t, Merge> m_merges; // (left id << 32 | right id)
    std::optional<int32_t> m_unkId;
    std::string m_continuingPrefix;
    std::string m_endOfWordSuffix;
    bool m_fuseUnk = false;
    bool m_byteFallback = false;
    bool m_ignoreMerges = false;

    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>> m_cache;
};

} // namespace wb::tok
