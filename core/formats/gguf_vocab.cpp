// Tokenizer metadata for GGUF exports, as llama.cpp's convert_hf_to_gguf.py writes it:
// sentencepiece (tokenizer.model → tokenizer.ggml.model "llama") or byte-level BPE
// (tokenizer.json → "gpt2"), padded to the model's vocab_size with [PAD{i}] tokens, plus the
// special token ids and flags gguf-py's SpecialVocab collects.

#include "formats/gguf_export.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/hf_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <map>

namespace wb {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kNormal = 1, kControl = 3, kUserDefined = 4, kUnused = 5;

// The pre-tokenizer regexes llama.cpp knows by name.
const char *kQwen2Regex = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| "
                          "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const char *kLlama3Regex = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
                           "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

struct Pb
{
    const uint8_t *p;
    size_t size;
    size_t pos = 0;
    const std::string &label;

    [[noreturn]] void fail(const std::string &what) const
    {
        throw Error(ErrorCode::Parse,
                    label + ": not a valid sentencepiece model (" + what + " at byte " +
                        std::to_string(pos) + ")");
    }
    uint64_t varint()
    {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= size)
                fail("truncated varint");
            const uint8_t b = p[pos++];
            v |= uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        fail("varint too long");
    }
    // Skips a field of the given wire type, or returns its length-delimited span.
    std::pair<size_t, size_t> field(uint32_t wire)
    {
        switch (wire) {
        case 0:
            varint();
            return {pos, 0};
        case 1:
            if (size - pos < 8)
                fail("truncated fixed64");
            pos += 8;
            return {pos - 8, 8};
        case 2: {
            const uint64_t n = varint();
            if (n > size - pos)
                fail("length " + std::to_string(n) + " runs past the end");
            pos += size_t(n);
            return {pos - size_t(n), size_t(n)};
        }
        case 5:
            if (size - pos < 4)
                fail("truncated fixed32");
            pos += 4;
            return {pos - 4, 4};
        default:
            fail("unsupported wire type " + std::to_string(wire));
        }
    }
};

json readJsonIf(const fs::path &file)
{
    if (!fs::is_regular_file(file))
        return json();
    try {
        return json::parse(readFile(file));
    } catch (const json::exception &e) {
        throw Error(ErrorCode::Parse, file.string() + ": " + e.what());
    }
}

bool looksSpecial(const std::string &t)
{
    return t.size() >= 4 && t.compare(0, 2, "<|") == 0 && t.compare(t.size() - 2, 2, "|>") == 0;
}

struct Vocab
{
    std::vector<std::string> tokens;
    std::vector<double> scores; // empty for BPE
    std::vector<int64_t> types;
};

// tokens padded to vocabSize with [PAD{i}] (UNUSED); refuses a tokenizer larger than the model.
void padTo(Vocab &v, int64_t vocabSize, const std::string &label, double padScore)
{
    if (int64_t(v.tokens.size()) > vocabSize)
        throw Error(ErrorCode::Validation,
                    label + " has " + std::to_string(v.tokens.size()) +
                        " tokens but config.json says vocab_size " + std::to_string(vocabSize));
    for (int64_t i = int64_t(v.tokens.size()); i < vocabSize; ++i) {
        v.tokens.push_back("[PAD" + std::to_string(i) + "]");
        v.types.push_back(kUnused);
        if (!v.scores.empty() || padScore != 0)
            v.scores.push_back(padScore);
    }
}

} // namespace

std::vector<SentencePiece> readSentencePieceModel(const fs::path &file)
{
    const std::string bytes = readFile(file);
    const std::string label = file.string();
    Pb pb{reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), 0, label};
    std::vector<SentencePiece> pieces;
    while (pb.pos < pb.size) {
        const uint64_t key = pb.varint();
        const auto [begin, len] = pb.field(uint32_t(key & 7));
        if ((key >> 3) != 1)
            continue; // trainer_spec, normalizer_spec, ...: not needed here
        if ((key & 7) != 2)
            pb.fail("field 1 (pieces) is not length-delimited");
        Pb sub{pb.p + begin, len, 0, label};
        SentencePiece sp;
        bool hasPiece = false;
        while (sub.pos < sub.size) {
            const uint64_t k = sub.varint();
            const uint32_t wire = uint32_t(k & 7), num = uint32_t(k >> 3);
            if (num == 1 && wire == 2) {
                const auto [b, n] = sub.field(2);
                sp.piece.assign(reinterpret_cast<const char *>(sub.p + b), n);
                hasPiece = true;
            } else if (num == 2 && wire == 5) {
                std::memcpy(&sp.score, sub.p + sub.pos, 4);
                sub.field(5);
            } else if (num == 3 && wire == 0) {
                sp.type = int(sub.varint());
                if (sp.type < 1 || sp.type > 6)
                    sub.fail("piece type " + std::to_string(sp.type) + " is unknown");
            } else {
                sub.field(wire);
            }
        }
        if (!hasPiece)
            pb.fail("a piece without text");
        pieces.push_back(std::move(sp));
    }
    if (pieces.empty())
        throw Error(ErrorCode::Parse, label + ": not a sentencepiece model (no pieces)");
    return pieces;
}

