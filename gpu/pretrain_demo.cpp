// Pretrains a demo-model candidate from random weights with the workbench's own trainer, on
// freshly generated synthetic logic problems (core/data/demo_generator.h): the GPU counterpart
// of packaging/build-demo-model.sh's pretraining step, with hundreds of thousands of problems
// where 2 CPU cores can afford a few hundred.
//   wb_gpu_pretrain_demo TOKENIZER_DIR OUT_DIR [key=value ...]
// keys: problems, steps, batch, lr, warmup, seed, device, answers (text|letter), hidden, layers,
//       heads, kv_heads, intermediate, max_length, save_every, family (one puzzle family only),
//       text_families (comma-separated: these families answer with the option text whatever
//       `answers` says)
// Every prompt is the built-in logic-direct template's rendering of one sub-question. answers=
// letter trains towards the option letter; answers=text towards the correct option's text (a
// base model that would need a LoRA run to learn the letter format). OUT_DIR/run/model is the
// result. What the runs learned: gpu/RESULTS-h200-pretrain.txt.

#include "data/demo_generator.h"
#include "formats/random_model.h"
#include "prompt/prompt_builder.h"
#include "prompt/template.h"
#include "tokenizer/tokenizer.h"
#include "train/train_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string arg(const std::map<std::string, std::string> &a, const std::string &k,
                const std::string &def)
{
    auto it = a.find(k);
    return it == a.end() ? def : it->second;
}

