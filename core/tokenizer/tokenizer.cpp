#include "tokenizer/tokenizer.h"

#include "common/error.h"
#include "tokenizer/added_tokens.h"
#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/sentencepiece_tokenizer.h"

namespace wb {

std::unique_ptr<Tokenizer> Tokenizer::load(const std::filesystem::path &dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(ErrorCode::Io, "model folder does not exist: " + dir.string(), dir.string());
    const tok::TokenizerConfig config = tok::TokenizerConfig::read(dir);
    const auto json = dir / "tokenizer.json";
    if (std::filesystem::exists(json, ec))
        return std::make_unique<HfTokenizer>(json, config);
    const auto model = dir / "tokenizer.model";
    if (std::filesystem::exists(model, ec))
        return std::make_unique<SentencepieceTokenizer>(model, config);
    if (std::filesystem::exists(dir / "vocab.json", ec))
        throw Error(ErrorCode::Unsupported,
                    "this folder has only vocab.json / merges.txt; a tokenizer.json is needed "
                    "(save the tokenizer with a recent transformers to make one)",
                    dir.string());
    throw Error(ErrorCode::Io, "no tokenizer.json or tokenizer.model in " + dir.string(), dir.string());
}

std::vector<int32_t> Tokenizer::encodeTruncated(std::string_view text, size_t maxLength) const
{
    const SpecialIds specials = specialIds();
    const size_t added = specials.prefix.size() + specials.suffix.size();
    if (maxLength < added)
        throw Error(ErrorCode::Validation,
                    "maximum length " + std::to_string(maxLength) + " leaves no room for the "
                        + std::to_string(added) + " special tokens");
    std::vector<int32_t> body = encode(text, false);
    body.resize(std::min(body.size(), maxLength - added));
    std::vector<int32_t> ids;
    ids.reserve(body.size() + added);
    ids.insert(ids.end(), specials.prefix.begin(), specials.prefix.end());
    ids.insert(ids.end(), body.begin(), body.end());
    ids.insert(ids.end(), specials.suffix.begin(), specials.suffix.end());
    return ids;
}

} // namespace wb
