// core/train: SFT examples, schedules, LoRA against peft's numbers (committed fixtures made by
// tests/fixtures/make_peft_reference.py), step 0 equals the base model, falling loss, full
// fine-tuning, accumulation and checkpointing equivalences, NaN stop, cancel + resume, and a
// run killed with SIGKILL that resumes to the same loss curve.

#include "common/error.h"
#include "common/files.h"
#include "data/dataset.h"
#include "formats/gguf.h"
#include "formats/gguf_export.h"
#include "formats/merge.h"
#include "formats/peft.h"
#include "formats/random_model.h"
#include "formats/safetensors.h"
#include "model/causal_lm.h"
#include "prompt/prompt_builder.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"
#include "train/run_accuracy.h"
#include "train/sft.h"
#include "train/train_data.h"
#include "train/trainer.h"

#include "test_util.h"
#include "tiny_model.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>

namespace fs = std::filesystem;
using nlohmann::json;
using wb::TrainConfig;
using wb::TrainResult;

namespace {

std::vector<float> floatsOf(const wb::TensorView &v)
{
    std::vector<float> out(size_t(v.numel()));
    std::memcpy(out.data(), v.data, out.size() * sizeof(float));
    return out;
}

std::optional<wb::Error> errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const wb::Error &e) {
        return e;
    }
    return std::nullopt;
}

std::vector<double> lossesOf(const fs::path &run)
{
    std::vector<double> out;
    for (const auto &p : wb::readRun(run).points)
        if (p.loss)
            out.push_back(*p.loss);
    return out;
}

} // namespace

