#include "prompt/prompt_builder.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <string_view>

namespace wb {

namespace {

using nlohmann::json;

// Local on purpose: dataset.cpp's optionLetter() is written elsewhere, and prompts must not
// depend on its link order. Bijective base 26: Z is followed by AA.
std::string letterFor(size_t index)
{
    std::string letters;
    size_t n = index + 1;
    while (n > 0) {
        --n;
        letters.insert(letters.begin(), static_cast<char>('A' + n % 26));
        n /= 26;
    }
    return letters;
}

// Inverse of letterFor: "A" -> 0, "AA" -> 26; npos when not a letter code.
size_t letterIndex(std::string_view letters)
{
    if (letters.empty() || letters.size() > 4)
        return std::string::npos;
    size_t n = 0;
    for (const char c : letters) {
        if (c < 'A' || c > 'Z')
            return std::string::npos;
        n = n * 26 + static_cast<size_t>(c - 'A' + 1);
    }
    return n - 1;
}

// A field as text. Records are normalised by the dataset reader, but previews also run on
// records typed by hand, so numbers (an id of 17) are accepted and anything else reads as "".
std::string textField(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number() || it->is_boolean())
        return it->dump();
    return {};
}

std::string trimmed(std::string s)
{
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

DatasetFormat resolveFormat(DatasetFormat format, const json &data)
{
    if (format != DatasetFormat::Auto)
        return format;
    if (data.contains("questions"))
        return DatasetFormat::Logic;
    if (data.contains("messages") || data.contains("conversations"))
        return DatasetFormat::Chat;
    return DatasetFormat::Alpaca;
}

std::vector<json> logicContexts(const json &data)
{
    std::vector<json> contexts;
    const auto questions = data.find("questions");
    if (questions == data.end() || !questions->is_array())
        return contexts;
    const std::string id = textField(data, "id");
    const std::string problem = textField(data, "problem");
    const size_t count = questions->size();
    for (size_t q = 0; q < count; ++q) {
        const json &item = (*questions)[q];
        json options = json::array();
        if (item.is_object() && item.contains("options") && item["options"].is_array()) {
            for (const json &option : item["options"])
                options.push_back(option.is_string() ? option.get<std::string>()
                                  : option.is_null() ? ""
                                                     : option.dump());
        }
        std::string letters;
        for (size_t i = 0; i < options.size(); ++i)
            letters += (i ? ", " : "") + letterFor(i);

        std::string answer = trimmed(textField(item, "answer"));
        std::transform(answer.begin(), answer.end(), answer.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        const size_t answerIndex = letterIndex(answer);
        const std::string answerText =
            answerIndex < options.size() ? options[answerIndex].get<std::string>() : std::string();

        contexts.push_back({{"id", id},
                            {"problem", problem},
                            {"question", textField(item, "question")},
                            {"options", std::move(options)},
                            {"answer", answer},
                            {"answer_text", answerText},
                            {"question_index", q},
                            {"question_number", q + 1},
                            {"question_count", count},
                            {"option_letters", letters},
                            {"rationale", textField(item, "rationale")}});
    }
    return contexts;
}

json alpacaContext(const json &data)
{
    return {{"instruction", textField(data, "instruction")},
            {"input", textField(data, "input")},
            {"output", textField(data, "output")},
            {"system", textField(data, "system")}};
}

// Normalised chat messages; sharegpt's {from, value} is mapped too, so a raw record previews.
json chatMessages(const json &data)
{
    json messages = json::array();
    const json *source = nullptr;
    if (auto it = data.find("messages"); it != data.end() && it->is_array())
        source = &*it;
    else if (auto conv = data.find("conversations"); conv != data.end() && conv->is_array())
        source = &*conv;
    if (!source)
        return messages;
    for (const json &message : *source) {
        std::string role = textField(message, "role");
        std::string content = textField(message, "content");
        if (role.empty() && message.is_object() && message.contains("from")) {
            const std::string from = textField(message, "from");
            role = from == "human" ? "user" : from == "gpt" ? "assistant" : from;
            content = textField(message, "value");
        }
        messages.push_back({{"role", role}, {"content", content}});
    }
    return messages;
}

json chatContext(const json &data)
{
    const json messages = chatMessages(data);
    std::string system;
    size_t lastUser = std::string::npos;
    for (size_t i = 0; i < messages.size(); ++i) {
        const std::string &role = messages[i]["role"].get_ref<const std::string &>();
        if (role == "system" && system.empty())
            system = messages[i]["content"].get<std::string>();
        else if (role == "user")
            lastUser = i;
    }
    std::string prompt;
    std::string response;
    json history = json::array();
    if (lastUser != std::string::npos) {
        prompt = messages[lastUser]["content"].get<std::string>();
        // The response is the reply to that prompt: the last assistant turn after it. A chat
        // ending on a user turn has none, and an earlier reply must not pose as its answer.
        for (size_t i = lastUser + 1; i < messages.size(); ++i)
            if (messages[i]["role"] == "assistant")
                response = messages[i]["content"].get<std::string>();
        // System turns are left out: they have their own variable and would appear twice.
        for (size_t i = 0; i < lastUser; ++i)
            if (messages[i]["role"] != "system")
                history.push_back(messages[i]);
    } else {
        for (const json &message : messages)
            if (message["role"] == "assistant")
                response = message["content"].get<std::string>();
    }
    return {{"messages", messages},
            {"system", system},
            {"prompt", prompt},
            {"response", response},
            {"history", std::move(history)}};
}

} // namespace

std::vector<json> templateContexts(DatasetFormat format, const DatasetRecord &record)
{
    std::vector<json> contexts;
    switch (resolveFormat(format, record.data)) {
    case DatasetFormat::Logic:
        contexts = logicContexts(record.data);
        break;
    case DatasetFormat::Alpaca:
        contexts = {alpacaContext(record.data)};
        break;
    case DatasetFormat::Chat:
        contexts = {chatContext(record.data)};
        break;
    case DatasetFormat::Auto:
        break;
    }
    for (json &c : contexts)
        if (!c.contains("context"))
            c["context"] = "";
    return contexts;
}

std::vector<RenderedPrompt> renderRecord(const PromptTemplate &tpl, DatasetFormat format,
                                         const DatasetRecord &record, const ContextProvider &contextFor)
{
    const DatasetFormat resolved = resolveFormat(format, record.data);
    std::vector<RenderedPrompt> prompts;
    std::vector<json> contexts = templateContexts(resolved, record);
    prompts.reserve(contexts.size());
    for (size_t i = 0; i < contexts.size(); ++i) {
        if (contextFor)
            contexts[i]["context"] = contextFor(contexts[i]);
        const json &context = contexts[i];
        RenderedPrompt prompt;
        prompt.recordRow = record.row;
        prompt.text = tpl.render(context);
        switch (resolved) {
        case DatasetFormat::Logic:
            prompt.questionIndex = i;
            prompt.recordId = context["id"].get<std::string>();
            prompt.expected = context["answer"].get<std::string>();
            break;
        case DatasetFormat::Alpaca:
            prompt.recordId = "row " + std::to_string(record.row);
            prompt.expected = context["output"].get<std::string>();
            break;
        case DatasetFormat::Chat:
            prompt.recordId = "row " + std::to_string(record.row);
            prompt.expected = context["response"].get<std::string>();
            break;
        case DatasetFormat::Auto:
            break;
        }
        prompts.push_back(std::move(prompt));
    }
    return prompts;
}

const std::vector<BuiltinTemplate> &builtinTemplates()
{
    // The Chinese prompt reproduces the competition baseline word for word (a model tuned on it
    // expects exactly this text); the options loop renders "A. …" one per line, as it did.
    static const std::vector<BuiltinTemplate> templates = {
        {"logic-zh-cot",
         "Chinese chain-of-thought prompt for logic problems; the answer is on a last line "
         "\"答案是：X\"",
         "你是一个逻辑推理专家，擅长解决逻辑推理问题。以下是一个逻辑推理的题目，形式为单项选择题。"
         "所有的问题都是（close-world assumption）闭世界假设，即未观测事实都为假。"
         "请逐步分析问题并在最后一行输出答案，最后一行的格式为\"答案是：A\"。题目如下：\n"
         "\n"
         "### 题目:\n"
         "{{problem}}\n"
         "\n"
         "### 问题:\n"
         "{{question}}\n"
         "{{#each options}}\n"
         "{{letter}}. {{this}}\n"
         "{{/each}}"},
        {"logic-en-cot",
         "English chain-of-thought prompt for logic problems; the answer is on a last line "
         "\"Answer: X\"",
         "You are an expert in logical reasoning. Below is a logic problem in the form of a "
         "single-choice question. All questions follow the closed-world assumption: any fact "
         "that is not stated is false. Reason through the problem step by step and give your "
         "answer on the last line, in exactly this format: \"Answer: A\". The problem:\n"
         "\n"
         "### Problem:\n"
         "{{problem}}\n"
         "\n"
         "### Question:\n"
         "{{question}}\n"
         "{{#each options}}\n"
         "{{letter}}. {{this}}\n"
         "{{/each}}"},
        {"logic-direct",
         "Direct answer: the model replies with the option letter only (also suits "
         "log-likelihood scoring)",
         "Solve the logic problem. Everything that is not stated is false (closed-world "
         "assumption).\n"
         "\n"
         "### Problem:\n"
         "{{problem}}\n"
         "\n"
         "### Question:\n"
         "{{question}}\n"
         "{{#each options}}\n"
         "{{letter}}. {{this}}\n"
         "{{/each}}\n"
         "Answer with the letter only ({{option_letters}}).\n"
         "Answer:"},
        {"alpaca",
         "Standard Alpaca instruction prompt; a record's system text replaces the preamble",
         "{{#if system}}\n"
         "{{system}}\n"
         "{{else}}\n"
         "{{#if input}}\n"
         "Below is an instruction that describes a task, paired with an input that provides "
         "further context. Write a response that appropriately completes the request.\n"
         "{{else}}\n"
         "Below is an instruction that describes a task. Write a response that appropriately "
         "completes the request.\n"
         "{{/if}}\n"
         "{{/if}}\n"
         "\n"
         "### Instruction:\n"
         "{{instruction}}\n"
         "\n"
         "{{#if input}}\n"
         "### Input:\n"
         "{{input}}\n"
         "\n"
         "{{/if}}\n"
         "### Response:\n"},
    };
    return templates;
}

namespace {

// Lines without their terminators; a final line break does not start an empty last line, so
// "a\nb\n" and "a\nb" differ only in that, which a template history need not show.
std::vector<std::string_view> diffSplit(std::string_view text)
{
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

} // namespace

std::vector<DiffLine> diffLines(const std::string &before, const std::string &after)
{
    const std::vector<std::string_view> a = diffSplit(before);
    const std::vector<std::string_view> b = diffSplit(after);

    // Edits touch a few lines of long texts: the common head and tail cost nothing, and the
    // quadratic table only covers what lies between.
    size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
        ++prefix;
    size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;

    std::vector<DiffLine> out;
    out.reserve(a.size() + b.size());
    for (size_t i = 0; i < prefix; ++i)
        out.push_back({DiffLine::Op::Same, std::string(a[i])});

    const size_t n = a.size() - prefix - suffix;
    const size_t m = b.size() - prefix - suffix;
    // Past ~16 M cells (64 MB) the table would stall the UI: show the middle as replaced,
    // which is still a correct diff, just not a minimal one.
    constexpr size_t kMaxCells = size_t(1) << 24;
    if (n > 0 && m > 0 && (n + 1) * (m + 1) <= kMaxCells) {
        // Hash once so the table compares integers, not strings.
        std::vector<size_t> ha(n), hb(m);
        const std::hash<std::string_view> hash;
        for (size_t i = 0; i < n; ++i)
            ha[i] = hash(a[prefix + i]);
        for (size_t j = 0; j < m; ++j)
            hb[j] = hash(b[prefix + j]);
        auto same = [&](size_t i, size_t j) {
            return ha[i] == hb[j] && a[prefix + i] == b[prefix + j];
        };
        // lcs[i][j]: length of the LCS of a[i..] and b[j..] (suffix form, so the walk below
        // goes forward and lists removals before additions within a changed block).
        const size_t width = m + 1;
        std::vector<uint32_t> lcs((n + 1) * width, 0);
        for (size_t i = n; i-- > 0;)
            for (size_t j = m; j-- > 0;)
                lcs[i * width + j] =
                    same(i, j) ? lcs[(i + 1) * width + j + 1] + 1
                               : std::max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
        size_t i = 0;
        size_t j = 0;
        while (i < n && j < m) {
            if (same(i, j)) {
                out.push_back({DiffLine::Op::Same, std::string(a[prefix + i])});
                ++i;
                ++j;
            } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
                out.push_back({DiffLine::Op::Removed, std::string(a[prefix + i])});
                ++i;
            } else {
                out.push_back({DiffLine::Op::Added, std::string(b[prefix + j])});
                ++j;
            }
        }
        for (; i < n; ++i)
            out.push_back({DiffLine::Op::Removed, std::string(a[prefix + i])});
        for (; j < m; ++j)
            out.push_back({DiffLine::Op::Added, std::string(b[prefix + j])});
    } else {
        for (size_t i = 0; i < n; ++i)
            out.push_back({DiffLine::Op::Removed, std::string(a[prefix + i])});
        for (size_t j = 0; j < m; ++j)
            out.push_back({DiffLine::Op::Added, std::string(b[prefix + j])});
    }

    for (size_t i = a.size() - suffix; i < a.size(); ++i)
        out.push_back({DiffLine::Op::Same, std::string(a[i])});
    return out;
}

} // namespace wb
