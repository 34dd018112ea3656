// core/eval: answer extraction (English, Chinese, full-width forms, refusals), option scoring by
// log-likelihood against a direct computation from the logits, prompts identical to training's,
// a LoRA adapter trained to answer one letter beating its base model, the generate method,
// split selection, cancellation and the job.

#include "common/error.h"
#include "common/files.h"
#include "common/text.h"
#include "eval/accuracy.h"
#include "eval/answer_extract.h"
#include "eval/option_scoring.h"
#include "model/causal_lm.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"
#include "train/sft.h"
#include "train/trainer.h"

#include "test_util.h"
#include "tiny_model.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace fs = std::filesystem;
using nlohmann::json;
using Method = wb::ExtractedAnswer::Method;

Q_DECLARE_METATYPE(Method)

namespace {

const char *kTemplate = "Problem: {{problem}}\nQuestion: {{question}}\n"
                        "{{#each options}}\n{{letter}}. {{this}}\n{{/each}}\nAnswer:";

// Logic problems whose every answer is `letter` (options: four words, shuffled per question).
std::vector<wb::DatasetRecord> problems(size_t count, const std::string &letter, uint64_t salt)
{
    const std::vector<std::string> words = {"red", "blue", "green", "cat", "dog", "sun",
                                            "moon", "tree", "fish", "bird", "rock", "rain"};
    std::vector<wb::DatasetRecord> out;
    for (size_t i = 0; i < count; ++i) {
        json questions = json::array();
        for (size_t q = 0; q < 2; ++q) {
            json options = json::array();
            for (size_t k = 0; k < 4; ++k)
                options.push_back(words[(i * 5 + q * 3 + k * 7 + salt) % words.size()] + " " +
                                  std::to_string(k));
            questions.push_back({{"question", "Which one " + std::to_string(q) + "?"},
                                 {"options", options},
                                 {"answer", letter}});
        }
        wb::DatasetRecord r;
        r.row = i + 1;
        r.data = {{"id", "p" + std::to_string(i)},
                  {"problem", "The " + words[(i + salt) % words.size()] + " is near the " +
                                  words[(i * 7 + salt) % words.size()] + "."},
                  {"questions", questions}};
        out.push_back(r);
    }
    return out;
}

double logSoftmaxAt(const float *row, int64_t vocab, int32_t id)
{
    double mx = row[0];
    for (int64_t v = 1; v < vocab; ++v)
        mx = std::max(mx, double(row[v]));
    double z = 0;
    for (int64_t v = 0; v < vocab; ++v)
        z += std::exp(double(row[v]) - mx);
    return double(row[id]) - mx - std::log(z);
}

} // namespace

