// Reading a sentence-transformers folder around a BERT model: config.json, modules.json,
// 1_Pooling/config.json and sentence_bert_config.json. Torch-free.

#include "model/bert.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/strict_json.h"

#include <nlohmann/json.hpp>

namespace wb {

using nlohmann::json;

namespace {

json readJson(const std::filesystem::path &file)
{
    return formats::parseStrictJson(readFile(file), file.string(), file.filename().string());
}

int64_t positiveInt(const json &j, const char *key, const std::string &label, bool required = true,
                    int64_t fallback = 0)
{
    if (!j.contains(key) || j[key].is_null()) {
        if (required)
            throw Error(ErrorCode::Validation, std::string("'") + key + "' is missing", label);
        return fallback;
    }
    if (!j[key].is_number_integer() || j[key].get<int64_t>() <= 0)
        throw Error(ErrorCode::Validation,
                    std::string("'") + key + "' must be a positive integer, not " + j[key].dump(),
                    label);
    return j[key].get<int64_t>();
}

// The class name at the end of a module type ("sentence_transformers.models.Pooling").
std::string moduleClass(const std::string &type)
{
    const size_t dot = type.rfind('.');
    return dot == std::string::npos ? type : type.substr(dot + 1);
}

std::vector<EncoderPooling> readPooling(const std::filesystem::path &file, int64_t hidden)
{
    const json j = readJson(file);
    const std::string label = file.string();
    if (!j.is_object())
        throw Error(ErrorCode::Parse, "is not a JSON object", label);
    if (j.contains("word_embedding_dimension") && j["word_embedding_dimension"] != hidden)
        throw Error(ErrorCode::Validation,
                    "word_embedding_dimension is " + j["word_embedding_dimension"].dump()
                        + " but the model's hidden_size is " + std::to_string(hidden),
                    label);
    static const std::pair<const char *, EncoderPooling> kModes[] = {
        {"cls", EncoderPooling::Cls},
        {"max", EncoderPooling::Max},
        {"mean", EncoderPooling::Mean},
        {"mean_sqrt_len_tokens", EncoderPooling::MeanSqrtLen},
        {"weightedmean", EncoderPooling::WeightedMean},
        {"lasttoken", EncoderPooling::LastToken}};
    static const char *kKeys[] = {"pooling_mode_cls_token", "pooling_mode_max_tokens",
                                  "pooling_mode_mean_tokens", "pooling_mode_mean_sqrt_len_tokens",
                                  "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"};
    std::vector<EncoderPooling> modes;
    for (size_t i = 0; i < std::size(kKeys); ++i) {
        if (!j.contains(kKeys[i]))
            continue;
        if (!j[kKeys[i]].is_boolean())
            throw Error(ErrorCode::Validation, std::string("'") + kKeys[i] + "' must be true or false", label);
        if (j[kKeys[i]].get<bool>())
            modes.push_back(kModes[i].second);
    }
    // The constructor's string form, in case a writer saved it.
    if (modes.empty() && j.contains("pooling_mode") && j["pooling_mode"].is_string()) {
        const std::string name = j["pooling_mode"].get<std::string>();
        for (const auto &[n, mode] : kModes)
            if (name == n || name == std::string(n) + "_tokens" || name == std::string(n) + "_token")
                modes.push_back(mode);
        if (modes.empty())
            throw Error(ErrorCode::Unsupported, "pooling_mode '" + name + "' is not supported", label);
    }
    if (modes.empty())
        throw Error(ErrorCode::Validation, "no pooling mode is set to true", label);
    return modes;
}

} // namespace

const char *encoderPoolingName(EncoderPooling pooling)
{
    switch (pooling) {
    case EncoderPooling::Cls:
        return "cls";
    case EncoderPooling::Max:
        return "max";
    case EncoderPooling::Mean:
        return "mean";
    case EncoderPooling::MeanSqrtLen:
        return "mean_sqrt_len";
    case EncoderPooling::WeightedMean:
        return "weightedmean";
    case EncoderPooling::LastToken:
        return "lasttoken";
    }
    return "?";
}

BertConfig parseBertConfig(const json &j, const std::string &label)
{
    if (!j.is_object())
        throw Error(ErrorCode::Parse, "is not a JSON object", label);
    const std::string type = j.value("model_type", std::string());
    if (type != "bert")
        throw Error(ErrorCode::Unsupported,
                    "model_type is '" + type + "'; sentence encoders must be BERT models "
                    "(model_type \"bert\": bge, MiniLM, e5, ...)",
                    label);
    BertConfig c;
    c.vocabSize = positiveInt(j, "vocab_size", label);
    c.hiddenSize = positiveInt(j, "hidden_size", label);
    c.numLayers = positiveInt(j, "num_hidden_layers", label);
    c.numHeads = positiveInt(j, "num_attention_heads", label);
    c.intermediateSize = positiveInt(j, "intermediate_size", label);
    c.maxPositions = positiveInt(j, "max_position_embeddings", label);
    c.typeVocabSize = positiveInt(j, "type_vocab_size", label, false, 2);
    if (c.hiddenSize % c.numHeads != 0)
        throw Error(ErrorCode::Validation,
                    "hidden_size " + std::to_string(c.hiddenSize) + " is not a multiple of num_attention_heads "
                        + std::to_string(c.numHeads),
                    label);
    if (j.contains("layer_norm_eps")) {
        if (!j["layer_norm_eps"].is_number() || j["layer_norm_eps"].get<double>() <= 0)
            throw Error(ErrorCode::Validation, "'layer_norm_eps' must be a positive number", label);
        c.layerNormEps = j["layer_norm_eps"].get<double>();
    }
    const std::string position = j.value("position_embedding_type", std::string("absolute"));
    if (position != "absolute")
        throw Error(ErrorCode::Unsupported,
                    "position_embedding_type '" + position + "' is not supported (only absolute)", label);
    c.hiddenAct = j.value("hidden_act", std::string("gelu"));
    for (const char *act : {"gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu", "swish"})
        if (c.hiddenAct == act)
            return c;
    throw Error(ErrorCode::Unsupported,
                "hidden_act '" + c.hiddenAct + "' is not supported (gelu, gelu_new, gelu_pytorch_tanh, "
                "gelu_fast, relu, silu)",
                label);
}

SentenceEncoderFolder readSentenceEncoderFolder(const std::filesystem::path &dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(ErrorCode::Io, "model folder does not exist: " + dir.string(), dir.string());
    if (!std::filesystem::exists(dir / "config.json", ec))
        throw Error(ErrorCode::Io, "no config.json in " + dir.string(), dir.string());
    SentenceEncoderFolder f;
    f.bert = parseBertConfig(readJson(dir / "config.json"), (dir / "config.json").string());

    std::filesystem::path poolingDir;
    const auto modulesFile = dir / "modules.json";
    if (std::filesystem::exists(modulesFile, ec)) {
        f.hasModulesJson = true;
        const json modules = readJson(modulesFile);
        if (!modules.is_array())
            throw Error(ErrorCode::Parse, "is not a JSON array of modules", modulesFile.string());
        bool haveTransformer = false;
        for (const json &m : modules) {
            if (!m.is_object() || !m.contains("type") || !m["type"].is_string())
                throw Error(ErrorCode::Validation, "a module has no 'type'", modulesFile.string());
            const std::string cls = moduleClass(m["type"].get<std::string>());
            const std::string path = m.value("path", std::string());
            if (cls == "Transformer") {
                if (haveTransformer || !poolingDir.empty())
                    throw Error(ErrorCode::Unsupported,
                                "the Transformer module must come first, and only once", modulesFile.string());
                if (!path.empty())
                    throw Error(ErrorCode::Unsupported,
                                "the Transformer module lives in '" + path
                                    + "'; only folders with the model at the top are supported",
                                modulesFile.string());
                haveTransformer = true;
            } else if (cls == "Pooling") {
                if (!haveTransformer || !poolingDir.empty() || f.normalize)
                    throw Error(ErrorCode::Unsupported, "the Pooling module must follow the Transformer, once",
                                modulesFile.string());
                poolingDir = dir / path;
            } else if (cls == "Normalize") {
                f.normalize = true;
            } else {
                throw Error(ErrorCode::Unsupported,
                            "module '" + m["type"].get<std::string>()
                                + "' is not supported (Transformer, Pooling and Normalize are)",
                            modulesFile.string());
            }
        }
        if (!haveTransformer)
            throw Error(ErrorCode::Validation, "no Transformer module", modulesFile.string());
    }
    // sentence-transformers pools by mean when a folder has no pooling configuration.
    if (!poolingDir.empty() && std::filesystem::exists(poolingDir / "config.json", ec))
        f.pooling = readPooling(poolingDir / "config.json", f.bert.hiddenSize);
    else
        f.pooling = {EncoderPooling::Mean};

    const auto stConfig = dir / "sentence_bert_config.json";
    if (std::filesystem::exists(stConfig, ec)) {
        const json j = readJson(stConfig);
        if (!j.is_object())
            throw Error(ErrorCode::Parse, "is not a JSON object", stConfig.string());
        f.maxSeqLength = positiveInt(j, "max_seq_length", stConfig.string(), false, 0);
        if (j.contains("do_lower_case")) {
            if (!j["do_lower_case"].is_boolean())
                throw Error(ErrorCode::Validation, "'do_lower_case' must be true or false", stConfig.string());
            f.doLowerCase = j["do_lower_case"].get<bool>();
        }
    }
    if (f.maxSeqLength == 0) {
        f.maxSeqLength = f.bert.maxPositions;
        const auto tokConfig = dir / "tokenizer_config.json";
        if (std::filesystem::exists(tokConfig, ec)) {
            const json j = readJson(tokConfig);
            if (j.is_object() && j.contains("model_max_length") && j["model_max_length"].is_number()
                && j["model_max_length"].get<double>() >= 1)
                f.maxSeqLength = std::min<int64_t>(
                    f.maxSeqLength, int64_t(std::min(j["model_max_length"].get<double>(), 1e9)));
        }
    }
    if (f.maxSeqLength > f.bert.maxPositions)
        throw Error(ErrorCode::Validation,
                    "max_seq_length " + std::to_string(f.maxSeqLength) + " is beyond the model's "
                        + std::to_string(f.bert.maxPositions) + " positions",
                    stConfig.string());
    return f;
}

} // namespace wb