size_t addTokenizerMetadata(GgufWriter &w, const fs::path &dir, const ModelConfig &config)
{
    const json tokConfig = readJsonIf(dir / "tokenizer_config.json");
    Vocab v;
    std::vector<std::string> merges;
    std::string model, pre;
    if (fs::is_regular_file(dir / "tokenizer.model")) {
        // The converter prefers sentencepiece when both files exist.
        model = "llama";
        pre = "default";
        for (auto &sp : readSentencePieceModel(dir / "tokenizer.model")) {
            v.tokens.push_back(std::move(sp.piece));
            v.scores.push_back(sp.score);
            v.types.push_back(sp.type);
        }
        padTo(v, config.vocabSize, (dir / "tokenizer.model").string(), -10000.0);
        if (tokConfig.is_object() && tokConfig.contains("added_tokens_decoder") &&
            tokConfig["added_tokens_decoder"].is_object()) {
            for (const auto &[idText, entry] : tokConfig["added_tokens_decoder"].items()) {
                const long long id = std::atoll(idText.c_str());
                if (id < 0 || id >= int64_t(v.tokens.size()) || !entry.is_object() ||
                    !entry.contains("content") || !entry["content"].is_string())
                    continue;
                std::string content = entry["content"];
                const bool special = entry.value("special", false) || looksSpecial(content);
                v.tokens[size_t(id)] = content;
                v.types[size_t(id)] = special ? kControl : kUserDefined;
                v.scores[size_t(id)] = -1000.0;
            }
        }
    } else if (fs::is_regular_file(dir / "tokenizer.json")) {
        const fs::path file = dir / "tokenizer.json";
        const json tj = readJsonIf(file);
        const std::string label = file.string();
        if (!tj.is_object() || !tj.contains("model") || !tj["model"].is_object() ||
            tj["model"].value("type", std::string("BPE")) != "BPE" ||
            !tj["model"].contains("vocab") || !tj["model"]["vocab"].is_object())
            throw Error(ErrorCode::Unsupported,
                        label + ": only BPE tokenizer.json files can be exported to GGUF");
        const std::string preDump = tj.contains("pre_tokenizer") ? tj["pre_tokenizer"].dump() : "";
        if (preDump.find("ByteLevel") == std::string::npos)
            throw Error(ErrorCode::Unsupported,
                        label + ": not a byte-level BPE tokenizer (no ByteLevel pre-tokenizer); "
                                "llama.cpp's gpt2 tokenizer needs one");
        model = "gpt2";
        if (preDump.find(json(std::string(kQwen2Regex)).dump()) != std::string::npos)
            pre = "qwen2";
        else if (preDump.find(json(std::string(kLlama3Regex)).dump()) != std::string::npos)
            pre = "llama-bpe";
        else
            pre = config.modelType == "qwen2" ? "qwen2" : "default";

        std::map<int64_t, std::pair<std::string, int>> byId;
        for (const auto &[tok, id] : tj["model"]["vocab"].items()) {
            if (!id.is_number_integer() || id.get<int64_t>() < 0)
                throw Error(ErrorCode::Parse, label + ": vocab entry '" + tok + "' has no valid id");
            byId[id.get<int64_t>()] = {tok, kNormal};
        }
        if (tj.contains("added_tokens") && tj["added_tokens"].is_array())
            for (const auto &a : tj["added_tokens"]) {
                if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() ||
                    !a.contains("content") || !a["content"].is_string())
                    throw Error(ErrorCode::Parse, label + ": malformed added_tokens entry " + a.dump());
                const std::string content = a["content"];
                const bool special = a.value("special", false) || looksSpecial(content);
                byId[a["id"].get<int64_t>()] = {content, special ? kControl : kUserDefined};
            }
        const int64_t maxId = byId.empty() ? -1 : byId.rbegin()->first;
        if (maxId >= config.vocabSize)
            throw Error(ErrorCode::Validation,
                        label + ": token id " + std::to_string(maxId) +
                            " is outside the model's vocab_size " + std::to_string(config.vocabSize));
        for (int64_t i = 0; i < config.vocabSize; ++i) {
            const auto it = byId.find(i);
            v.tokens.push_back(it == byId.end() ? "[PAD" + std::to_string(i) + "]" : it->second.first);
            v.types.push_back(it == byId.end() ? kUnused : it->second.second);
        }
        const json &m = tj["model"];
        if (m.contains("merges") && m["merges"].is_array())
            for (const auto &entry : m["merges"]) {
                if (entry.is_string()) {
                    merges.push_back(entry);
                } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() &&
                           entry[1].is_string()) {
                    // Pair form (tokenizers ≥ 0.20): a space inside a part is written as U+0120.
                    std::string joined;
                    for (int k = 0; k < 2; ++k) {
                        for (char c : entry[k].get<std::string>())
                            joined += c == ' ' ? std::string("\xc4\xa0") : std::string(1, c);
                        if (k == 0)
                            joined += ' ';
                    }
                    merges.push_back(std::move(joined));
                } else {
                    throw Error(ErrorCode::Parse, label + ": malformed merge " + entry.dump());
                }
            }
    } else {
        throw Error(ErrorCode::NotFound,
                    dir.string() + " has neither tokenizer.model nor tokenizer.json; a GGUF file "
                                   "needs the vocabulary");
    }

    w.set("tokenizer.ggml.model", GgufValue::string(model));
    w.set("tokenizer.ggml.pre", GgufValue::string(pre));
    w.set("tokenizer.ggml.tokens", GgufValue::stringArray(v.tokens));
    if (!v.scores.empty())
        w.set("tokenizer.ggml.scores", GgufValue::floatArray(GgufType::F32, v.scores));
    w.set("tokenizer.ggml.token_type", GgufValue::intArray(GgufType::I32, v.types));
    if (!merges.empty())
        w.set("tokenizer.ggml.merges", GgufValue::stringArray(merges));

    // Special ids: tokenizer_config.json's <typ>_token by content first, then config.json's
    // <typ>_token_id (first wins, as in gguf-py's SpecialVocab).
    std::map<std::string, int64_t> ids;
    auto setId = [&](const std::string &typ, int64_t id) {
        if (id >= 0 && id < int64_t(v.tokens.size()) && !ids.count(typ))
            ids[typ] = id;
    };
    const char *types[] = {"bos", "eos", "unk", "sep", "pad"};
    if (tokConfig.is_object())
        for (const char *typ : types) {
            const std::string key = std::string(typ) + "_token";
            if (!tokConfig.contains(key))
                continue;
            const json &e = tokConfig[key];
            std::string content;
            if (e.is_string())
                content = e;
            else if (e.is_object() && e.contains("content") && e["content"].is_string())
                content = e["content"];
            else
                continue;
            for (size_t i = 0; i < v.tokens.size(); ++i)
                if (v.tokens[i] == content && v.types[i] != kNormal) {
                    setId(typ, int64_t(i));
                    break;
                }
        }
    const json &raw = config.raw;
    for (const char *typ : types) {
        const std::string key = std::string(typ) + "_token_id";
        if (!raw.contains(key))
            continue;
        if (raw[key].is_number_integer())
            setId(typ, raw[key].get<int64_t>());
        else if (raw[key].is_array() && !raw[key].empty() && raw[key][0].is_number_integer())
            setId(typ, raw[key][0].get<int64_t>());
    }
    if (model == "llama")
        for (size_t i = 0; i < v.types.size(); ++i)
            if (v.types[i] == 2) {
                setId("unk", int64_t(i));
                break;
            }
    const std::map<std::string, std::string> keyOf = {{"bos", "bos_token_id"},
                                                      {"eos", "eos_token_id"},
                                                      {"unk", "unknown_token_id"},
                                                      {"sep", "seperator_token_id"},
                                                      {"pad", "padding_token_id"}};
    for (const auto &[typ, id] : ids)
        w.set("tokenizer.ggml." + keyOf.at(typ), GgufValue::u32(uint32_t(id)));
    if (tokConfig.is_object()) {
        for (const char *typ : {"bos", "eos"}) {
            const std::string key = std::string("add_") + typ + "_token";
            if (tokConfig.contains(key) && tokConfig[key].is_boolean())
                w.set("tokenizer.ggml." + key, GgufValue::boolean(tokConfig[key].get<bool>()));
        }
        if (model == "llama" && tokConfig.contains("add_prefix_space") &&
            tokConfig["add_prefix_space"].is_boolean())
            w.set("tokenizer.ggml.add_space_prefix",
                  GgufValue::boolean(tokConfig["add_prefix_space"].get<bool>()));
    }
    // chat_template.jinja (transformers v5) wins over tokenizer_config.json's chat_template.
    if (fs::is_regular_file(dir / "chat_template.jinja")) {
        w.set("tokenizer.chat_template", GgufValue::string(readFile(dir / "chat_template.jinja")));
    } else if (tokConfig.is_object() && tokConfig.contains("chat_template")) {
        const json &t = tokConfig["chat_template"];
        if (t.is_string()) {
            w.set("tokenizer.chat_template", GgufValue::string(t));
        } else if (t.is_array()) {
            // Named templates: "default" is the chat_template, the others get their own key.
            for (const auto &e : t)
                if (e.is_object() && e.contains("name") && e.contains("template") &&
                    e["name"].is_string() && e["template"].is_string()) {
                    const std::string name = e["name"];
                    w.set(name == "default" ? "tokenizer.chat_template"
                                            : "tokenizer.chat_template." + name,
                          GgufValue::string(e["template"]));
                }
        }
    }
    return v.tokens.size();
}

} // namespace wb
