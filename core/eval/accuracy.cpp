// The torch-free half of accuracy evaluation: selecting records, rendering and tokenizing the
// questions as training does, and the report. The model side is accuracy_engine.cpp.

#include "eval/accuracy.h"

#include "common/error.h"
#include "prompt/prompt_builder.h"
#include "train/sft.h"

#include <algorithm>
#include <climits>
#include <cstdio>

namespace wb {

namespace {

// A training example whose response is `response` for sub-question `q` alone: the record's
// other sub-questions lose their answers, so buildSftExamples drops them, and the answer moves
// to `rationale`, which buildSftExamples trains towards verbatim when the answer is empty.
SftExample exampleWithResponse(const DatasetRecord &record, size_t q, const std::string &response,
                               const Tokenizer &tokenizer, const SftOptions &options)
{
    DatasetRecord copy = record;
    nlohmann::json &questions = copy.data["questions"];
    for (size_t i = 0; i < questions.size(); ++i) {
        questions[i]["answer"] = "";
        questions[i]["rationale"] = i == q ? response : std::string();
    }
    SftExamples built = buildSftExamples(DatasetFormat::Logic, {copy}, tokenizer, options);
    if (built.examples.size() != 1)
        throw Error(ErrorCode::Internal, "row " + std::to_string(record.row) + " question " +
                                             std::to_string(q + 1) + ": no example was built");
    return std::move(built.examples.front());
}

size_t promptLength(const SftExample &ex)
{
    return size_t(std::find(ex.trainMask.begin(), ex.trainMask.end(), 1) - ex.trainMask.begin());
}

} // namespace

const char *evalMethodName(EvalMethod method)
{
    return method == EvalMethod::Loglik ? "loglik" : "generate";
}

std::optional<EvalMethod> evalMethodFromName(std::string_view name)
{
    if (name == "loglik")
        return EvalMethod::Loglik;
    if (name == "generate")
        return EvalMethod::Generate;
    return std::nullopt;
}

std::optional<DatasetSide> datasetSideFromName(std::string_view name)
{
    if (name == "all")
        return DatasetSide::All;
    if (name == "train")
        return DatasetSide::Train;
    if (name == "eval")
        return DatasetSide::Eval;
    return std::nullopt;
}

std::vector<DatasetRecord> selectRecords(const std::vector<DatasetRecord> &records,
                                         DatasetSide side, double evalFraction, uint64_t seed,
                                         size_t limit)
{
    std::vector<DatasetRecord> out;
    if (side == DatasetSide::All) {
        out = records;
    } else {
        DatasetSplit split = splitDataset(records, evalFraction, seed);
        out = side == DatasetSide::Train ? std::move(split.train) : std::move(split.eval);
    }
    if (limit > 0 && out.size() > limit)
        out.resize(limit);
    return out;
}

EvalQuestions buildEvalQuestions(
    const std::vector<DatasetRecord> &records, const Tokenizer &tokenizer, const ChatTemplate *chat,
    const std::string &templateBody, ScoreTarget target,
    const std::function<std::string(const nlohmann::json &)> &contextFor)
{
    SftOptions so;
    so.templateBody = templateBody;
    so.chat = chat;
    so.trainOnPrompt = false;
    so.maxLength = INT_MAX; // the model's context is checked when scoring
    so.addEos = false;      // an option ends where its text ends
    so.contextFor = contextFor;
    EvalQuestions out;
    for (const DatasetRecord &record : records) {
        const std::vector<nlohmann::json> contexts = templateContexts(DatasetFormat::Logic, record);
        if (contexts.empty())
            throw Error(ErrorCode::Validation,
                        "row " + std::to_string(record.row) +
                            " is not a logic problem (no 'questions'): accuracy needs "
                            "multiple-choice questions");
        for (size_t q = 0; q < contexts.size(); ++q) {
            const nlohmann::json &ctx = contexts[q];
            EvalQuestion eq;
            eq.recordId = ctx["id"].get<std::string>();
            eq.row = record.row;
            eq.question = q;
            eq.options = ctx["options"].get<std::vector<std::string>>();
            eq.expected = ctx["answer"].get<std::string>();
            const std::string where =
                "row " + std::to_string(record.row) + " question " + std::to_string(q + 1);
            if (eq.options.empty())
                throw Error(ErrorCode::Validation, where + ": the question has no options");
            if (eq.expected.empty()) {
                ++out.unanswered;
                continue;
            }
            std::vector<SftExample> examples;
            for (size_t k = 0; k < eq.options.size(); ++k) {
                const std::string text = optionContinuation(target, eq.options, k);
                if (text.empty())
                    throw Error(ErrorCode::Validation,
                                where + ": option " + optionLetter(k) + " is empty");
                examples.push_back(exampleWithResponse(record, q, text, tokenizer, so));
                eq.choice.texts.push_back(text);
            }
            // Usually every option follows the same prompt tokens. A chat template that renders
            // an answered turn differently is split where the options' token sequences part,
            // as training splits it at the longest common prefix.
            size_t shared = promptLength(examples.front());
            eq.prompt.assign(examples.front().ids.begin(), examples.front().ids.begin() + long(shared));
            for (const SftExample &ex : examples) {
                size_t k = 0;
                while (k < shared && k < ex.ids.size() && ex.ids[k] == examples.front().ids[k])
                    ++k;
                shared = std::min({k, promptLength(ex)});
            }
            if (shared == 0)
                throw Error(ErrorCode::Validation,
                            where + ": the rendered prompt is empty; the first option token "
                                    "needs something before it");
            const auto &first = examples.front().ids;
            eq.choice.prompt.assign(first.begin(), first.begin() + long(shared));
            for (const SftExample &ex : examples)
                eq.choice.continuations.emplace_back(ex.ids.begin() + long(shared), ex.ids.end());
            out.questions.push_back(std::move(eq));
        }
    }
    return out;
}

nlohmann::json QuestionResult::toJson() const
{
    nlohmann::json j = {{"id", recordId},        {"row", row},
                        {"question", question + 1}, {"expected", expected},
                        {"predicted", predicted}, {"correct", correct}};
    if (!logProbs.empty()) {
        j["logprobs"] = logProbs;
        j["predicted_norm"] = predictedNorm;
        j["correct_norm"] = correctNorm;
    } else {
        j["output"] = output;
        j["extracted_by"] = extractMethodName(extracted.method);
        if (!extracted.ok())
            j["reason"] = extracted.reason;
    }
    return j;
}

void addResult(AccuracyReport &report, QuestionResult result)
{
    ++report.questions;
    report.correct += result.correct ? 1 : 0;
    report.correctNorm += result.correctNorm ? 1 : 0;
    if (result.logProbs.empty() && !result.extracted.ok())
        ++report.unextracted;
    report.results.push_back(std::move(result));
}

nlohmann::json AccuracyReport::toJson(bool withResults) const
{
    nlohmann::json j = {{"method", method},
                        {"model", model},
                        {"adapter", adapter},
                        {"template", templateName},
                        {"questions", questions},
                        {"correct", correct},
                        {"accuracy", accuracy()},
                        {"unanswered", unanswered},
                        {"seconds", seconds}};
    if (method == evalMethodName(EvalMethod::Loglik)) {
        j["target"] = target;
        j["correct_norm"] = correctNorm;
        j["accuracy_norm"] = accuracyNorm();
    } else {
        j["unextracted"] = unextracted;
    }
    if (withResults) {
        j["results"] = nlohmann::json::array();
        for (const QuestionResult &r : results)
            j["results"].push_back(r.toJson());
    }
    return j;
}

std::string AccuracyReport::summary() const
{
    char buf[256];
    std::snprintf(buf, sizeof buf, "accuracy %.3f (%zu/%zu questions)", accuracy(), correct,
                  questions);
    std::string s = buf;
    if (method == evalMethodName(EvalMethod::Loglik)) {
        std::snprintf(buf, sizeof buf, ", acc_norm %.3f; loglik on the option %s", accuracyNorm(),
                      target.c_str());
        s += buf;
    } else {
        s += ", " + std::to_string(unextracted) + " unextracted; greedy generation";
    }
    if (unanswered)
        s += "; " + std::to_string(unanswered) + " sub-questions without an answer not scored";
    std::snprintf(buf, sizeof buf, "; %.1f s", seconds);
    return s + buf;
}

} // namespace wb
