#include "cli.h"

#include "common/error.h"
#include "data/dataset.h"
#include "jobs/job_runner.h"
#include "store/dataset_store.h"
#include "store/workspace.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace wbcli {

using nlohmann::json;

namespace {

wb::DatasetFormat parseFormatOption(const std::string &s)
{
    if (s.empty())
        return wb::DatasetFormat::Auto;
    auto f = wb::formatFromName(s);
    if (!f)
        throw wb::Error(wb::ErrorCode::Validation,
                        "unknown format '" + s + "' (use auto, logic, alpaca or chat)");
    return *f;
}

void printIssues(const wb::ParsedDataset &p, std::ostream &out)
{
    for (const auto &i : p.issues)
        out << (i.severity == wb::ValidationIssue::Severity::Error ? "error: " : "warning: ")
            << i.toString() << "\n";
}

json statsJson(const wb::DatasetStats &s)
{
    json j = {{"format", wb::formatName(s.format)},
              {"rows", s.rows},
              {"sub_questions", s.subQuestions},
              {"answered", s.answered}};
    json oc = json::object();
    for (auto &[k, v] : s.optionCounts)
        oc[std::to_string(k)] = v;
    j["option_counts"] = oc;
    j["answer_letters"] = s.answerLetters;
    j["roles"] = s.roles;
    json lengths = json::object();
    for (auto &[k, l] : s.lengths)
        lengths[k] = {{"count", l.count}, {"min", l.min},   {"max", l.max},
                      {"mean", l.mean},   {"p50", l.p50},   {"p95", l.p95}};
    j["lengths"] = lengths;
    return j;
}

void printStats(const wb::DatasetStats &s)
{
    std::cout << "format:        " << wb::formatName(s.format) << "\n"
              << "rows:          " << s.rows << "\n";
    if (s.format == wb::DatasetFormat::Logic) {
        std::cout << "sub-questions: " << s.subQuestions << " (" << s.answered
                  << " with answers)\n";
        std::cout << "options:      ";
        for (auto &[k, v] : s.optionCounts)
            std::cout << " " << k << " options × " << v;
        std::cout << "\nanswers:      ";
        for (auto &[k, v] : s.answerLetters)
            std::cout << " " << k << "=" << v;
        std::cout << "\n";
    }
    for (auto &[k, v] : s.roles)
        std::cout << "role " << k << ": " << v << " messages\n";
    for (auto &[k, l] : s.lengths) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%-14s chars min %zu, mean %.1f, p50 %zu, p95 %zu, max %zu",
                      (k + ":").c_str(), l.min, l.mean, l.p50, l.p95, l.max);
        std::cout << buf << "\n";
    }
}

// Loads a dataset by workspace name, or parses a file when the argument is a path.
wb::ParsedDataset loadNamedOrFile(Globals &g, const std::string &nameOrFile,
                                  wb::DatasetFormat format)
{
    if (std::filesystem::is_regular_file(nameOrFile)) {
        wb::ParseOptions opts;
        opts.format = format;
        return wb::parseDatasetFile(nameOrFile, opts);
    }
    wb::DatasetStore store(workspace(g));
    return store.load(store.get(nameOrFile).latest);
}

} // namespace

