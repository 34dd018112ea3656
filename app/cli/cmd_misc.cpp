#include "cli.h"

#include "prompt/prompt_builder.h"
#include "prompt/template.h"

#include "common/files.h"
#include "common/runtime.h"
#include "data/demo_generator.h"
#include "store/dataset_store.h"
#include "store/demo_seed.h"
#include "store/job_store.h"
#include "store/workspace.h"

#include <iostream>

namespace wbcli {

void addMiscCommands(CLI::App &app, Globals &g)
{
    {
        auto *cmd = app.add_subcommand(
            "demo", "write the synthetic logic-reasoning demo datasets (files and/or workspace)");
        auto out = std::make_shared<std::string>();
        auto problems = std::make_shared<size_t>(240);
        auto evalProblems = std::make_shared<size_t>(60);
        auto seed = std::make_shared<uint64_t>(20261129);
        auto lang = std::make_shared<std::string>("mixed");
        auto noAnswers = std::make_shared<bool>(false);
        auto text = std::make_shared<std::string>();
        cmd->add_option("--out", *out, "folder for demo-train.jsonl and demo-eval.jsonl");
        cmd->add_option("--text", *text,
                        "also write the train problems as plain text (a tokenizer-training corpus)");
        cmd->add_option("--problems", *problems, "train problems")->default_val(240);
        cmd->add_option("--eval-problems", *evalProblems, "eval problems")->default_val(60);
        cmd->add_option("--seed", *seed)->default_val(20261129);
        cmd->add_option("--lang", *lang, "zh, en or mixed")
            ->check(CLI::IsMember({"zh", "en", "mixed"}))
            ->default_val("mixed");
        cmd->add_flag("--no-answers", *noAnswers, "write test files without answers");
        cmd->callback([&g, out, problems, evalProblems, seed, lang, noAnswers, text] {
            wb::DemoOptions o;
            o.problems = *problems;
            o.seed = *seed;
            o.mixedLanguages = *lang == "mixed";
            o.language = *lang == "en" ? wb::DemoLanguage::English : wb::DemoLanguage::Chinese;
            o.withAnswers = !*noAnswers;
            auto train = wb::generateDemoProblems(o);
            wb::DemoOptions e = o;
            e.problems = *evalProblems;
            e.seed = *seed + 1;
            auto eval = wb::generateDemoProblems(e);
            if (*noAnswers) {
                // The hidden world in "meta" would give the answers away.
                for (auto *set : {&train, &eval})
                    for (auto &r : *set)
                        r.data.erase("meta");
            }
            if (!text->empty()) {
                // Every logic built-in template's rendering of every question, with its answer.
                std::string corpus;
                for (const auto &b : wb::builtinTemplates()) {
                    if (b.name.rfind("logic", 0) != 0)
                        continue;
                    const auto tpl = wb::PromptTemplate::parse(b.body);
                    for (const auto &r : train)
                        for (const auto &p : wb::renderRecord(tpl, wb::DatasetFormat::Logic, r))
                            corpus += p.text + p.expected + "\n\n";
                }
                wb::writeFileAtomic(*text, corpus);
            }
            if (!out->empty()) {
                const std::filesystem::path dir(*out);
                wb::writeFileAtomic(dir / "demo-train.jsonl", wb::toJsonl(train));
                wb::writeFileAtomic(dir / "demo-eval.jsonl", wb::toJsonl(eval));
                std::cout << "wrote " << (dir / "demo-train.jsonl").string() << " ("
                          << train.size() << " problems) and "
                          << (dir / "demo-eval.jsonl").string() << " (" << eval.size()
                          << " problems)\n";
                return;
            }
            wb::Workspace &ws = workspace(g);
            wb::DatasetStore store(ws);
            store.addRecords("demo-train", wb::DatasetFormat::Logic, train,
                             "synthetic logic problems, answers by construction");
            store.addRecords("demo-eval", wb::DatasetFormat::Logic, eval,
                             "held-out synthetic logic problems");
            std::cout << "demo-train: " << train.size() << " problems, demo-eval: " << eval.size()
                      << " problems in " << ws.root().string() << "\n";
        });
    }
    {
        auto *cmd = app.add_subcommand("jobs", "jobs recorded in the workspace");
        cmd->callback([&g] {
            for (const auto &j : wb::listJobs(workspace(g), 50))
                std::printf("%5lld  %-11s %-16s %3.0f%%  %s%s%s\n", static_cast<long long>(j.id),
                            wb::jobStateName(j.state), j.kind.c_str(), j.progress * 100,
                            j.title.c_str(), j.error.empty() ? "" : "  — ", j.error.c_str());
        });
    }
    {
        auto *cmd = app.add_subcommand("workspace", "where the workspace is and what it holds");
        cmd->callback([&g] {
            wb::Workspace &ws = workspace(g);
            std::cout << "workspace: " << ws.root().string() << "\n"
                      << "schema:    " << wb::Workspace::kSchemaVersion << "\n"
                      << "datasets:  " << wb::DatasetStore(ws).list().size() << "\n"
                      << "runtime:   " << wb::runtimeSummary() << "\n";
        });
    }
}

} // namespace wbcli
