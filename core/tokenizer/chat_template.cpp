#include "tokenizer/chat_template.h"

#include "common/error.h"
#include "common/files.h"
#include "tokenizer/jinja_ast.h"

#include <algorithm>

namespace wb {

namespace {

bool has(const std::string &s, const char *needle)
{
    return s.find(needle) != std::string::npos;
}

} // namespace

ChatTemplate ChatTemplate::parse(const std::string &source)
{
    ChatTemplate t;
    t.m_program = jinja::parseTemplate(source);
    t.m_source = source;
    t.m_family = detectFamily(source);
    return t;
}

std::optional<ChatTemplate> ChatTemplate::fromModelDir(const std::filesystem::path &dir)
{
    // transformers prefers a separate chat_template.jinja over the copy in the config.
    const auto jinjaFile = dir / "chat_template.jinja";
    if (std::filesystem::is_regular_file(jinjaFile))
        return parse(readFile(jinjaFile));

    const auto configFile = dir / "tokenizer_config.json";
    if (!std::filesystem::is_regular_file(configFile))
        return std::nullopt;
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(readFile(configFile));
    } catch (const nlohmann::json::exception &e) {
        throw Error(ErrorCode::Parse,
                    std::string("tokenizer_config.json is not valid JSON: ") + e.what(),
                    configFile.string());
    }
    if (!config.is_object() || !config.contains("chat_template") ||
        config["chat_template"].is_null())
        return std::nullopt;
    const auto &value = config["chat_template"];
    try {
        if (value.is_string())
            return parse(value.get<std::string>());
        if (value.is_array()) {
            std::string names;
            for (const auto &entry : value) {
                if (!entry.is_object() || !entry.contains("name") || !entry.contains("template") ||
                    !entry["name"].is_string() || !entry["template"].is_string())
                    throw Error(ErrorCode::Validation,
                                "\"chat_template\" list entries must be {\"name\": ..., "
                                "\"template\": ...} objects");
                if (entry["name"] == "default")
                    return parse(entry["template"].get<std::string>());
                names += (names.empty() ? "" : ", ") + entry["name"].get<std::string>();
            }
            throw Error(ErrorCode::Validation,
                        "tokenizer_config.json has several chat templates (" + names +
                            ") and none is named \"default\"");
        }
    } catch (const Error &e) {
        throw Error(e.code(), e.message(), configFile.string());
    }
    throw Error(ErrorCode::Validation,
                "\"chat_template\" must be a string or a list of named templates",
                configFile.string());
}

namespace {

template <typename Json>
std::string renderWith(const jinja::Program &program, const std::vector<ChatMessage> &messages,
                       bool addGenerationPrompt, const std::string &bosToken,
                       const std::string &eosToken, const Json &extra)
{
    using jinja::Value;
    jinja::ValueList list;
    list.reserve(messages.size());
    for (const auto &m : messages) {
        jinja::ValueDict d;
        d.items.emplace_back(Value::string("role"), Value::string(m.role));
        d.items.emplace_back(Value::string("content"), Value::string(m.content));
        list.push_back(Value::dict(std::move(d)));
    }
    // The same variables transformers passes: its special-tokens map only holds tokens the
    // tokenizer has, and tools/documents are None unless given.
    std::vector<std::pair<std::string, Value>> vars;
    vars.emplace_back("messages", Value::list(std::move(list)));
    vars.emplace_back("tools", Value::none());
    vars.emplace_back("documents", Value::none());
    vars.emplace_back("add_generation_prompt", Value::boolean(addGenerationPrompt));
    if (!bosToken.empty())
        vars.emplace_back("bos_token", Value::string(bosToken));
    if (!eosToken.empty())
        vars.emplace_back("eos_token", Value::string(eosToken));
    if (!extra.is_null() && !extra.is_object())
        throw Error(ErrorCode::Validation, "extra chat-template variables must be a JSON object");
    if (extra.is_object()) {
        for (auto it = extra.begin(); it != extra.end(); ++it) {
            Value v = Value::fromJson(it.value());
            auto existing = std::find_if(vars.begin(), vars.end(),
                                         [&](const auto &p) { return p.first == it.key(); });
            if (existing != vars.end())
                existing->second = std::move(v);
            else
                vars.emplace_back(it.key(), std::move(v));
        }
    }
    return jinja::renderTemplate(program, vars);
}

} // namespace

std::string ChatTemplate::render(const std::vector<ChatMessage> &messages, bool addGenerationPrompt,
                                 const std::string &bosToken, const std::string &eosToken,
                                 const nlohmann::json &extra) const
{
    return renderWith(*m_program, messages, addGenerationPrompt, bosToken, eosToken, extra);
}

std::string ChatTemplate::render(const std::vector<ChatMessage> &messages, bool addGenerationPrompt,
                                 const std::string &bosToken, const std::string &eosToken,
                                 const nlohmann::ordered_json &extra) const
{
    return renderWith(*m_program, messages, addGenerationPrompt, bosToken, eosToken, extra);
}

std::string ChatTemplate::detectFamily(const std::string &source)
{
    // Most specific markers first: a Llama-3 or Gemma template may also mention [INST] in a
    // comment, but never the other way round.
    if (has(source, "<|start_header_id|>"))
        return "llama3";
    if (has(source, "<start_of_turn>"))
        return "gemma";
    if (has(source, "<|im_start|>"))
        return "chatml";
    if (has(source, "[INST]"))
        return has(source, "<<SYS>>") ? "llama2" : "mistral";
    if (has(source, "<|user|>") || has(source, "<|assistant|>"))
        return has(source, "<|end|>") ? "phi3" : "zephyr";
    return "custom";
}

} // namespace wb
