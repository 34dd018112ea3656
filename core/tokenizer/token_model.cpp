#include "tokenizer/token_model.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>

namespace wb::tok {

Vocab readVocab(const nlohmann::json &model, const std::string &what)
{
    auto bad = [&](const std::string &m) {
        throw Error(ErrorCode::Parse, "tokenizer.json: " + what + ": " + m);
    };
    if (!model.contains("vocab") || !model["vocab"].is_object())
        bad("'vocab' is missing or not an object");
    Vocab v;
    int32_t maxId = -1;
    v.ids.reserve(model["vocab"].size());
    for (const auto &[token, id] : model["vocab"].items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX)
            bad("vocab entry '" + token + "' has no valid id");
        v.ids.emplace(token, id.get<int32_t>());
        maxId = std::max(maxId, id.get<int32_t>());
    }
    v.tokens.resize(size_t(maxId + 1));
    for (const auto &[token, id] : v.ids)
        v.tokens[size_t(id)] = token;
    return v;
}

} // namespace wb::tok
