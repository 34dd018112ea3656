// The model side of accuracy evaluation (accuracy.h): load, score or generate, report.

#include "eval/accuracy.h"

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"
#include "train/train_job.h"

#include <algorithm>
#include <chrono>

namespace wb {

namespace {

std::string progressMessage(size_t done, size_t total)
{
    return "question " + std::to_string(done) + "/" + std::to_string(total);
}

void checkContext(const EvalQuestion &q, int64_t maxPositions)
{
    size_t longest = q.prompt.size();
    for (const auto &c : q.choice.continuations)
        longest = std::max(longest, q.choice.prompt.size() + c.size());
    if (maxPositions > 0 && longest > size_t(maxPositions))
        throw Error(ErrorCode::Validation,
                    "row " + std::to_string(q.row) + " question " + std::to_string(q.question + 1) +
                        ": " + std::to_string(longest) + " tokens, more than the model's " +
                        std::to_string(maxPositions) + " positions");
}

QuestionResult resultFor(const EvalQuestion &q)
{
    QuestionResult r;
    r.recordId = q.recordId;
    r.row = q.row;
    r.question = q.question;
    r.expected = q.expected;
    return r;
}

// evaluateAccuracy, on `loaded` or on a model it loads itself.
AccuracyReport evaluate(const std::vector<DatasetRecord> &records, const AccuracyOptions &options,
                        CausalLM *loaded, const EvalCallbacks &callbacks)
{
    const auto start = std::chrono::steady_clock::now();
    auto cancelled = [&] { return callbacks.isCancelled && callbacks.isCancelled(); };
    auto progress = [&](double f, const std::string &m) {
        if (callbacks.onProgress)
            callbacks.onProgress(f, m);
    };
    AccuracyReport report;
    report.method = evalMethodName(options.method);
    report.target = scoreTargetName(options.target);
    report.model = options.modelDir;
    report.adapter = options.adapterDir;
    report.templateName = options.templateName;

    const auto tokenizer = Tokenizer::load(options.modelDir);
    std::optional<ChatTemplate> chat;
    if (options.chatTemplate) {
        chat = ChatTemplate::fromModelDir(options.modelDir);
        if (!chat)
            throw Error(ErrorCode::Validation,
                        "the model has no chat template (tokenizer_config.json); evaluate without it",
                        options.modelDir);
    }
    progress(0, "rendering prompts");
    const EvalQuestions built = buildEvalQuestions(records, *tokenizer, chat ? &*chat : nullptr,
                                                   options.templateBody, options.target);
    report.unanswered = built.unanswered;
    const std::vector<EvalQuestion> &questions = built.questions;
    if (questions.empty())
        throw Error(ErrorCode::Validation,
                    "no sub-question has an answer to compare with (a test file?)");

    std::unique_ptr<CausalLM> owned;
    CausalLM *model = loaded;
    if (!model) {
        owned = loadAccuracyModel(options, callbacks);
        model = owned.get();
    }
    for (const EvalQuestion &q : questions)
        checkContext(q, model->maxPositions());

    const size_t total = questions.size();
    auto record = [&](QuestionResult r) {
        if (callbacks.onResult)
            callbacks.onResult(r);
        addResult(report, std::move(r));
    };
    auto stopIfCancelled = [&](size_t done) {
        if (cancelled())
            throw Error(ErrorCode::Cancelled, "evaluation cancelled after " + std::to_string(done) +
                                                  " of " + std::to_string(total) + " questions");
    };

    if (options.method == EvalMethod::Loglik) {
        std::vector<ChoiceRequest> requests;
        for (const EvalQuestion &q : questions)
            requests.push_back(q.choice);
        size_t reported = 0;
        const auto scores = scoreChoices(*model, requests, options.batchSize, [&](size_t done) {
            progress(0.05 + 0.95 * double(done) / double(total), progressMessage(done, total));
            return !cancelled();
        });
        stopIfCancelled(scores.size());
        for (; reported < scores.size(); ++reported) {
            const EvalQuestion &q = questions[reported];
            const ChoiceScores &s = scores[reported];
            QuestionResult r = resultFor(q);
            for (const OptionScore &o : s.options)
                r.logProbs.push_back(o.logProb);
            r.predicted = optionLetter(s.best);
            r.predictedNorm = optionLetter(s.bestNorm);
            r.correct = r.predicted == q.expected;
            r.correctNorm = r.predictedNorm == q.expected;
            record(std::move(r));
        }
    } else {
        GenerateOptions go;
        go.maxNewTokens = options.maxNewTokens;
        go.sampling.temperature = 0; // greedy: deterministic, comparable between runs
        // Training ends each response with the tokenizer's EOS, which config.json may not list.
        go.eosIds = model->eosIds();
        for (int32_t id : tokenizer->eosIds())
            if (std::find(go.eosIds.begin(), go.eosIds.end(), id) == go.eosIds.end())
                go.eosIds.push_back(id);
        go.decode = [&](const std::vector<int32_t> &ids) { return tokenizer->decode(ids, true); };
        const size_t rows = size_t(std::max(1, options.batchSize));
        for (size_t begin = 0; begin < total; begin += rows) {
            stopIfCancelled(begin);
            const size_t end = std::min(total, begin + rows);
            std::vector<std::vector<int32_t>> prompts;
            for (size_t i = begin; i < end; ++i)
                prompts.push_back(questions[i].prompt);
            const auto outs = generateBatch(*model, prompts, go, [&](int, int32_t) {
                return !cancelled();
            });
            stopIfCancelled(begin);
            for (size_t i = begin; i < end; ++i) {
                const EvalQuestion &q = questions[i];
                QuestionResult r = resultFor(q);
                r.output = outs[i - begin].text;
                r.extracted = extractAnswer(r.output, q.options);
                r.predicted = r.extracted.letter;
                r.correct = r.extracted.ok() && r.predicted == q.expected;
                record(std::move(r));
            }
            progress(0.05 + 0.95 * double(end) / double(total), progressMessage(end, total));
        }
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace

std::unique_ptr<CausalLM> loadAccuracyModel(const AccuracyOptions &options,
                                            const EvalCallbacks &callbacks)
{
    LoadOptions lo;
    lo.device = options.device;
    lo.dtype = options.dtype;
    lo.threads = options.threads;
    lo.adapterDir = options.adapterDir;
    return CausalLM::load(options.modelDir, lo, [&](double f, const std::string &m) {
        if (callbacks.onProgress)
            callbacks.onProgress(0.05 * f, m);
        return !(callbacks.isCancelled && callbacks.isCancelled());
    });
}

AccuracyReport evaluateAccuracy(const std::vector<DatasetRecord> &records,
                                const AccuracyOptions &options, const EvalCallbacks &callbacks)
{
    return evaluate(records, options, nullptr, callbacks);
}

AccuracyReport evaluateAccuracy(const std::vector<DatasetRecord> &records,
                                const AccuracyOptions &options, CausalLM &model,
                                const EvalCallbacks &callbacks)
{
    return evaluate(records, options, &model, callbacks);
}

JobSpec makeAccuracyJob(std::vector<DatasetRecord> records, AccuracyOptions options,
                        const std::string &title)
{
    JobSpec spec;
    spec.kind = "eval.accuracy";
    spec.title = title;
    spec.lane = trainLane(options.device); // the model host's lane: one model per device at a time
    spec.params = {{"model", options.modelDir},
                   {"adapter", options.adapterDir},
                   {"template", options.templateName},
                   {"method", evalMethodName(options.method)},
                   {"target", scoreTargetName(options.target)},
                   {"problems", records.size()}};
    spec.work = [records = std::move(records), options = std::move(options)](JobContext &ctx) {
        EvalCallbacks cb;
        cb.isCancelled = [&ctx] { return ctx.isCancelled(); };
        size_t done = 0;
        cb.onResult = [&done](const QuestionResult &) { ++done; };
        cb.onProgress = [&](double f, const std::string &m) {
            ctx.progress(f, m, {{"questions", int64_t(done)}});
        };
        const AccuracyReport report = evaluateAccuracy(records, options, cb);
        ctx.progress(1, report.summary(), {{"questions", int64_t(report.questions)}});
        ctx.metric("accuracy", 0, report.accuracy());
        return report.toJson(true);
    };
    return spec;
}

} // namespace wb