class TestTrain : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_model;   // tiny random Llama + the qwen2-bpe fixture tokenizer
    fs::path m_dataset; // alpaca rows: short instructions with learnable answers

    TrainConfig baseConfig(const std::string &name)
    {
        TrainConfig c;
        c.modelDir = m_model.string();
        c.datasetFile = m_dataset.string();
        c.templateBody = "Instruction: {{instruction}}\nAnswer: ";
        c.maxLength = 64;
        c.method = "lora";
        c.lora.r = 8;
        c.lora.alpha = 16;
        c.lora.targetModules = wb::parseTargetModules("all-linear");
        c.learningRate = 5e-3;
        c.schedule = "constant";
        c.batchSize = 4;
        c.maxSteps = 12;
        c.evalFraction = 0.1;
        c.threads = 1;
        c.seed = 3;
        c.outputDir = (wbtest::path(m_tmp) / name).string();
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_model = wbtest::path(m_tmp) / "tiny";
        wbtest::writeTinyModel(m_model, 7);
        // Answers are a function of the instruction the model can learn quickly.
        const std::vector<std::string> words = {"red", "blue", "green", "cat", "dog", "sun",
                                                "moon", "tree", "fish", "bird", "rock", "rain"};
        std::string jsonl;
        for (size_t i = 0; i < 48; ++i) {
            const std::string w = words[i % words.size()];
            const std::string op = i % 2 ? "repeat" : "echo";
            jsonl += json({{"instruction", op + " " + w},
                           {"input", ""},
                           {"output", i % 2 ? w + " " + w : w}})
                         .dump() +
                     "\n";
        }
        m_dataset = wbtest::path(m_tmp) / "words.jsonl";
        wb::writeFileAtomic(m_dataset, jsonl);
    }

    void sftExamplesMaskTheResponse()
    {
        const auto tok = wb::Tokenizer::load(m_model);
        std::vector<wb::DatasetRecord> recs(1);
        recs[0].row = 1;
        recs[0].data = {{"id", "p1"},
                        {"problem", "A is B."},
                        {"questions",
                         {{{"question", "Q1?"}, {"options", {"x", "y"}}, {"answer", "B"}},
                          {{"question", "Q2?"},
                           {"options", {"x", "y", "z"}},
                           {"answer", "C"},
                           {"rationale", "Because z."}}}}};
        wb::SftOptions o;
        o.templateBody = "{{problem}} {{question}}\n";
        o.maxLength = 256;
        const wb::SftExamples ex = wb::buildSftExamples(wb::DatasetFormat::Logic, recs, *tok, o);
        QCOMPARE(ex.examples.size(), size_t(2)); // one per sub-question
        const auto &e0 = ex.examples[0];
        const auto prompt = tok->encode("A is B. Q1?\n", true);
        const auto answer = tok->encode("B", false);
        QCOMPARE(e0.ids.size(), prompt.size() + answer.size() + 1); // + EOS
        for (size_t i = 0; i < prompt.size(); ++i)
            QCOMPARE(int(e0.trainMask[i]), 0);
        for (size_t i = prompt.size(); i < e0.ids.size(); ++i)
            QCOMPARE(int(e0.trainMask[i]), 1);
        QCOMPARE(e0.ids.back(), tok->eosIds().front());
        // The rationale is the response when present, with the answer line appended.
        const std::string resp = tok->decode(std::vector<int32_t>(
            ex.examples[1].ids.begin() + long(tok->encode("A is B. Q2?\n", true).size()),
            ex.examples[1].ids.end() - 1));
        WB_COMPARE_STR(resp, "Because z.\n答案是：C");

        // Truncation is counted; an example with no target left is dropped.
        o.maxLength = int(prompt.size()) - 1;
        const wb::SftExamples cut = wb::buildSftExamples(wb::DatasetFormat::Logic, recs, *tok, o);
        QCOMPARE(cut.truncated + cut.dropped >= 2, true);
        QCOMPARE(cut.examples.size(), size_t(0));

        // The model's chat template: the assistant turn (with its end marker) is the target.
        const auto chat = wb::ChatTemplate::fromModelDir(m_model);
        QVERIFY(chat.has_value());
        o.maxLength = 512;
        o.chat = &*chat;
        const wb::SftExamples c = wb::buildSftExamples(wb::DatasetFormat::Logic, recs, *tok, o);
        const auto &ce = c.examples[0];
        std::vector<int32_t> target;
        for (size_t i = 0; i < ce.ids.size(); ++i)
            if (ce.trainMask[i])
                target.push_back(ce.ids[i]);
        WB_COMPARE_STR(tok->decode(target), "B<|im_end|>\n");

        // Packing keeps every token and mask.
        const auto packed = wb::packExamples(ex.examples, 1000);
        QCOMPARE(packed.size(), size_t(1));
        QCOMPARE(packed[0].ids.size(), ex.examples[0].ids.size() + ex.examples[1].ids.size());
    }

    void configRoundTripAndValidation()
    {
        TrainConfig c = baseConfig("cfg");
        c.lora.rslora = true;
        c.gradAccum = 3;
        const TrainConfig back = TrainConfig::fromJson(c.toJson());
        WB_COMPARE_STR(back.toJson().dump(), c.toJson().dump());
        c.lora.r = 0;
        auto e = errorOf([&] { c.validate(); });
        QVERIFY(e && std::string(e->what()).find("rank") != std::string::npos);
        auto bad = c.toJson();
        bad["batch_size"] = "four";
        e = errorOf([&] { (void)TrainConfig::fromJson(bad, "run.json"); });
        QVERIFY(e && std::string(e->what()).find("batch_size") != std::string::npos);
        QVERIFY(errorOf([] { (void)wb::parseTargetModules("q,attn"); }).has_value());
    }

    void modelSuggestedSettings()
    {
        const TrainConfig c = baseConfig("suggest");
        const fs::path dir = wbtest::path(m_tmp) / "suggesting-model";
        fs::create_directories(dir);
        QVERIFY(!wb::suggestedTraining(dir).has_value());
        // Hyperparameters are taken, data and output are not; lora keys merge into the config's.
        wb::writeFileAtomic(dir / "suggested_training.json",
                      R"({"learning_rate": 0.002, "epochs": 3, "batch_size": 8,
                          "lora": {"r": 16, "target_modules": "all-linear"},
                          "dataset_file": "/elsewhere.jsonl", "output_dir": "/tmp/x"})");
        const auto s = wb::suggestedTraining(dir);
        QVERIFY(s.has_value());
        QVERIFY(!s->contains("dataset_file") && !s->contains("output_dir"));
        const TrainConfig t = wb::withSettings(c, *s);
        QCOMPARE(t.learningRate, 0.002);
        QCOMPARE(t.epochs, 3);
        QCOMPARE(t.batchSize, 8);
        QCOMPARE(t.lora.r, 16);
        QCOMPARE(t.lora.alpha, c.lora.alpha);
        QCOMPARE(t.lora.targetModules.size(), size_t(7));
        WB_COMPARE_STR(t.datasetFile, c.datasetFile);
        WB_COMPARE_STR(t.outputDir, c.outputDir);
        WB_COMPARE_STR(t.modelDir, c.modelDir);
        // A broken file is reported with its name and the key.
        wb::writeFileAtomic(dir / "suggested_training.json", R"({"epochs": "three"})");
        auto e = errorOf([&] { (void)wb::suggestedTraining(dir); });
        QVERIFY(e && std::string(e->what()).find("suggested_training.json") != std::string::npos &&
                std::string(e->what()).find("epochs") != std::string::npos);
        wb::writeFileAtomic(dir / "suggested_training.json", "[1, 2]");
        e = errorOf([&] { (void)wb::suggestedTraining(dir); });
        QVERIFY(e && std::string(e->what()).find("suggested_training.json") != std::string::npos);
        // The shipped demo model suggests settings that make a valid LoRA run.
        const auto demo =
            wb::suggestedTraining(wbtest::referenceDir() / "../../../resources/demo-model");
        QVERIFY(demo.has_value());
        const TrainConfig d = wb::withSettings(c, *demo);
        WB_COMPARE_STR(d.method, std::string("lora"));
        d.validate();
    }

    void planNeedsNoRunFolderAndCountsTruncation()
    {
        TrainConfig c = baseConfig("plan");
        c.outputDir.clear(); // a plan writes nothing
        c.evalFraction = 0;
        QVERIFY(errorOf([&] { c.validate(); }).has_value());
        // The shortest length at which some "repeat" answers are cut but every example keeps a
        // target: the note counts the truncated ones against all 48 rendered examples.
        const auto tok = wb::Tokenizer::load(m_model);
        const wb::ParsedDataset parsed = wb::parseDatasetFile(m_dataset.string());
        wb::SftOptions o;
        o.templateBody = c.templateBody;
        size_t truncated = 0;
        for (int len = 8; len < 64 && truncated == 0; ++len) {
            o.maxLength = len;
            const auto ex = wb::buildSftExamples(parsed.format, parsed.records, *tok, o);
            if (!ex.examples.empty() && ex.truncated > 0) {
                QCOMPARE(ex.rendered, size_t(48));
                truncated = ex.truncated;
                c.maxLength = len;
            }
        }
        QVERIFY(truncated > 0);
        const wb::TrainPlan plan = wb::planTraining(c);
        QCOMPARE(plan.truncated, truncated);
        const std::string expect = std::to_string(truncated) + " of 48 examples truncated";
        bool found = false;
        for (const auto &n : plan.notes)
            found = found || n.find(expect) != std::string::npos;
        QVERIFY2(found, expect.c_str());
    }

    void noEvalSplitRunsWithoutEvalLoss()
    {
        TrainConfig c = baseConfig("no-eval");
        c.evalFraction = 0;
        c.evalEvery = 2;
        c.maxSteps = 4;
        const wb::TrainPlan plan = wb::planTraining(c);
        QCOMPARE(plan.evalExamples, size_t(0));
        QCOMPARE(plan.trainExamples, size_t(48));
        const TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(TrainResult::Stop::Completed));
        const auto info = wb::readRun(c.outputDir);
        QCOMPARE(lossesOf(c.outputDir).size(), size_t(4));
        for (const auto &p : info.points)
            QVERIFY(!p.evalLoss);
        // Nothing was held out, so there is nothing to score the run on: said, not guessed.
        const auto e = errorOf([&] { wb::evaluateRun(c.outputDir, wb::EvalMethod::Loglik, 0); });
        QVERIFY(e && std::string(e->what()).find("held out no problems") != std::string::npos);
        QVERIFY(!wb::readRun(c.outputDir).accuracy);
    }

    void resumeRefusesAChangedDataset()
    {
        TrainConfig c = baseConfig("changed-data");
        const fs::path data = wbtest::path(m_tmp) / "changing.jsonl";
        fs::copy_file(m_dataset, data);
        c.datasetFile = data.string();
        c.evalFraction = 0;
        int64_t seen = 0;
        wb::TrainCallbacks cb;
        cb.onPoint = [&](const wb::TrainPoint &p) { seen = p.step; };
        cb.isCancelled = [&] { return seen >= 3; };
        QCOMPARE(int(wb::runTraining(c, cb).stop), int(TrainResult::Stop::Cancelled));
        // Half the rows go away: resuming would silently train on other data.
        const std::string text = wb::readFile(data);
        size_t cut = 0;
        for (int i = 0; i < 24; ++i)
            cut = text.find('\n', cut) + 1;
        wb::writeFileAtomic(data, text.substr(0, cut));
        const auto e = errorOf([&] { wb::resumeTraining(c.outputDir, {}); });
        QVERIFY(e.has_value());
        QCOMPARE(int(e->code()), int(wb::ErrorCode::Conflict));
        const std::string what = e->what();
        QVERIFY2(what.find("48 training examples") != std::string::npos &&
                     what.find("24") != std::string::npos,
                 what.c_str());
        // The checkpoint is still there to resume once the data is back.
        fs::copy_file(m_dataset, data, fs::copy_options::overwrite_existing);
        QCOMPARE(int(wb::resumeTraining(c.outputDir, {}).stop), int(TrainResult::Stop::Completed));
    }

    void schedules()
    {
        TrainConfig c = baseConfig("sched");
        c.learningRate = 1.0;
        c.warmupSteps = 4;
        c.schedule = "cosine";
        QVERIFY(wb::learningRateAt(c, 0, 104) < 0.25);
        QCOMPARE(wb::learningRateAt(c, 4, 104), 1.0);
        QVERIFY(std::fabs(wb::learningRateAt(c, 54, 104) - 0.5) < 1e-9);
        QVERIFY(wb::learningRateAt(c, 103, 104) < 0.01);
        c.schedule = "linear";
        QVERIFY(std::fabs(wb::learningRateAt(c, 54, 104) - 0.5) < 1e-9);
        c.schedule = "constant";
        QCOMPARE(wb::learningRateAt(c, 100, 104), 1.0);
    }

    void adapterMatchesPeft_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"llama-gqa-all-linear", "qwen2-qv-rslora", "llama-gqa-gaussian-layer1"})
            QTest::newRow(n) << QString(n);
    }
    void adapterMatchesPeft()
    {
        QFETCH(QString, name);
        const fs::path dir = wbtest::referenceDir() / "peft" / name.toStdString();
        std::string base = wb::readFile(dir / "base.txt");
        base.erase(base.find_last_not_of("\n") + 1);
        const auto ref = wb::SafetensorsFile::open(dir / "reference.safetensors");
        std::vector<int32_t> ids;
        const auto &idv = ref->tensor("ids");
        for (int64_t i = 0; i < idv.numel(); ++i)
            ids.push_back(int32_t(reinterpret_cast<const int64_t *>(idv.data)[i]));
        wb::LoadOptions o;
        o.adapterDir = dir.string();
        auto m = wb::CausalLM::load(wbtest::referenceDir() / "models" / base, o);
        const auto logits = m->logits(ids);
        QVERIFY2(wbtest::maxAbsDiff(logits, floatsOf(ref->tensor("logits"))) < 1e-4,
                 qPrintable(QString::number(wbtest::maxAbsDiff(logits, floatsOf(ref->tensor("logits"))))));
        // And the adapter really changes the output.
        auto plain = wb::CausalLM::load(wbtest::referenceDir() / "models" / base);
        const auto plainLogits = plain->logits(ids);
        QVERIFY(wbtest::maxAbsDiff(plainLogits, logits) > 1e-3);
        // Switched off, the adapter leaves the base model's logits; on again, peft's.
        QVERIFY(m->hasAdapter());
        QVERIFY(!plain->hasAdapter());
        // (Within float rounding: the plain model multiplies fused q|k|v and gate|up weights.)
        m->setAdapterEnabled(false);
        QVERIFY(wbtest::maxAbsDiff(m->logits(ids), plainLogits) < 1e-5);
        m->setAdapterEnabled(true);
        QCOMPARE(wbtest::maxAbsDiff(m->logits(ids), logits), 0.0);
    }

    void adapterErrorsNameTheProblem()
    {
        // An adapter made for another base: the shapes do not fit.
        wb::LoadOptions o;
        o.adapterDir = (wbtest::referenceDir() / "peft" / "llama-gqa-all-linear").string();
        auto e = errorOf([&] { (void)wb::CausalLM::load(wbtest::referenceDir() / "models" / "mistral-headdim", o); });
        QVERIFY(e);
        QVERIFY2(std::string(e->what()).find("another model") != std::string::npos, e->what());
        // DoRA is refused with the file named.
        const fs::path dora = wbtest::path(m_tmp) / "dora";
        fs::create_directories(dora);
        auto cfg = json::parse(wb::readFile(wbtest::referenceDir() / "peft" / "qwen2-qv-rslora" / "adapter_config.json"));
        cfg["use_dora"] = true;
        wb::writeFileAtomic(dora / "adapter_config.json", cfg.dump());
        e = errorOf([&] { (void)wb::readAdapterConfig(dora); });
        QVERIFY(e && std::string(e->what()).find("DoRA") != std::string::npos &&
                std::string(e->what()).find("adapter_config.json") != std::string::npos);
    }

    void stepZeroEqualsBaseModel()
    {
        TrainConfig c = baseConfig("step0");
        c.maxSteps = 1;
        c.lora.dropout = 0;
        const TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(TrainResult::Stop::Completed));
        const auto points = wb::readRun(c.outputDir).points;
        QCOMPARE(points.size(), size_t(1));
        // The first step's loss is measured before any update: with B = 0 it is the base
        // model's mean token loss over that step's examples.
        const wb::TrainData data = wb::prepareTrainData(c);
        const auto idx = wb::stepExamples(data.train.size(), c, 0);
        auto base = wb::CausalLM::load(m_model);
        const int64_t V = base->vocabSize();
        double sum = 0;
        int64_t n = 0;
        for (size_t i : idx) {
            const auto &ex = data.train[i];
            const auto logits = base->logits(ex.ids);
            for (size_t t = 1; t < ex.ids.size(); ++t) {
                if (!ex.trainMask[t])
                    continue;
                const float *row = logits.data() + (t - 1) * size_t(V);
                double mx = row[0];
                for (int64_t v = 1; v < V; ++v)
                    mx = std::max(mx, double(row[v]));
                double z = 0;
                for (int64_t v = 0; v < V; ++v)
                    z += std::exp(double(row[v]) - mx);
                sum += -(double(row[ex.ids[t]]) - mx - std::log(z));
                ++n;
            }
        }
        QVERIFY2(std::fabs(*points[0].loss - sum / double(n)) < 1e-4,
                 qPrintable(QString("%1 vs %2").arg(*points[0].loss).arg(sum / double(n))));
    }

    void lossFallsAndAdapterLoads()
    {
        TrainConfig c = baseConfig("falls");
        c.maxSteps = 40;
        c.evalEvery = 10;
        const TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(TrainResult::Stop::Completed));
        const auto losses = lossesOf(c.outputDir);
        QCOMPARE(losses.size(), size_t(40));
        double last = 0;
        for (size_t i = 35; i < 40; ++i)
            last += losses[i] / 5;
        QVERIFY2(last < 0.5 * losses[0], qPrintable(QString("%1 -> %2").arg(losses[0]).arg(last)));
        const auto run = wb::readRun(c.outputDir);
        int evals = 0;
        for (const auto &p : run.points)
            evals += p.evalLoss ? 1 : 0;
        QCOMPARE(evals, 4);
        QVERIFY(run.finished);
        // The saved adapter is a PEFT folder that loads onto the base.
        const auto cfg = wb::readAdapterConfig(r.output);
        QCOMPARE(cfg.r, 8);
        wb::LoadOptions o;
        o.adapterDir = r.output.string();
        auto tuned = wb::CausalLM::load(m_model, o);
        auto base = wb::CausalLM::load(m_model);
        const std::vector<int32_t> ids = {5, 6, 7, 8};
        QVERIFY(wbtest::maxAbsDiff(tuned->logits(ids), base->logits(ids)) > 1e-3);
    }

    void mergedEqualsUnmerged_data() { adapterMatchesPeft_data(); }
    void mergedEqualsUnmerged()
    {
        // peft's adapters merged by llmwb's merge: logits of the plain folder equal base +
        // adapter (and peft's own merge_and_unload numbers).
        QFETCH(QString, name);
        const fs::path dir = wbtest::referenceDir() / "peft" / name.toStdString();
        std::string base = wb::readFile(dir / "base.txt");
        base.erase(base.find_last_not_of("\n") + 1);
        const fs::path out = wbtest::path(m_tmp) / ("merged-" + name.toStdString());
        wb::mergeAdapter(wbtest::referenceDir() / "models" / base, dir, out);
        const auto ref = wb::SafetensorsFile::open(dir / "reference.safetensors");
        std::vector<int32_t> ids;
        const auto &idv = ref->tensor("ids");
        for (int64_t i = 0; i < idv.numel(); ++i)
            ids.push_back(int32_t(reinterpret_cast<const int64_t *>(idv.data)[i]));
        auto merged = wb::CausalLM::load(out);
        wb::LoadOptions o;
        o.adapterDir = dir.string();
        auto unmerged = wb::CausalLM::load(wbtest::referenceDir() / "models" / base, o);
        const auto lm = merged->logits(ids);
        QVERIFY2(wbtest::maxAbsDiff(lm, unmerged->logits(ids)) < 1e-4,
                 qPrintable(QString::number(wbtest::maxAbsDiff(lm, unmerged->logits(ids)))));
        QVERIFY(wbtest::maxAbsDiff(lm, floatsOf(ref->tensor("merged_logits"))) < 1e-4);
    }

    void trainedAdapterExports()
    {
        // A run's adapter goes through merge and GGUF export as any PEFT adapter does.
        TrainConfig c = baseConfig("export");
        c.maxSteps = 4;
        const TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(TrainResult::Stop::Completed));
        const fs::path merged = wbtest::path(m_tmp) / "export-merged";
        wb::mergeAdapter(m_model, r.output, merged);
        wb::LoadOptions o;
        o.adapterDir = r.output.string();
        const std::vector<int32_t> ids = {3, 14, 15, 92, 65};
        QVERIFY(wbtest::maxAbsDiff(wb::CausalLM::load(merged)->logits(ids),
                           wb::CausalLM::load(m_model, o)->logits(ids)) < 1e-4);
        const fs::path gguf = wbtest::path(m_tmp) / "export.gguf";
        wb::GgufExportOptions go;
        go.type = wb::GgufExportType::Q8_0;
        wb::exportGguf(m_model, r.output, gguf, go);
        QVERIFY(fs::file_size(gguf) > 10000);
    }

    void fullFineTuneLastLayer()
    {
        TrainConfig c = baseConfig("full");
        c.method = "full";
        c.trainLastLayers = 1;
        c.learningRate = 1e-3;
        c.maxSteps = 15;
        const TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(TrainResult::Stop::Completed));
        const auto losses = lossesOf(c.outputDir);
        QVERIFY(losses.back() < losses.front());
        const auto out = wb::SafetensorsFile::open(r.output / "model.safetensors");
        const auto in = wb::SafetensorsFile::open(m_model / "model.safetensors");
        // Layer 0 is frozen, layer 1 trained.
        const std::string frozen = "model.layers.0.mlp.up_proj.weight";
        const std::string trained = "model.layers.1.mlp.up_proj.weight";
        QCOMPARE(wbtest::maxAbsDiff(floatsOf(out->tensor(frozen)), floatsOf(in->tensor(frozen))), 0.0);
        QVERIFY(wbtest::maxAbsDiff(floatsOf(out->tensor(trained)), floatsOf(in->tensor(trained))) > 1e-5);
        auto m = wb::CausalLM::load(r.output); // a plain HF folder
        QCOMPARE(m->vocabSize(), int64_t(703));
    }

    void accumulationEqualsLargerBatch()
    {
        TrainConfig a = baseConfig("accum-a");
        a.maxSteps = 3;
        a.evalFraction = 0;
        TrainConfig b = a;
        b.outputDir = (wbtest::path(m_tmp) / "accum-b").string();
        b.batchSize = 2;
        b.gradAccum = 2;
        wb::runTraining(a, {});
        wb::runTraining(b, {});
        const auto la = lossesOf(a.outputDir), lb = lossesOf(b.outputDir);
        QCOMPARE(la.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i)
            QVERIFY2(std::fabs(la[i] - lb[i]) < 1e-4, qPrintable(QString("%1 vs %2").arg(la[i]).arg(lb[i])));
    }

    void checkpointingRecomputesExactly()
    {
        TrainConfig a = baseConfig("ckpt-a");
        a.maxSteps = 3;
        a.lora.dropout = 0.2; // the recompute must draw the same dropout masks
        TrainConfig b = a;
        b.outputDir = (wbtest::path(m_tmp) / "ckpt-b").string();
        b.gradientCheckpointing = true;
        wb::runTraining(a, {});
        wb::runTraining(b, {});
        const auto la = lossesOf(a.outputDir), lb = lossesOf(b.outputDir);
        for (size_t i = 0; i < la.size(); ++i)
            QVERIFY2(std::fabs(la[i] - lb[i]) < 1e-5, qPrintable(QString("%1 vs %2").arg(la[i]).arg(lb[i])));
        const auto ga = wb::readRun(a.outputDir).points, gb = wb::readRun(b.outputDir).points;
        QVERIFY(std::fabs(*ga.back().gradNorm - *gb.back().gradNorm) < 1e-4);
    }

    void nonFiniteLossStopsWithLastGoodCheckpoint()
    {
        TrainConfig c = baseConfig("nan");
        c.saveEvery = 2;
        c.debugNanAtStep = 5;
        const TrainResult r = wb::runTraining(c, {});
        QCOMPARE(int(r.stop), int(TrainResult::Stop::NonFinite));
        QCOMPARE(r.steps, int64_t(4));
        WB_COMPARE_STR(r.lastCheckpoint.filename().string(), "step-000004");
        QVERIFY2(r.message.find("NaN") != std::string::npos &&
                     r.message.find("step-000004") != std::string::npos,
                 r.message.c_str());
        QVERIFY(!fs::exists(fs::path(c.outputDir) / "adapter"));
        // The kept checkpoint holds finite weights.
        const auto w = wb::SafetensorsFile::open(r.lastCheckpoint / "adapter_model.safetensors");
        for (const auto &t : w->tensors())
            for (float x : floatsOf(t))
                QVERIFY(std::isfinite(x));
    }

    void cancelKeepsACheckpointAndResumeFinishes()
    {
        TrainConfig c = baseConfig("cancel");
        int64_t seen = 0;
        wb::TrainCallbacks cb;
        cb.onPoint = [&](const wb::TrainPoint &p) { seen = p.step; };
        cb.isCancelled = [&] { return seen >= 5; };
        const TrainResult r = wb::runTraining(c, cb);
        QCOMPARE(int(r.stop), int(TrainResult::Stop::Cancelled));
        QCOMPARE(wb::readRun(c.outputDir).checkpointSteps, std::vector<int64_t>{5});
        const TrainResult done = wb::resumeTraining(c.outputDir, {});
        QCOMPARE(int(done.stop), int(TrainResult::Stop::Completed));
        QCOMPARE(done.steps, int64_t(12));
        // Same curve as a run that was never stopped.
        TrainConfig u = baseConfig("uncancelled");
        wb::runTraining(u, {});
        const auto lc = lossesOf(c.outputDir), lu = lossesOf(u.outputDir);
        QCOMPARE(lc.size(), lu.size());
        for (size_t i = 0; i < lc.size(); ++i)
            QVERIFY2(std::fabs(lc[i] - lu[i]) < 1e-5, qPrintable(QString("step %1: %2 vs %3").arg(i + 1).arg(lc[i]).arg(lu[i])));
    }

    void killedRunResumesToTheSameCurve()
    {
        const QString llmwb = qEnvironmentVariable("WB_LLMWB");
        QVERIFY(!llmwb.isEmpty());
        TrainConfig c = baseConfig("unused");
        c.maxSteps = 16;
        c.saveEvery = 3;
        c.lora.dropout = 0.1;
        const fs::path cfgFile = wbtest::path(m_tmp) / "kill.json";
        auto trainArgs = [&](const fs::path &out) {
            return QStringList{"--workspace", QString::fromStdString((wbtest::path(m_tmp) / "ws").string()),
                               "train", "--config", QString::fromStdString(cfgFile.string()),
                               "--out", QString::fromStdString(out.string()), "--jsonl"};
        };
        wb::writeFileAtomic(cfgFile, c.toJson().dump());
        const fs::path whole = wbtest::path(m_tmp) / "kill-whole", killed = wbtest::path(m_tmp) / "kill-killed";
        QProcess p;
        p.start(llmwb, trainArgs(whole));
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);

        QProcess k;
        k.start(llmwb, trainArgs(killed));
        QVERIFY(k.waitForStarted());
        int64_t step = 0;
        QByteArray buffer;
        while (step < 8) {
            QVERIFY2(k.waitForReadyRead(60000), "the training process printed nothing");
            buffer += k.readAllStandardOutput();
            int nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
                const auto line = buffer.left(nl).toStdString();
                buffer.remove(0, nl + 1);
                const auto j = json::parse(line, nullptr, false);
                if (j.is_object() && j.contains("step"))
                    step = j["step"].get<int64_t>();
            }
        }
        ::kill(pid_t(k.processId()), SIGKILL);
        k.waitForFinished(10000);
        const auto partial = wb::readRun(killed);
        QVERIFY(!partial.finished);
        QVERIFY(!partial.checkpointSteps.empty());
        QVERIFY(partial.checkpointSteps.back() >= 6);

        QProcess r;
        r.start(llmwb, {"--workspace", QString::fromStdString((wbtest::path(m_tmp) / "ws").string()),
                        "resume", QString::fromStdString(killed.string())});
        QVERIFY(r.waitForFinished(120000));
        QCOMPARE(r.exitCode(), 0);
        const auto lw = lossesOf(whole), lk = lossesOf(killed);
        QCOMPARE(lw.size(), size_t(16));
        QCOMPARE(lk.size(), size_t(16));
        for (size_t i = 0; i < lw.size(); ++i)
            QVERIFY2(std::fabs(lw[i] - lk[i]) < 1e-5,
                     qPrintable(QString("step %1: %2 vs %3").arg(i + 1).arg(lw[i]).arg(lk[i])));
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