class TestEval : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_model; // tiny random Llama + the qwen2-bpe fixture tokenizer (ChatML template)

    wb::AccuracyOptions options(const std::string &adapter = {})
    {
        wb::AccuracyOptions o;
        o.modelDir = m_model.string();
        o.adapterDir = adapter;
        o.templateBody = kTemplate;
        o.threads = 1;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_model = wbtest::path(m_tmp) / "tiny";
        wbtest::writeTinyModel(m_model, 11);
    }

    void extract_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("optionCount");
        QTest::addColumn<QString>("letter"); // "" when nothing may be extracted
        QTest::addColumn<Method>("method");
        QTest::addColumn<QString>("reasonPart"); // part of the reason when nothing is extracted

        const Method line = Method::AnswerLine, lone = Method::LoneLetter,
                     text = Method::OptionText, none = Method::None;
        auto row = [](const char *name, const char *t, int n, const char *l, Method m,
                      const char *reason = "") {
            QTest::newRow(name) << QString::fromUtf8(t) << n << QString(l) << m
                                << QString::fromUtf8(reason);
        };
        // Chinese answer lines: full-width and ASCII colons, 为, spaces, brackets, full-width letters.
        row("zh full-width colon", "首先分析……\n所以甲说谎。\n答案是：C", 4, "C", line);
        row("zh ascii colon", "答案是:B", 4, "B", line);
        row("zh no colon", "答案是B", 4, "B", line);
        row("zh space", "答案是 D。", 4, "D", line);
        row("zh 为", "因此，答案为：A", 4, "A", line);
        row("zh bracket", "答案是：（B）", 4, "B", line);
        row("zh full-width letter", "答案是：Ｃ", 4, "C", line);
        row("zh 选项", "答案是：选项B", 4, "B", line);
        row("zh 答案 colon", "答案：A\n", 4, "A", line);
        row("zh last line wins", "如果答案是A，那么……矛盾。\n答案是：D", 4, "D", line);
        row("zh letter then chinese", "答案是：B和解释", 4, "B", line);
        row("zh ideographic space", "答案是：\u3000B", 4, "B", line);
        // English answer lines.
        row("en answer colon", "Let's think.\nAnswer: B", 4, "B", line);
        row("en answer is", "So the answer is C because Bob lies.", 4, "C", line);
        row("en the answer is (B)", "The answer is (B).", 4, "B", line);
        row("en bold", "**Answer:** D", 4, "D", line);
        row("en final answer", "Final answer: A", 4, "A", line);
        row("en lower case", "answer: b.", 4, "B", line);
        row("en option word", "Answer: option C", 4, "C", line);
        row("en boxed", "Thus $\\boxed{B}$", 4, "B", line);
        row("en answer then text", "Answer: Alice", 3, "C", line); // options below: Carol, Bob, Alice
        // Lone letters and option text.
        row("lone", "B", 4, "B", lone);
        row("lone leading space", " C\n", 4, "C", lone);
        row("lone parenthesised", "(A)", 4, "A", lone);
        row("lone with period", "D.", 4, "D", lone);
        row("lone bold", "**B**", 4, "B", lone);
        row("lone lower", "c", 4, "C", lone);
        row("lone last line", "Alice is a knight.\nBob is a knave.\nB", 4, "B", lone);
        row("lone first line", "A\nBecause the first statement holds.", 4, "A", lone);
        row("letter with its text", "C. Alice", 3, "C", lone);
        row("option text", "Bob", 3, "B", text);
        row("option text punctuated", "Bob.", 3, "B", text);
        row("option text last line", "I considered everyone.\nalice", 3, "C", text);
        // Nothing to extract, with the reason.
        row("empty", "   \n", 4, "", none, "empty");
        row("prose", "I am not sure which one is right.", 4, "", none, "no answer line");
        row("out of range zh", "答案是：E", 4, "", none, "'E', not one of the options A–D");
        row("out of range lone", "F", 4, "", none, "'F', not one of the options A–D");
        row("answer is prose", "The answer is a person who lies.", 4, "", none, "names no option");
        row("answer I think", "Answer: I think so", 4, "", none, "names no option");
        row("answer unclear zh", "答案是：无法确定", 4, "", none, "names no option");
        row("letter inside a word", "Because Bob lies, Alice tells the truth.", 4, "", none,
            "no answer line");
        row("answers is not a marker", "All answers: B and C are wrong", 4, "", none, "no answer line");
        row("letter with another text", "A. Bob", 3, "", none, "no answer line");
    }

    void extract()
    {
        QFETCH(QString, text);
        QFETCH(int, optionCount);
        QFETCH(QString, letter);
        QFETCH(Method, method);
        QFETCH(QString, reasonPart);
        std::vector<std::string> options = {"Carol", "Bob", "Alice", "Dave"};
        options.resize(size_t(optionCount));
        const wb::ExtractedAnswer a = wb::extractAnswer(text.toStdString(), options);
        WB_COMPARE_STR(a.letter, letter.toStdString());
        QCOMPARE(wb::extractMethodName(a.method), wb::extractMethodName(method));
        if (letter.isEmpty()) {
            QVERIFY2(a.reason.find(reasonPart.toStdString()) != std::string::npos, a.reason.c_str());
            QVERIFY(!a.ok());
        } else {
            QVERIFY(a.reason.empty());
        }
    }

    void extractRefusesAmbiguousText()
    {
        const auto a = wb::extractAnswer("答案是：小明", {"小明", "小红", "小明"});
        QVERIFY(!a.ok());
        QVERIFY2(a.reason.find("A, C") != std::string::npos, a.reason.c_str());
        QVERIFY(!wb::extractAnswer("B", {}).ok());
    }

    void pickChoiceFollowsLmEval()
    {
        // acc: largest sum; acc_norm: largest sum per character; ties go to the first.
        const auto c = wb::pickChoice({{-3.0, 2, 3, false}, {-4.0, 3, 12, false}, {-3.0, 1, 3, false}});
        QCOMPARE(c.best, size_t(0));
        QCOMPARE(c.bestNorm, size_t(1));
        QVERIFY_THROWS_EXCEPTION(wb::Error, wb::pickChoice({}));
    }

    void promptsAreTrainingsPrompts()
    {
        const auto tok = wb::Tokenizer::load(m_model);
        const auto chat = wb::ChatTemplate::fromModelDir(m_model);
        QVERIFY(chat.has_value());
        const auto recs = problems(3, "C", 1);
        for (const wb::ChatTemplate *c : {static_cast<const wb::ChatTemplate *>(nullptr), &*chat}) {
            const wb::EvalQuestions qs =
                wb::buildEvalQuestions(recs, *tok, c, kTemplate, wb::ScoreTarget::Letter);
            QCOMPARE(qs.questions.size(), size_t(6));
            wb::SftOptions so;
            so.templateBody = kTemplate;
            so.chat = c;
            const wb::SftExamples train = wb::buildSftExamples(wb::DatasetFormat::Logic, recs, *tok, so);
            QCOMPARE(train.examples.size(), qs.questions.size());
            for (size_t i = 0; i < qs.questions.size(); ++i) {
                const wb::EvalQuestion &q = qs.questions[i];
                // The training example is the prompt, then the answer option's continuation
                // (then EOS when not in a chat template, whose turn end is part of the response).
                std::vector<int32_t> ids = q.choice.prompt;
                const auto &cont = q.choice.continuations[2];
                ids.insert(ids.end(), cont.begin(), cont.end());
                if (!c)
                    ids.push_back(tok->eosIds().front());
                QVERIFY(ids == train.examples[i].ids);
                QVERIFY(q.prompt == q.choice.prompt);
                QCOMPARE(q.expected, std::string("C"));
                if (!c)
                    QVERIFY(cont == tok->encode("C", false));
            }
        }
        // Text targets continue with the option's text.
        const auto text = wb::buildEvalQuestions(recs, *tok, nullptr, kTemplate, wb::ScoreTarget::Text);
        QCOMPARE(text.questions[0].choice.texts[1], text.questions[0].options[1]);
        // Unanswered sub-questions are counted, not scored; non-logic rows are refused by name.
        auto unanswered = recs;
        unanswered[0].data["questions"][1]["answer"] = "";
        QCOMPARE(wb::buildEvalQuestions(unanswered, *tok, nullptr, kTemplate, wb::ScoreTarget::Letter)
                     .unanswered,
                 size_t(1));
        wb::DatasetRecord alpaca;
        alpaca.row = 7;
        alpaca.data = {{"instruction", "x"}, {"input", ""}, {"output", "y"}};
        try {
            wb::buildEvalQuestions({alpaca}, *tok, nullptr, kTemplate, wb::ScoreTarget::Letter);
            QFAIL("an alpaca row was accepted");
        } catch (const wb::Error &e) {
            QVERIFY2(std::string(e.what()).find("row 7") != std::string::npos, e.what());
        }
    }

    void loglikEqualsLogitsComputation()
    {
        const auto tok = wb::Tokenizer::load(m_model);
        const auto recs = problems(2, "A", 3);
        for (const auto target : {wb::ScoreTarget::Letter, wb::ScoreTarget::Text}) {
            const auto qs = wb::buildEvalQuestions(recs, *tok, nullptr, kTemplate, target);
            std::vector<wb::ChoiceRequest> reqs;
            for (const auto &q : qs.questions)
                reqs.push_back(q.choice);
            auto model = wb::CausalLM::load(m_model);
            const auto scores = wb::scoreChoices(*model, reqs, 3);
            QCOMPARE(scores.size(), reqs.size());
            const int64_t V = model->vocabSize();
            for (size_t i = 0; i < reqs.size(); ++i) {
                std::vector<double> direct;
                for (size_t k = 0; k < reqs[i].continuations.size(); ++k) {
                    std::vector<int32_t> ids = reqs[i].prompt;
                    const auto &cont = reqs[i].continuations[k];
                    ids.insert(ids.end(), cont.begin(), cont.end());
                    const auto logits = model->logits(ids);
                    double lp = 0;
                    for (size_t t = reqs[i].prompt.size(); t < ids.size(); ++t)
                        lp += logSoftmaxAt(logits.data() + (t - 1) * size_t(V), V, ids[t]);
                    const auto &s = scores[i].options[k];
                    QVERIFY2(std::fabs(s.logProb - lp) < 1e-4,
                             qPrintable(QString("%1 vs %2").arg(s.logProb).arg(lp)));
                    QCOMPARE(s.tokens, int(cont.size()));
                    QCOMPARE(s.chars, wb::utf8Length(reqs[i].texts[k]));
                    direct.push_back(lp);
                }
                const size_t best = size_t(std::max_element(direct.begin(), direct.end()) - direct.begin());
                QCOMPARE(scores[i].best, best);
            }
        }
    }

    void adapterTrainedOnOneLetterWins()
    {
        // Train a LoRA adapter on problems whose answer is always B ...
        const fs::path data = wbtest::path(m_tmp) / "always-b.jsonl";
        wb::writeFileAtomic(data, wb::toJsonl(problems(24, "B", 0)));
        wb::TrainConfig c;
        c.modelDir = m_model.string();
        c.datasetFile = data.string();
        c.templateBody = kTemplate;
        c.maxLength = 256;
        c.lora.r = 8;
        c.lora.alpha = 16;
        c.lora.targetModules = wb::parseTargetModules("all-linear");
        c.learningRate = 5e-3;
        c.schedule = "constant";
        c.batchSize = 4;
        c.maxSteps = 16;
        c.evalFraction = 0;
        c.threads = 1;
        c.outputDir = (wbtest::path(m_tmp) / "run-b").string();
        const wb::TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(wb::TrainResult::Stop::Completed));

        // ... then score held-out problems (other words) whose answer is B as well.
        const auto heldOut = problems(10, "B", 5);
        const wb::AccuracyReport base = wb::evaluateAccuracy(heldOut, options());
        const wb::AccuracyReport tuned = wb::evaluateAccuracy(heldOut, options(r.output.string()));
        QCOMPARE(base.questions, size_t(20));
        QCOMPARE(tuned.questions, size_t(20));
        QVERIFY2(tuned.accuracy() >= 0.95 && tuned.accuracy() > base.accuracy() + 0.3,
                 qPrintable(QString("base %1, adapter %2").arg(base.accuracy()).arg(tuned.accuracy())));
        size_t correct = 0;
        for (const auto &q : tuned.results) {
            QCOMPARE(q.logProbs.size(), size_t(4));
            correct += q.predicted == "B";
        }
        QCOMPARE(correct, tuned.correct);

        // One load serves both (as evaluateRun scores a LoRA run): the adapter switched off
        // gives the base model's scores, switched on the adapter's (within float rounding: a
        // model loaded without an adapter multiplies its fused q|k|v and gate|up weights).
        {
            wb::LoadOptions lo;
            lo.threads = 1;
            lo.adapterDir = r.output.string();
            auto model = wb::CausalLM::load(m_model, lo);
            model->setAdapterEnabled(false);
            const wb::AccuracyReport off = wb::evaluateAccuracy(heldOut, options(), *model);
            model->setAdapterEnabled(true);
            const wb::AccuracyReport on =
                wb::evaluateAccuracy(heldOut, options(r.output.string()), *model);
            QCOMPARE(off.correct, base.correct);
            QCOMPARE(on.correct, tuned.correct);
            for (size_t i = 0; i < base.results.size(); ++i) {
                for (size_t o = 0; o < base.results[i].logProbs.size(); ++o) {
                    QVERIFY(std::abs(off.results[i].logProbs[o] - base.results[i].logProbs[o]) < 1e-4);
                    QVERIFY(std::abs(on.results[i].logProbs[o] - tuned.results[i].logProbs[o]) < 1e-4);
                }
            }
        }

        // Greedy generation answers B too, and extraction finds it.
        wb::AccuracyOptions g = options(r.output.string());
        g.method = wb::EvalMethod::Generate;
        g.maxNewTokens = 4;
        const wb::AccuracyReport gen = wb::evaluateAccuracy(heldOut, g);
        QCOMPARE(gen.questions, size_t(20));
        QVERIFY2(gen.accuracy() >= 0.95,
                 qPrintable(QString("%1, first output '%2' (%3)")
                                .arg(gen.accuracy())
                                .arg(QString::fromStdString(gen.results[0].output))
                                .arg(QString::fromStdString(gen.results[0].extracted.reason))));
        QCOMPARE(gen.unextracted + gen.correct <= gen.questions, true);
        QCOMPARE(gen.toJson()["unextracted"].get<size_t>(), gen.unextracted);
    }

    void selectRecordsMatchesTheTrainerSplit()
    {
        const auto recs = problems(30, "A", 0);
        const auto split = wb::splitDataset(recs, 0.2, 42);
        const auto eval = wb::selectRecords(recs, wb::DatasetSide::Eval, 0.2, 42, 0);
        QCOMPARE(eval.size(), split.eval.size());
        for (size_t i = 0; i < eval.size(); ++i)
            QCOMPARE(eval[i].row, split.eval[i].row);
        QCOMPARE(wb::selectRecords(recs, wb::DatasetSide::Train, 0.2, 42, 5).size(), size_t(5));
        QCOMPARE(wb::selectRecords(recs, wb::DatasetSide::All, 0.2, 42, 0).size(), size_t(30));
    }

    void cancelStopsWithCancelled()
    {
        wb::EvalCallbacks cb;
        cb.isCancelled = [] { return true; };
        try {
            wb::evaluateAccuracy(problems(4, "A", 0), options(), cb);
            QFAIL("not cancelled");
        } catch (const wb::Error &e) {
            QCOMPARE(int(e.code()), int(wb::ErrorCode::Cancelled));
        }
    }

    void jobReportsProgressAndResult()
    {
        wb::JobSpec spec = wb::makeAccuracyJob(problems(3, "D", 2), options(), "eval");
        QCOMPARE(spec.kind, std::string("eval.accuracy"));
        int64_t lastCount = -1;
        double accuracy = -1;
        wb::JobContext ctx(
            1, std::make_shared<std::atomic<bool>>(false),
            [&](const wb::JobProgress &p) {
                if (p.counters.count("questions"))
                    lastCount = p.counters.at("questions");
            },
            [&](const std::string &name, int64_t, double v) {
                if (name == "accuracy")
                    accuracy = v;
            });
        const json result = spec.work(ctx);
        QCOMPARE(result["questions"].get<size_t>(), size_t(6));
        QCOMPARE(result["results"].size(), size_t(6));
        QCOMPARE(lastCount, int64_t(6));
        QCOMPARE(accuracy, result["accuracy"].get<double>());
    }
};

QTEST_GUILESS_MAIN(TestEval)
#include "tst_eval.moc"
