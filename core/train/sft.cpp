#include "train/sft.h"

#include "common/error.h"
#include "prompt/prompt_builder.h"
#include "prompt/template.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

namespace wb {

namespace {

std::string jsonString(const nlohmann::json &ctx, const char *key)
{
    if (ctx.contains(key) && ctx[key].is_string())
        return ctx[key].get<std::string>();
    return {};
}

// The text a record's prompt should be answered with (see sft.h).
std::string responseFor(DatasetFormat format, const nlohmann::json &ctx)
{
    switch (format) {
    case DatasetFormat::Logic: {
        const std::string answer = jsonString(ctx, "answer");
        std::string rationale = jsonString(ctx, "rationale");
        if (rationale.empty())
            return answer;
        if (!answer.empty() && rationale.find("答案是") == std::string::npos &&
            rationale.find("Answer:") == std::string::npos)
            rationale += "\n答案是：" + answer;
        return rationale;
    }
    case DatasetFormat::Alpaca:
        return jsonString(ctx, "output");
    case DatasetFormat::Chat:
        return jsonString(ctx, "response");
    case DatasetFormat::Auto:
        break;
    }
    return {};
}

} // namespace

SftExamples buildSftExamples(DatasetFormat format, const std::vector<DatasetRecord> &records,
                             const Tokenizer &tokenizer, const SftOptions &options)
{
    if (options.maxLength < 2)
        throw Error(ErrorCode::Validation, "max length must be at least 2 tokens");
    const PromptTemplate tpl = PromptTemplate::parse(options.templateBody);
    const std::vector<int32_t> eos = tokenizer.eosIds();
    SftExamples out;
    for (const DatasetRecord &record : records) {
        ++out.records;
        const std::vector<nlohmann::json> contexts = templateContexts(format, record);
        for (size_t q = 0; q < contexts.size(); ++q) {
            nlohmann::json ctx = contexts[q];
            const std::string response = responseFor(format, ctx);
            const std::string where = "row " + std::to_string(record.row) +
                                      (format == DatasetFormat::Logic
                                           ? " question " + std::to_string(q + 1)
                                           : std::string());
            if (response.empty()) {
                ++out.dropped; // nothing to learn (a test file without answers)
                continue;
            }
            ++out.rendered;
            std::string prompt;
            try {
                if (options.contextFor)
                    ctx["context"] = options.contextFor(ctx);
                prompt = tpl.render(ctx);
            } catch (const std::exception &e) {
                throw Error(ErrorCode::Validation, "template on dataset " + where + ": " + e.what());
            }
            SftExample ex;
            ex.source = where;
            std::vector<int32_t> promptIds, responseIds;
            if (options.chat) {
                const std::vector<ChatMessage> turn = {{"user", prompt}};
                const std::vector<ChatMessage> both = {{"user", prompt}, {"assistant", response}};
                const std::string p = options.chat->render(turn, true, tokenizer.bosToken(),
                                                           tokenizer.eosToken());
                const std::string full = options.chat->render(both, false, tokenizer.bosToken(),
                                                              tokenizer.eosToken());
                if (full.compare(0, p.size(), p) == 0) {
                    promptIds = tokenizer.encode(p, false);
                    responseIds = tokenizer.encode(full.substr(p.size()), false);
                } else {
                    // The template renders the turn differently once answered: mask by the
                    // longest common token prefix.
                    const std::vector<int32_t> a = tokenizer.encode(p, false);
                    const std::vector<int32_t> b = tokenizer.encode(full, false);
                    size_t k = 0;
                    while (k < a.size() && k < b.size() && a[k] == b[k])
                        ++k;
                    promptIds.assign(b.begin(), b.begin() + long(k));
                    responseIds.assign(b.begin() + long(k), b.end());
                }
            } else {
                promptIds = tokenizer.encode(prompt, true);
                responseIds = tokenizer.encode(response, false);
                if (options.addEos && !eos.empty())
                    responseIds.push_back(eos.front());
            }
            ex.ids = promptIds;
            ex.ids.insert(ex.ids.end(), responseIds.begin(), responseIds.end());
            ex.trainMask.assign(promptIds.size(), options.trainOnPrompt ? 1 : 0);
            ex.trainMask.insert(ex.trainMask.end(), responseIds.size(), 1);
            if (!ex.ids.empty() && options.trainOnPrompt)
                ex.trainMask[0] = 0; // the first token has nothing before it to predict it
            if (ex.ids.size() > size_t(options.maxLength)) {
                ++out.truncated;
                ex.ids.resize(size_t(options.maxLength));
                ex.trainMask.resize(size_t(options.maxLength));
            }
            int64_t targets = 0;
            for (uint8_t m : ex.trainMask)
                targets += m;
            if (targets == 0) {
                ++out.dropped;
                continue;
            }
            out.targetTokens += targets;
            out.totalTokens += int64_t(ex.ids.size());
            out.examples.push_back(std::move(ex));
        }
    }
    return out;
}

std::vector<SftExample> packExamples(const std::vector<SftExample> &examples, int maxLength)
{
    std::vector<SftExample> packed;
    SftExample cur;
    for (const SftExample &ex : examples) {
        if (!cur.ids.empty() && cur.ids.size() + ex.ids.size() > size_t(maxLength)) {
            packed.push_back(std::move(cur));
            cur = SftExample{};
        }
        if (cur.ids.empty())
            cur.source = ex.source;
        else
            cur.source += "+";
        cur.ids.insert(cur.ids.end(), ex.ids.begin(), ex.ids.end());
        cur.trainMask.insert(cur.trainMask.end(), ex.trainMask.begin(), ex.trainMask.end());
    }
    if (!cur.ids.empty())
        packed.push_back(std::move(cur));
    return packed;
}

} // namespace wb
