#pragma once

// Hugging Face chat templates: the Jinja2 `chat_template` of tokenizer_config.json, rendered
// exactly as transformers' apply_chat_template(..., tokenize=False) renders it, by a small,
// sandboxed Jinja2 interpreter (no file access, bounded time, memory and stack).

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb {

namespace jinja {
struct Program;
}

struct ChatMessage
{
    std::string role;
    std::string content;
};

class ChatTemplate final
{
public:
    // Throws Error(Parse) with line/column for a template it cannot parse, and
    // Error(Unsupported) for Jinja features outside the supported subset ({% include %}, ...).
    static ChatTemplate parse(const std::string &source);

    // From a model folder: chat_template.jinja (what transformers 4.5x+ writes) or the
    // "chat_template" of tokenizer_config.json (a string, or a list of {name, template}, of
    // which "default" is taken). nullopt when the folder has none.
    static std::optional<ChatTemplate> fromModelDir(const std::filesystem::path &dir);

    // Variables: messages, add_generation_prompt, bos_token, eos_token, tools and documents
    // (None), plus the keys of `extra`, which override them. An empty bosToken/eosToken means
    // the tokenizer has no such token: the variable is undefined, as in transformers, so a
    // template that concatenates it fails the same way. Throws Error(Validation) with the
    // template's own message for raise_exception() and jinja2's wording for other errors (the
    // context names the template line); Error(Unsupported) for an unsupported filter or test.
    std::string render(const std::vector<ChatMessage> &messages, bool addGenerationPrompt,
                       const std::string &bosToken, const std::string &eosToken,
                       const nlohmann::json &extra = nlohmann::json::object()) const;
    // The same, for callers that need the keys of `extra` in their order: nlohmann::json sorts
    // keys, Python keeps them, and |tojson of a tool schema prints them in that order.
    std::string render(const std::vector<ChatMessage> &messages, bool addGenerationPrompt,
                       const std::string &bosToken, const std::string &eosToken,
                       const nlohmann::ordered_json &extra) const;

    // "chatml", "llama2", "llama3", "mistral", "zephyr", "gemma", "phi3" or "custom", detected
    // from the marker tokens in the source.
    std::string family() const { return m_family; }
    const std::string &source() const { return m_source; }

    static std::string detectFamily(const std::string &source);

private:
    ChatTemplate() = default;

    std::string m_source;
    std::string m_family;
    std::shared_ptr<const jinja::Program> m_program;
};

} // namespace wb