// The examples of `records` (one per sub-question), made by the trainer's own buildSftExamples:
// the logic prompt and its letter, or (textAnswers) the same prompt as an Alpaca instruction
// with the correct option's text as the output.
std::vector<wb::SftExample> examplesOf(const std::vector<wb::DatasetRecord> &records,
                                       const wb::PromptTemplate &tpl, const std::string &tplBody,
                                       const wb::Tokenizer &tok, bool textAnswers, int maxLength)
{
    wb::SftOptions o;
    o.maxLength = maxLength;
    if (!textAnswers) {
        o.templateBody = tplBody;
        return wb::buildSftExamples(wb::DatasetFormat::Logic, records, tok, o).examples;
    }
    std::vector<wb::DatasetRecord> asText;
    for (const auto &r : records)
        for (const nlohmann::json &ctx : wb::templateContexts(wb::DatasetFormat::Logic, r))
            asText.push_back({asText.size() + 1,
                              {{"instruction", tpl.render(ctx)},
                               {"output", ctx.value("answer_text", "")}}});
    o.templateBody = "{{instruction}}";
    return wb::buildSftExamples(wb::DatasetFormat::Alpaca, asText, tok, o).examples;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s TOKENIZER_DIR OUT_DIR [key=value ...]\n", argv[0]);
        return 2;
    }
    try {
        std::map<std::string, std::string> a;
        for (int i = 3; i < argc; ++i) {
            const std::string s = argv[i];
            const size_t eq = s.find('=');
            if (eq == std::string::npos)
                throw std::runtime_error("expected key=value, got " + s);
            a[s.substr(0, eq)] = s.substr(eq + 1);
        }
        const fs::path tokDir = argv[1], out = argv[2];
        const size_t problems = std::stoul(arg(a, "problems", "100000"));
        const uint64_t seed = std::stoull(arg(a, "seed", "424242"));
        const bool textAnswers = arg(a, "answers", "text") == "text";
        const int maxLength = std::stoi(arg(a, "max_length", "448"));
        const std::string family = arg(a, "family", ""); // only this puzzle family
        std::vector<std::string> textFamilies;
        {
            const std::string list = arg(a, "text_families", "");
            for (size_t p = 0; p < list.size();) {
                const size_t comma = std::min(list.find(',', p), list.size());
                if (comma > p)
                    textFamilies.push_back(list.substr(p, comma - p));
                p = comma + 1;
            }
        }
        const auto isTextFamily = [&textFamilies](const wb::DatasetRecord &r) {
            return std::find(textFamilies.begin(), textFamilies.end(),
                             r.data["meta"]["family"].get<std::string>()) != textFamilies.end();
        };
        // The examples of `records`, each family in its answer format.
        const auto makeExamples = [&](const std::vector<wb::DatasetRecord> &records,
                                      const wb::PromptTemplate &tpl, const std::string &tplBody,
                                      const wb::Tokenizer &tok) {
            std::vector<wb::DatasetRecord> asText, asAnswers;
            for (const auto &r : records)
                (textAnswers || isTextFamily(r) ? asText : asAnswers).push_back(r);
            auto out = examplesOf(asText, tpl, tplBody, tok, true, maxLength);
            for (auto &e : examplesOf(asAnswers, tpl, tplBody, tok, false, maxLength))
                out.push_back(std::move(e));
            return out;
        };

        fs::create_directories(out);

        // The random model, with the tokenizer beside it.
        const fs::path init = out / "init";
        const auto tok = wb::Tokenizer::load(tokDir);
        wb::RandomModelSpec spec;
        spec.hidden = std::stoll(arg(a, "hidden", "256"));
        spec.layers = std::stoll(arg(a, "layers", "6"));
        spec.heads = std::stoll(arg(a, "heads", "4"));
        spec.kvHeads = std::stoll(arg(a, "kv_heads", "2"));
        spec.intermediate = std::stoll(arg(a, "intermediate", "640"));
        spec.vocab = tok->vocabSize();
        spec.seed = seed;
        const uint64_t params = wb::writeRandomModel(init, spec);
        for (const char *f : {"tokenizer.model", "tokenizer_config.json"})
            fs::copy_file(tokDir / f, init / f, fs::copy_options::overwrite_existing);

        // Generated problems, of one family when `family` is set.
        auto generate = [&family](const wb::DemoOptions &o) {
            std::vector<wb::DatasetRecord> records = wb::generateDemoProblems(o);
            if (!family.empty())
                std::erase_if(records, [&](const wb::DatasetRecord &r) {
                    return r.data["meta"]["family"] != family;
                });
            return records;
        };
        // Problems in parallel (one generator per thread, seeds apart), then examples.
        const unsigned threads = std::max(1u, std::min(16u, std::thread::hardware_concurrency()));
        std::vector<std::vector<wb::SftExample>> parts(threads);
        const std::string tplBody = [] {
            for (const auto &b : wb::builtinTemplates())
                if (b.name == "logic-direct")
                    return b.body;
            throw std::runtime_error("no logic-direct template");
        }();
        const auto tpl = wb::PromptTemplate::parse(tplBody);
        {
            std::vector<std::thread> pool;
            for (unsigned t = 0; t < threads; ++t)
                pool.emplace_back([&, t] {
                    wb::DemoOptions o;
                    o.problems = problems / threads;
                    o.seed = seed * 1000 + t;
                    o.mixedLanguages = true;
                    parts[t] = makeExamples(generate(o), tpl, tplBody, *tok);
                });
            for (auto &th : pool)
                th.join();
        }
        wb::TrainData data;
        for (auto &p : parts)
            for (auto &e : p)
                data.train.push_back(std::move(e));
        // A fixed held-out slice (other seeds) for the eval loss.
        {
            wb::DemoOptions o;
            o.problems = 300;
            o.seed = seed * 1000 + 999;
            o.mixedLanguages = true;
            data.eval = makeExamples(generate(o), tpl, tplBody, *tok);
        }
        int64_t tokens = 0;
        for (const auto &e : data.train)
            tokens += int64_t(e.ids.size());
        std::printf("model: %llu parameters; %zu train examples (%lld tokens), %zu eval\n",
                    static_cast<unsigned long long>(params), data.train.size(),
                    static_cast<long long>(tokens), data.eval.size());
        std::fflush(stdout);

        wb::TrainConfig c;
        c.modelDir = init.string();
        c.datasetName = "generated demo problems";
        c.templateName = "logic-direct";
        c.method = "full";
        c.maxLength = maxLength;
        c.learningRate = std::stod(arg(a, "lr", "1e-3"));
        c.weightDecay = 0.01;
        c.schedule = "cosine";
        c.warmupSteps = std::stoi(arg(a, "warmup", "200"));
        c.maxSteps = std::stoll(arg(a, "steps", "4000"));
        c.batchSize = std::stoi(arg(a, "batch", "64"));
        c.seed = seed;
        c.device = arg(a, "device", "cuda");
        c.dtype = wb::DType::F32;
        c.logEvery = 50;
        c.evalEvery = std::max<int64_t>(1, c.maxSteps / 10);
        c.saveEvery = std::stoi(arg(a, "save_every", "0"));
        c.keepCheckpoints = 1;
        c.outputDir = (out / "run").string();
        data.plan.trainExamples = data.train.size();
        data.plan.evalExamples = data.eval.size();
        data.plan.totalParameters = data.plan.trainableParameters = params;
        data.plan.stepsPerEpoch = int64_t(data.train.size()) / c.batchSize;
        data.plan.totalSteps = c.maxSteps;
        wb::TrainCallbacks cb;
        cb.onPoint = [](const wb::TrainPoint &p) { std::cout << p.toJson().dump() << std::endl; };
        cb.onLog = [](const std::string &line) { std::cout << line << std::endl; };
        const wb::TrainResult r = wb::runTrainingOn(c, std::move(data), cb);
        std::cout << r.toJson().dump() << std::endl;
        return r.stop == wb::TrainResult::Stop::Completed ? 0 : 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
