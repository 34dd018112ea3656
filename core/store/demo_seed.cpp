#include "store/demo_seed.h"

#include "data/demo_generator.h"
#include "common/error.h"
#include "common/files.h"
#include "store/dataset_store.h"
#include "store/model_store.h"
#include "store/template_store.h"
#include "eval/compare.h"
#include "train/train_job.h"

#include <nlohmann/json.hpp>
#include "store/workspace.h"

#include <cstdlib>
#include <filesystem>

namespace wb {

std::filesystem::path demoModelSource()
{
    if (const char *env = std::getenv("WB_DEMO_MODEL"))
        return env;
#ifdef WB_DEMO_MODEL_DIR
    return WB_DEMO_MODEL_DIR;
#else
    return {};
#endif
}

namespace {

// The LoRA run shipped beside the demo model (resources/demo-model/lora-run: a finished
// `llmwb train` run folder without checkpoints) becomes the workspace's run "demo-lora", its
// paths pointed at this workspace's copies of the model and the datasets.
void seedDemoRun(Workspace &ws, const std::filesystem::path &modelDir)
{
    namespace fs = std::filesystem;
    const fs::path src = demoModelSource() / "lora-run";
    const fs::path dest = runsDir(ws) / "demo-lora";
    if (!fs::exists(src / "adapter" / "adapter_config.json") || fs::exists(dest))
        return;
    fs::create_directories(dest / "adapter");
    for (const auto &e : fs::recursive_directory_iterator(src))
        if (e.is_regular_file() && e.path().filename() != "config.json")
            copyFileAtomic(e.path(), dest / e.path().lexically_relative(src));
    nlohmann::json config = nlohmann::json::parse(readFile(src / "config.json"));
    config["model_dir"] = modelDir.string();
    config["output_dir"] = dest.string();
    for (const char *key : {"dataset_file", "eval_dataset_file"})
        if (config.contains(key) && config[key].is_string() && !config[key].get<std::string>().empty())
            config[key] = (ws.filesDir() / "datasets" /
                           fs::path(config[key].get<std::string>()).filename()).string();
    writeFileAtomic(dest / "config.json", config.dump(2) + "\n");
}

// The ready Compare experiment: the demo model with and without its LoRA adapter, two
// templates, greedy and 5-vote sampling, on demo-eval.
void seedDemoExperiment(Workspace &ws)
{
    const char *spec = R"({
  "name": "demo",
  "dataset": "demo-eval",
  "method": "generate",
  "variants": [{"model": "demo-model", "label": "demo-model"},
               {"model": "demo-model", "adapter": "demo-lora", "label": "demo-model + LoRA"}],
  "templates": ["logic-direct", "logic-en-cot"],
  "decoding": [{"label": "greedy", "max_new_tokens": 8},
               {"label": "5 votes, T=0.7", "temperature": 0.7, "samples": 5, "seed": 1,
                "max_new_tokens": 8}],
  "ensembles": [{"label": "both templates, LoRA", "members": ["c4", "c5", "c6", "c7"]}]
})";
    CompareStore(ws).saveExperiment(Experiment::fromJson(nlohmann::json::parse(spec), "demo experiment"));
}

} // namespace

bool seedDemo(Workspace &ws, bool force)
{
    if (!force && ws.meta("demo_seeded") == "1")
        return false;
    DatasetStore datasets(ws);
    DemoOptions train;
    train.problems = 240;
    train.seed = 20261129;
    train.mixedLanguages = true;
    datasets.addRecords("demo-train", DatasetFormat::Logic, generateDemoProblems(train),
                        "synthetic logic problems (Chinese and English), answers by construction");
    DemoOptions eval = train;
    eval.problems = 60;
    eval.seed = 7;
    datasets.addRecords("demo-eval", DatasetFormat::Logic, generateDemoProblems(eval),
                        "held-out synthetic logic problems for scoring");
    TemplateStore(ws).seedBuiltins();
    seedDemoKnowledgeBase(ws);
    // The tiny model the project trains itself (resources/demo-model, see
    // packaging/build-demo-model.sh), copied into the workspace so it stays self-contained.
    const std::filesystem::path demoModel = demoModelSource();
    if (!demoModel.empty() && std::filesystem::exists(demoModel / "config.json")) {
        const std::filesystem::path dest = ws.filesDir() / "models" / "demo-model";
        std::filesystem::create_directories(dest);
        for (const auto &e : std::filesystem::directory_iterator(demoModel))
            if (e.is_regular_file())
                copyFileAtomic(e.path(), dest / e.path().filename());
        try {
            ModelStore(ws).add(dest, "demo-model");
        } catch (const Error &) {
            // a name taken by the user: keep theirs
        }
        seedDemoRun(ws, dest);
        if (std::filesystem::exists(runsDir(ws) / "demo-lora"))
            seedDemoExperiment(ws);
    }
    ws.setMeta("demo_seeded", "1");
    return true;
}

} // namespace wb
