#include "model/generate.h"

#include "common/error.h"
#include "formats/hf_config.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace wb {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Row
{
    Sampler sampler;
    std::vector<int32_t> history; // prompt + generated, for the repetition penalty
    GenerateResult result;
    bool done = false;
    size_t searchedUpTo = 0; // text bytes already searched for stop strings

    explicit Row(const SamplingOptions &s) : sampler(s) {}
};

// Returns the offset of the earliest stop string in `text` at or after `from`, or npos.
size_t findStop(const std::string &text, const std::vector<std::string> &stops, size_t from)
{
    size_t best = std::string::npos;
    for (const std::string &s : stops) {
        if (s.empty())
            continue;
        const size_t start = from > s.size() ? from - s.size() + 1 : 0; // straddling matches
        const size_t at = text.find(s, start);
        if (at != std::string::npos && (best == std::string::npos || at < best))
            best = at;
    }
    return best;
}

} // namespace

const char *stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::Eos:
        return "eos";
    case StopReason::StopString:
        return "stop_string";
    case StopReason::MaxTokens:
        return "max_tokens";
    case StopReason::Cancelled:
        return "cancelled";
    case StopReason::ContextFull:
        return "context_full";
    }
    return "unknown";
}

std::vector<GenerateResult> generateBatch(CausalLM &model,
                                          const std::vector<std::vector<int32_t>> &prompts,
                                          const GenerateOptions &options,
                                          const BatchTokenCallback &onToken)
{
    if (prompts.empty())
        return {};
    for (size_t i = 0; i < prompts.size(); ++i) {
        if (prompts[i].empty())
            throw Error(ErrorCode::Validation,
                        "prompt " + std::to_string(i) + " is empty; give at least one token");
    }
    if (!options.stopStrings.empty() && !options.decode)
        throw Error(ErrorCode::Validation, "stop strings need a decode function");
    if (options.maxNewTokens < 0)
        throw Error(ErrorCode::Validation, "max new tokens must not be negative");

    std::vector<int32_t> eos = options.eosIds.empty() ? model.eosIds() : options.eosIds;
    if (options.ignoreEos)
        eos.clear();
    size_t maxStop = 0;
    for (const auto &s : options.stopStrings)
        maxStop = std::max(maxStop, s.size());
    const int64_t vocab = model.vocabSize();
    int64_t maxContext = options.maxContext;
    if (maxContext <= 0)
        maxContext =
            model.config().rope.type == RopeType::Dynamic ? INT64_MAX : model.maxPositions();

    std::vector<Row> rows;
    rows.reserve(prompts.size());
    for (size_t i = 0; i < prompts.size(); ++i) {
        SamplingOptions s = options.sampling;
        s.seed = i < options.rowSeeds.size() ? options.rowSeeds[i] : s.seed + i;
        rows.emplace_back(s);
        rows.back().history = prompts[i];
        rows.back().result.promptTokens = int(prompts[i].size());
    }

    std::vector<GenerateResult> out;
    auto finish = [&]() {
        for (Row &r : rows) {
            if (options.decode && r.result.reason != StopReason::StopString)
                r.result.text = options.decode(r.result.tokens);
            out.push_back(std::move(r.result));
        }
        return out;
    };
    if (options.maxNewTokens == 0)
        return finish();

    auto session = model.newBatchSession();
    Clock::time_point start = Clock::now();
    std::vector<float> logits = session->append(prompts);
    const double prefill = secondsSince(start);
    start = Clock::now();
    for (Row &r : rows)
        r.result.prefillSeconds = prefill;

    bool cancelled = false;
    for (int step = 0;; ++step) {
        for (size_t i = 0; i < rows.size() && !cancelled; ++i) {
            Row &r = rows[i];
            if (r.done)
                continue;
            const int32_t token =
                r.sampler.next(logits.data() + int64_t(i) * vocab, vocab, r.history);
            r.history.push_back(token);
            r.result.tokens.push_back(token);
            if (onToken && !onToken(int(i), token))
                cancelled = true;
            if (std::find(eos.begin(), eos.end(), token) != eos.end()) {
                r.done = true;
                r.result.reason = StopReason::Eos;
            } else if (!options.stopStrings.empty()) {
                std::string text = options.decode(r.result.tokens);
                const size_t at = findStop(text, options.stopStrings, r.searchedUpTo);
                r.searchedUpTo = text.size() > maxStop ? text.size() - maxStop : 0;
                if (at != std::string::npos) {
                    text.resize(at);
                    r.result.text = std::move(text);
                    r.done = true;
                    r.result.reason = StopReason::StopString;
                }
            }
            if (!r.done && int(r.result.tokens.size()) >= options.maxNewTokens) {
                r.done = true;
                r.result.reason = StopReason::MaxTokens;
            }
            if (!r.done && int64_t(r.history.size()) >= maxContext) {
                r.done = true;
                r.result.reason = StopReason::ContextFull;
            }
        }
        if (cancelled) {
            for (Row &r : rows) {
                if (!r.done) {
                    r.done = true;
                    r.result.reason = StopReason::Cancelled;
                }
            }
        }
        if (std::all_of(rows.begin(), rows.end(), [](const Row &r) { return r.done; }))
            break;
        // Finished rows keep stepping (their last token) so the batch stays rectangular.
        std::vector<int32_t> next;
        for (const Row &r : rows)
            next.push_back(r.history.back());
        logits = session->step(next);
    }
    const double decode = secondsSince(start);
    for (Row &r : rows)
        r.result.decodeSeconds = decode;
    return finish();
}

GenerateResult generate(CausalLM &model, const std::vector<int32_t> &prompt,
                        const GenerateOptions &options, const TokenCallback &onToken)
{
    BatchTokenCallback cb;
    if (onToken)
        cb = [&](int, int32_t token) { return onToken(token); };
    return std::move(generateBatch(model, {prompt}, options, cb).front());
}

} // namespace wb
