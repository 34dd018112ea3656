#pragma once

// Accuracy of a model (and optionally a LoRA adapter) on a logic-reasoning dataset: every
// answered sub-question is rendered with a prompt template exactly as fine-tuning renders it
// (train/sft.h), then answered by log-likelihood over the options (deterministic) or by greedy
// generation and answer extraction. The score is accuracy over all sub-questions (FORMATS.md).
// Torch-free.

#include "data/dataset.h"
#include "eval/answer_extract.h"
#include "eval/option_scoring.h"
#include "formats/dtype.h"
#include "jobs/job.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

class CausalLM;
class ChatTemplate;
class Tokenizer;

enum class EvalMethod {
    Loglik,   // score each option's continuation; pick the most likely (acc and acc_norm)
    Generate, // greedy generation, then extractAnswer (unextracted answers count as wrong)
};
const char *evalMethodName(EvalMethod method); // "loglik", "generate"
std::optional<EvalMethod> evalMethodFromName(std::string_view name);

struct AccuracyOptions
{
    std::string modelDir;
    std::string adapterDir;   // a PEFT LoRA adapter folder applied on top ("" for none)
    std::string templateName; // for the report only
    std::string templateBody; // the prompt template (template.h syntax)
    bool chatTemplate = false; // wrap the prompt as a user turn of the model's chat template
    EvalMethod method = EvalMethod::Loglik;
    ScoreTarget target = ScoreTarget::Letter; // loglik: what follows the prompt per option
    int batchSize = 8;        // sequences per forward pass
    int maxNewTokens = 256;   // generate
    std::string device = "cpu";
    DType dtype = DType::F32;
    int threads = 0; // 0: the workbench's budget
};

// Which records of a dataset to score.
enum class DatasetSide {
    All,
    Train, // what `llmwb train` trains on when it holds out evalFraction of the same file
    Eval,  // what it holds out (splitDataset with the same fraction and seed)
};
std::optional<DatasetSide> datasetSideFromName(std::string_view name); // "all", "train", "eval"

// The side of a split (as the trainer splits: by problem, deterministic by seed), then the first
// `limit` problems (0: all).
std::vector<DatasetRecord> selectRecords(const std::vector<DatasetRecord> &records,
                                         DatasetSide side, double evalFraction, uint64_t seed,
                                         size_t limit);

// One answered sub-question, rendered and tokenized.
struct EvalQuestion
{
    std::string recordId;
    size_t row = 0;      // the record's row in its file
    size_t question = 0; // 0-based sub-question index
    std::vector<std::string> options;
    std::string expected;       // answer letter
    std::vector<int32_t> prompt; // what generation starts from, as training's prompt part
    ChoiceRequest choice;       // per option: continuation after choice.prompt
};

struct EvalQuestions
{
    std::vector<EvalQuestion> questions;
    size_t unanswered = 0; // sub-questions without an answer (not scored)
};

// Builds the questions with train/sft.h's buildSftExamples, so the prompt tokens (template,
// chat wrapping, BOS) are the ones a model fine-tuned with the same template was trained on, and
// each option's continuation is tokenized as a training response would be (without the EOS).
// Throws Error(Validation) for a record that is not a logic problem.
// `contextFor` fills each prompt's {{context}} (RAG), as prompt_builder's ContextProvider.
EvalQuestions buildEvalQuestions(
    const std::vector<DatasetRecord> &records, const Tokenizer &tokenizer, const ChatTemplate *chat,
    const std::string &templateBody, ScoreTarget target,
    const std::function<std::string(const nlohmann::json &)> &contextFor = {});

struct QuestionResult
{
    std::string recordId;
    size_t row = 0, question = 0;
    std::string expected, predicted; // predicted: "" when generate extracted nothing
    bool correct = false;
    // loglik
    std::vector<double> logProbs;
    std::string predictedNorm;
    bool correctNorm = false;
    // generate
    std::string output;
    ExtractedAnswer extracted;

    nlohmann::json toJson() const;
};

struct AccuracyReport
{
    std::string method, target, model, adapter, templateName;
    size_t questions = 0, correct = 0;
    size_t correctNorm = 0; // loglik: by acc_norm
    size_t unextracted = 0; // generate: outputs with no answer found (counted as wrong)
    size_t unanswered = 0;  // sub-questions without a reference answer, not scored
    double seconds = 0;
    std::vector<QuestionResult> results;

    double accuracy() const { return questions ? double(correct) / double(questions) : 0.0; }
    double accuracyNorm() const { return questions ? double(correctNorm) / double(questions) : 0.0; }
    nlohmann::json toJson(bool withResults = false) const;
    std::string summary() const; // "accuracy 0.583 (70/120 questions), loglik on the letter, ..."
};

// Adds one question's result to the totals.
void addResult(AccuracyReport &report, QuestionResult result);

struct EvalCallbacks
{
    std::function<void(double fraction, const std::string &message)> onProgress;
    std::function<void(const QuestionResult &)> onResult; // as each question is scored
    std::function<bool()> isCancelled;                    // checked between batches
};

// Loads the model (and adapter), scores `records` (Logic). Throws Error: Validation for a bad
// dataset or template, Cancelled when isCancelled said so.
AccuracyReport evaluateAccuracy(const std::vector<DatasetRecord> &records,
                                const AccuracyOptions &options, const EvalCallbacks &callbacks = {});
// The model (with options.adapterDir) an evaluation of `options` runs on: its device, dtype and
// threads. Load progress goes to callbacks.onProgress as 0..0.05; Error(Cancelled) when
// callbacks.isCancelled says so.
std::unique_ptr<CausalLM> loadAccuracyModel(const AccuracyOptions &options,
                                            const EvalCallbacks &callbacks = {});
// The same on a model already loaded: options.modelDir still names its folder (the tokenizer and
// chat template come from there) and options.adapterDir is only reported. One load then serves
// several evaluations, e.g. base and base + adapter through CausalLM::setAdapterEnabled.
AccuracyReport evaluateAccuracy(const std::vector<DatasetRecord> &records,
                                const AccuracyOptions &options, CausalLM &model,
                                const EvalCallbacks &callbacks = {});

// kind "eval.accuracy": evaluateAccuracy as a job; the result is the report's JSON (with the
// per-question results), progress counts "questions", metric "accuracy" at the end.
JobSpec makeAccuracyJob(std::vector<DatasetRecord> records, AccuracyOptions options,
                        const std::string &title);

} // namespace wb
