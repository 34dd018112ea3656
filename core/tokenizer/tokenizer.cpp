#include "tokenizer/tokenizer.h"

#include "common/error.h"
#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe_tokenizer.h"
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
        return std::make_unique<BpeTokenizer>(json, config);
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

} // namespace wb