void addDatasetCommands(CLI::App &app, Globals &g)
{
    auto *ds = app.add_subcommand("dataset", "import, validate, inspect and split datasets");
    ds->require_subcommand(1);

    // validate
    {
        auto *cmd = ds->add_subcommand("validate", "check a file; exit 0 when valid, 1 otherwise");
        auto file = std::make_shared<std::string>();
        auto format = std::make_shared<std::string>();
        cmd->add_option("file", *file, "JSONL, JSON or CSV file")->required();
        cmd->add_option("--format", *format, "auto|logic|alpaca|chat")->default_str("auto");
        cmd->callback([&g, file, format] {
            wb::ParseOptions opts;
            opts.format = parseFormatOption(*format);
            const auto p = wb::parseDatasetFile(*file, opts);
            printIssues(p, std::cout);
            std::cout << p.file << ": " << (p.fatal ? "unusable" : wb::formatName(p.format))
                      << ", " << p.totalRows << " rows, " << p.records.size() << " valid, "
                      << p.invalidRows << " invalid, " << p.errorCount() << " errors\n";
            g.exitCode = p.ok() ? 0 : 1;
        });
    }
    // import
    {
        auto *cmd = ds->add_subcommand("import", "copy a dataset file into the workspace");
        auto file = std::make_shared<std::string>();
        auto name = std::make_shared<std::string>();
        auto format = std::make_shared<std::string>();
        auto accept = std::make_shared<bool>(false);
        cmd->add_option("file", *file)->required();
        cmd->add_option("--name", *name, "dataset name (default: the file name)");
        cmd->add_option("--format", *format, "auto|logic|alpaca|chat")->default_str("auto");
        cmd->add_flag("--accept-invalid", *accept, "import the valid rows when some are invalid");
        cmd->callback([&g, file, name, format, accept] {
            wb::Workspace &ws = workspace(g);
            wb::DatasetImportRequest req;
            req.source = *file;
            req.name = *name;
            req.parse.format = parseFormatOption(*format);
            req.acceptInvalidRows = *accept;
            wb::JobRunner runner(&ws, 1);
            auto result = std::make_shared<wb::DatasetImportResult>();
            const bool tty = ::isatty(STDERR_FILENO);
            if (tty)
                runner.addListener([](const wb::JobSnapshot &s) {
                    std::fprintf(stderr, "\r[%3d%%] %-60.60s", int(s.progress.fraction * 100),
                                 s.progress.message.c_str());
                });
            wb::JobSpec spec;
            spec.kind = "dataset.import";
            spec.title = "Import " + std::filesystem::path(*file).filename().string();
            spec.params = {{"file", *file}, {"name", *name}, {"format", *format}};
            spec.work = [&ws, req, result](wb::JobContext &ctx) {
                *result = wb::DatasetStore(ws).importFile(req, &ctx);
                return json{{"status", static_cast<int>(result->status)},
                            {"message", result->message}};
            };
            const auto snap = runner.wait(runner.submit(std::move(spec)));
            if (tty)
                std::fprintf(stderr, "\n");
            if (snap.state != wb::JobState::Succeeded)
                throw wb::Error(wb::ErrorCode::Io, snap.error.empty() ? "import cancelled" : snap.error);
            printIssues(result->parsed, std::cerr);
            std::cout << result->message << "\n";
            if (result->status == wb::DatasetImportResult::Status::Rejected) {
                if (result->parsed.invalidRows > 0 && !result->parsed.fatal &&
                    !result->parsed.records.empty())
                    std::cout << "nothing imported; run again with --accept-invalid to keep the "
                                 "valid rows\n";
                g.exitCode = 1;
            }
        });
    }
    // list
    {
        auto *cmd = ds->add_subcommand("list", "datasets in the workspace");
        auto asJson = std::make_shared<bool>(false);
        cmd->add_flag("--json", *asJson);
        cmd->callback([&g, asJson] {
            wb::DatasetStore store(workspace(g));
            json arr = json::array();
            for (const auto &d : store.list()) {
                if (*asJson) {
                    arr.push_back({{"name", d.name},
                                   {"format", wb::formatName(d.latest.format)},
                                   {"rows", d.latest.rowCount},
                                   {"prompts", d.latest.promptCount},
                                   {"version", d.latest.version},
                                   {"hash", d.latest.contentHash}});
                } else {
                    std::printf("%-28s %-7s %6zu rows %6zu prompts  v%d  %s\n", d.name.c_str(),
                                wb::formatName(d.latest.format), d.latest.rowCount,
                                d.latest.promptCount, d.latest.version,
                                d.latest.contentHash.substr(0, 12).c_str());
                }
            }
            if (*asJson)
                std::cout << arr.dump(2) << "\n";
        });
    }
    // show
    {
        auto *cmd = ds->add_subcommand("show", "print rows of a dataset (name or file)");
        auto target = std::make_shared<std::string>();
        auto offset = std::make_shared<size_t>(0);
        auto limit = std::make_shared<size_t>(5);
        cmd->add_option("dataset", *target, "workspace dataset name or file")->required();
        cmd->add_option("--offset", *offset, "first record (0-based)");
        cmd->add_option("--limit", *limit, "number of records")->default_val(5);
        cmd->callback([&g, target, offset, limit] {
            const auto p = loadNamedOrFile(g, *target, wb::DatasetFormat::Auto);
            for (size_t i = *offset; i < p.records.size() && i < *offset + *limit; ++i)
                std::cout << "# row " << p.records[i].row << "\n"
                          << p.records[i].data.dump(2) << "\n";
        });
    }
    // stats
    {
        auto *cmd = ds->add_subcommand("stats", "statistics of a dataset (name or file)");
        auto target = std::make_shared<std::string>();
        auto asJson = std::make_shared<bool>(false);
        cmd->add_option("dataset", *target)->required();
        cmd->add_flag("--json", *asJson);
        cmd->callback([&g, target, asJson] {
            const auto p = loadNamedOrFile(g, *target, wb::DatasetFormat::Auto);
            const auto s = wb::computeStats(p.format, p.records);
            if (*asJson)
                std::cout << statsJson(s).dump(2) << "\n";
            else
                printStats(s);
        });
    }
    // split
    {
        auto *cmd = ds->add_subcommand("split", "deterministic train/eval split into two datasets");
        auto target = std::make_shared<std::string>();
        auto fraction = std::make_shared<double>(0.2);
        auto seed = std::make_shared<uint64_t>(42);
        auto trainName = std::make_shared<std::string>();
        auto evalName = std::make_shared<std::string>();
        cmd->add_option("dataset", *target)->required();
        cmd->add_option("--eval", *fraction, "fraction of problems for eval")->default_val(0.2);
        cmd->add_option("--seed", *seed)->default_val(42);
        cmd->add_option("--train-name", *trainName);
        cmd->add_option("--eval-name", *evalName);
        cmd->callback([&g, target, fraction, seed, trainName, evalName] {
            wb::DatasetStore store(workspace(g));
            auto [train, eval] = store.split(*target, *fraction, *seed, *trainName, *evalName);
            std::cout << train.name << ": " << train.latest.rowCount << " rows, "
                      << train.latest.promptCount << " prompts\n"
                      << eval.name << ": " << eval.latest.rowCount << " rows, "
                      << eval.latest.promptCount << " prompts\n";
        });
    }
    // remove
    {
        auto *cmd = ds->add_subcommand("remove", "delete a dataset from the workspace");
        auto target = std::make_shared<std::string>();
        cmd->add_option("dataset", *target)->required();
        cmd->callback([&g, target] {
            wb::DatasetStore(workspace(g)).remove(*target);
            std::cout << "removed " << *target << "\n";
        });
    }
}

} // namespace wbcli
