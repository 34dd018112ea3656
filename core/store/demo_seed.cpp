#include "store/demo_seed.h"

#include "data/demo_generator.h"
#include "common/error.h"
#include "common/files.h"
#include "store/dataset_store.h"
#include "store/model_store.h"
#include "store/template_store.h"
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
    }
    ws.setMeta("demo_seeded", "1");
    return true;
}

} // namespace wb
