#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wb::tok {

// The model step of a tokenizer.json: one pre-tokenized word in, ids out. BPE (BpeModel)
// and WordPiece (WordPieceModel) implement it; the stages around it are shared (HfTokenizer).
class TokenModel
{
public:
    virtual ~TokenModel() = default;

    virtual void tokenize(std::string_view word, std::vector<int32_t> &out) const = 0;
    virtual std::optional<int32_t> tokenToId(std::string_view token) const = 0;
    virtual const std::string *idToToken(int32_t id) const = 0; // nullptr when unknown
    virtual int32_t size() const = 0;
    virtual std::string kind() const = 0; // "bpe", "wordpiece"
};

// A model's "vocab" object (token → id), checked, and its inverse. `what` names the model in
// messages ("tokenizer.json: <what>: ...").
struct Vocab
{
    std::unordered_map<std::string, int32_t> ids;
    std::vector<std::string> tokens; // by id; "" where an id is unused
};
Vocab readVocab(const nlohmann::json &model, const std::string &what);

} // namespace wb::tok
