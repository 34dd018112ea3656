// Statistics over valid records and the deterministic train/eval split.

#include "common/text.h"
#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace wb {

using nlohmann::json;

namespace {

// Lengths in code points; p50/p95 by nearest rank (the smallest value with at least p% of
// the values at or below it), so the numbers are real lengths from the data.
LengthStats lengthStats(std::vector<size_t> values)
{
    LengthStats s;
    s.count = values.size();
    if (values.empty())
        return s;
    std::sort(values.begin(), values.end());
    s.min = values.front();
    s.max = values.back();
    double sum = 0;
    for (size_t v : values)
        sum += static_cast<double>(v);
    s.mean = sum / static_cast<double>(values.size());
    const auto rank = [&](double p) {
        const auto r = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
        return values[std::clamp<size_t>(r, 1, values.size()) - 1];
    };
    s.p50 = rank(0.50);
    s.p95 = rank(0.95);
    return s;
}

size_t textLength(const json &o, const char *key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? utf8Length(it->get_ref<const std::string &>()) : 0;
}

} // namespace

DatasetStats computeStats(DatasetFormat format, const std::vector<DatasetRecord> &records)
{
    DatasetStats st;
    st.format = format;
    st.rows = records.size();
    if (format == DatasetFormat::Logic || format == DatasetFormat::Auto) {
        std::vector<size_t> problems, questions;
        for (const auto &r : records) {
            problems.push_back(textLength(r.data, "problem"));
            const auto qs = r.data.find("questions");
            if (qs == r.data.end() || !qs->is_array())
                continue;
            for (const json &q : *qs) {
                ++st.subQuestions;
                questions.push_back(textLength(q, "question"));
                const auto opts = q.find("options");
                ++st.optionCounts[opts != q.end() && opts->is_array() ? opts->size() : 0];
                const auto a = q.find("answer");
                if (a != q.end() && a->is_string() && !a->get_ref<const std::string &>().empty()) {
                    ++st.answered;
                    ++st.answerLetters[a->get<std::string>()];
                }
            }
        }
        st.lengths["problem"] = lengthStats(std::move(problems));
        st.lengths["question"] = lengthStats(std::move(questions));
        return st;
    }
    st.subQuestions = st.rows;
    if (format == DatasetFormat::Alpaca) {
        for (const char *key : {"instruction", "input", "output"}) {
            std::vector<size_t> v;
            for (const auto &r : records)
                v.push_back(textLength(r.data, key));
            st.lengths[key] = lengthStats(std::move(v));
        }
        return st;
    }
    std::vector<size_t> contents;
    for (const auto &r : records) {
        const auto ms = r.data.find("messages");
        if (ms == r.data.end() || !ms->is_array())
            continue;
        for (const json &m : *ms) {
            contents.push_back(textLength(m, "content"));
            const auto role = m.find("role");
            if (role != m.end() && role->is_string())
                ++st.roles[role->get<std::string>()];
        }
    }
    st.lengths["content"] = lengthStats(std::move(contents));
    return st;
}

DatasetSplit splitDataset(const std::vector<DatasetRecord> &records, double evalFraction,
                          uint64_t seed)
{
    const size_t n = records.size();
    size_t evalCount = 0;
    if (evalFraction >= 1.0) {
        evalCount = n;
    } else if (evalFraction > 0 && n > 0) { // also false for NaN
        evalCount = static_cast<size_t>(std::llround(evalFraction * static_cast<double>(n)));
        // At least one record to evaluate on, and at least one left to train on; a lone
        // record is worth more for training than as a one-item evaluation.
        evalCount = n >= 2 ? std::clamp<size_t>(evalCount, 1, n - 1) : 0;
    }

    // Fisher–Yates driven by mt19937_64, whose output sequence the standard fixes; neither
    // std::shuffle nor std::uniform_int_distribution is specified, so they would give other
    // splits on other standard libraries.
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = i;
    std::mt19937_64 rng(seed);
    for (size_t i = n; i > 1; --i) {
        const uint64_t bound = i;
        const uint64_t limit = UINT64_MAX - UINT64_MAX % bound; // reject to avoid modulo bias
        uint64_t x;
        do {
            x = rng();
        } while (x >= limit);
        std::swap(order[i - 1], order[static_cast<size_t>(x % bound)]);
    }

    std::vector<bool> toEval(n, false);
    for (size_t k = 0; k < evalCount; ++k)
        toEval[order[k]] = true;
    // Both sides keep file order: diffs against the source stay readable.
    DatasetSplit split;
    for (size_t i = 0; i < n; ++i)
        (toEval[i] ? split.eval : split.train).push_back(records[i]);
    return split;
}

} // namespace wb
