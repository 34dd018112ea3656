#include "store/demo_seed.h"

#include "data/demo_generator.h"
#include "store/dataset_store.h"
#include "store/template_store.h"
#include "store/workspace.h"

namespace wb {

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
    ws.setMeta("demo_seeded", "1");
    return true;
}

} // namespace wb
