// llmwb compare: run experiments (model × adapter × template × RAG × decoding), resume them,
// list, show, diff and export their results. A contract: users script against it (README).

#include "cli.h"

#include "common/error.h"
#include "common/files.h"
#include "eval/compare.h"
#include "eval/compare_bench.h"
#include "store/workspace.h"

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace wbcli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}

// Display width of UTF-8 text: CJK and full-width characters take two columns.
size_t width(const std::string &s)
{
    size_t w = 0;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += len >= 3 ? 2 : 1;
        if (len == 3 && c == 0xE2) // punctuation such as · and – (U+2000..U+2FFF) is narrow
            w -= 1;
        i += size_t(len);
    }
    return w;
}

std::string pad(const std::string &s, size_t w)
{
    const size_t have = width(s);
    return have >= w ? s : s + std::string(w - have, ' ');
}

std::string pct(double v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%5.1f%%", 100 * v);
    return buf;
}

void printMatrix(const wb::CompareResults &r)
{
    std::vector<const wb::CellResult *> all;
    for (const auto &c : r.cells)
        all.push_back(&c);
    for (const auto &c : r.ensembles)
        all.push_back(&c);
    size_t labelW = 5;
    for (const auto *c : all)
        labelW = std::max(labelW, width(c->members.empty() ? c->label : "ensemble " + c->label));
    labelW = std::min<size_t>(labelW, 70);
    const wb::CellResult *best = r.best();
    std::cout << "run " << r.run.name << " (" << r.run.state << "), " << r.questions.size()
              << " questions, method " << r.run.experiment.method << "\n";
    std::cout << pad("cell", 5) << "  " << pad("label", labelW)
              << "  accuracy  95% CI          n   unextr  out-tok  latency  tok/s\n";
    for (const auto *c : all) {
        char line[256];
        std::snprintf(line, sizeof line, "  %s  %s-%s  %4zu/%-4zu %5zu  %7.1f  %6.2fs  %5.1f%s",
                      pct(c->accuracy).c_str(), pct(c->ci95.first).c_str(),
                      pct(c->ci95.second).c_str(), c->correct, c->answered, c->unextracted,
                      c->meanOutputTokens, c->meanLatency, c->tokensPerSecond,
                      c->done() ? "" : "  (incomplete)");
        const std::string label = c->members.empty() ? c->label : "ensemble " + c->label;
        std::cout << pad(c == best ? c->id + "*" : c->id, 5) << "  " << pad(label, labelW) << line
                  << "\n";
    }
    if (best)
        std::cout << "* best: " << best->id << " " << best->label << "\n";
}

struct RunArgs
{
    std::string out;
    bool noCache = false, jsonl = false;
    std::string dtype = "F32";
    wb::CompareOptions o;
};

void addRunOptions(CLI::App *cmd, RunArgs &a)
{
    cmd->add_option("--out", a.out, "write results.json here when done (or stopped)");
    cmd->add_flag("--jsonl", a.jsonl, "progress as JSON lines on stdout, then {\"result\": ...}");
    cmd->add_option("--device", a.o.device, "local models: cpu | cuda | cuda:N")->default_val("cpu");
    cmd->add_option("--dtype", a.dtype, "local models: F32 | BF16 | F16")->default_val("F32");
    cmd->add_option("--batch", a.o.batchSize, "local models: sequences per batch")->default_val(8);
    cmd->add_option("--threads", a.o.threads, "CPU threads (default: the workbench's budget)");
}

int execute(Globals &g, const std::string &run, RunArgs &a)
{
    wb::Workspace &ws = workspace(g);
    const auto dtype = wb::dtypeFromName(a.dtype);
    if (!dtype)
        throw wb::Error(wb::ErrorCode::Validation, "--dtype " + a.dtype + " is not F32, BF16 or F16");
    a.o.dtype = *dtype;
    a.o.noCache = a.noCache;
    const bool tty = ::isatty(2);
    g_interrupted = false;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    wb::CompareCallbacks cb;
    cb.isCancelled = [] { return g_interrupted.load(); };
    cb.onProgress = [&](const wb::CompareProgress &p) {
        if (a.jsonl) {
            std::cout << nlohmann::json({{"event", "progress"},
                                         {"cell", p.cell},
                                         {"cell_done", p.cellDone},
                                         {"cell_total", p.cellTotal},
                                         {"done", p.done},
                                         {"total", p.total},
                                         {"eta_s", p.etaSeconds},
                                         {"message", p.message}})
                             .dump()
                      << std::endl;
        } else if (tty) {
            char eta[32] = "";
            if (p.etaSeconds >= 0)
                std::snprintf(eta, sizeof eta, " ETA %.0fs", p.etaSeconds);
            std::fprintf(stderr, "\r[%3d%%%s] %-70.70s",
                         p.total ? int(std::lround(100.0 * double(p.done) / double(p.total))) : 0,
                         eta, p.message.c_str());
            std::fflush(stderr);
        }
    };
    int code = 0;
    try {
        wb::runCompare(ws, run, a.o, cb);
    } catch (const wb::Error &e) {
        if (tty && !a.jsonl)
            std::fprintf(stderr, "\r%-90s\r", "");
        if (e.code() != wb::ErrorCode::Cancelled)
            throw;
        std::cerr << "stopped: everything finished is kept; go on with: llmwb compare resume " << run
                  << "\n";
        code = 130;
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (tty && !a.jsonl)
        std::fprintf(stderr, "\r%-90s\r", "");
    const wb::CompareResults results = wb::CompareStore(ws).results(run);
    if (!a.out.empty())
        wb::writeFileAtomic(a.out, results.toJson(true).dump(2) + "\n");
    if (a.jsonl)
        std::cout << nlohmann::json({{"result", results.toJson(false)}}).dump() << std::endl;
    else
        printMatrix(results);
    return code;
}

} // namespace

void addCompareCommands(CLI::App &app, Globals &g)
{
    if (auto *bench = app.get_subcommand("bench")) {
        auto *cmd = bench->add_subcommand(
            "compare", "Compare runner: batched vs one question at a time, overhead vs raw generation");
        auto o = std::make_shared<wb::CompareBenchOptions>();
        auto dtype = std::make_shared<std::string>("F32");
        cmd->add_option("--model", o->model, "workspace model or folder")->default_val("demo-model");
        cmd->add_option("--dataset", o->dataset)->default_val("demo-eval");
        cmd->add_option("--template", o->templ)->default_val("logic-direct");
        cmd->add_option("--limit", o->limit, "problems")->default_val(20);
        cmd->add_option("--new-tokens", o->newTokens)->default_val(16);
        cmd->add_option("--batch", o->batch)->default_val(8);
        cmd->add_option("--rounds", o->rounds, "timings per kind; the fastest counts")->default_val(3);
        cmd->add_option("--device", o->device)->default_val("cpu");
        cmd->add_option("--dtype", *dtype)->default_val("F32");
        cmd->callback([&g, o, dtype] {
            const auto dt = wb::dtypeFromName(*dtype);
            if (!dt)
                throw wb::Error(wb::ErrorCode::Validation, "--dtype " + *dtype + " is not F32, BF16 or F16");
            o->dtype = *dt;
            std::cout << wb::benchCompare(workspace(g), *o).describe();
        });
    }

    auto *compare = app.add_subcommand(
        "compare", "score model × adapter × template × RAG × decoding combinations side by side");
    compare->require_subcommand(1);

    {
        auto *cmd = compare->add_subcommand("run", "run an experiment (EXPERIMENT.json)");
        auto a = std::make_shared<RunArgs>();
        auto file = std::make_shared<std::string>();
        auto name = std::make_shared<std::string>();
        cmd->add_option("experiment", *file, "EXPERIMENT.json, or a saved experiment's name")->required();
        cmd->add_option("--name", *name, "the run's name (default: <experiment>-<n>)");
        cmd->add_flag("--no-cache", a->noCache, "neither read nor write the response cache");
        addRunOptions(cmd, *a);
        cmd->callback([&g, a, file, name] {
            wb::Workspace &ws = workspace(g);
            wb::Experiment e;
            if (std::filesystem::is_regular_file(*file)) {
                e = wb::Experiment::fromFile(*file);
            } else if (auto saved = wb::CompareStore(ws).findExperiment(*file)) {
                e = *saved;
            } else {
                throw wb::Error(wb::ErrorCode::NotFound,
                                "no experiment file or saved experiment named '" + *file + "'");
            }
            const wb::CompareRunInfo run = wb::createCompareRun(ws, e, *name, a->noCache);
            std::cerr << "run " << run.name << ": " << wb::experimentCells(e).size() << " cells\n";
            g.exitCode = execute(g, run.name, *a);
        });
    }
    {
        auto *cmd = compare->add_subcommand("resume", "go on with a stopped or interrupted run");
        auto a = std::make_shared<RunArgs>();
        auto run = std::make_shared<std::string>();
        cmd->add_option("run", *run, "the run's name")->required();
        addRunOptions(cmd, *a);
        cmd->callback([&g, a, run] { g.exitCode = execute(g, *run, *a); });
    }
    {
        auto *cmd = compare->add_subcommand("list", "comparison runs, newest first");
        cmd->callback([&g] {
            wb::CompareStore store(workspace(g));
            for (const wb::CompareRunInfo &r : store.listRuns())
                std::cout << r.name << "\t" << r.state << "\t" << r.createdAt << "\t"
                          << r.experiment.name << "\t" << wb::experimentCells(r.experiment).size()
                          << " cells" << (r.error.empty() ? "" : "\t" + r.error) << "\n";
        });
    }
    {
        auto *cmd = compare->add_subcommand("remove", "delete a run and its stored responses (the cache stays)");
        auto run = std::make_shared<std::string>();
        cmd->add_option("run", *run)->required();
        cmd->callback([&g, run] {
            wb::CompareStore(workspace(g)).removeRun(*run);
            std::cerr << "removed run " << *run << "\n";
        });
    }
    {
        auto *cmd = compare->add_subcommand("show", "a run's matrix (or results.json with --json)");
        auto run = std::make_shared<std::string>();
        auto json = std::make_shared<bool>(false);
        cmd->add_option("run", *run)->required();
        cmd->add_flag("--json", *json, "the full results.json");
        cmd->callback([&g, run, json] {
            const wb::CompareResults r = wb::CompareStore(workspace(g)).results(*run);
            if (*json)
                std::cout << r.toJson(true).dump(2) << "\n";
            else
                printMatrix(r);
        });
    }
    {
        auto *cmd = compare->add_subcommand("diff", "two cells paired: counts, McNemar p, disagreements");
        auto run = std::make_shared<std::string>();
        auto a = std::make_shared<std::string>();
        auto b = std::make_shared<std::string>();
        auto json = std::make_shared<bool>(false);
        cmd->add_option("run", *run)->required();
        cmd->add_option("--a", *a, "a cell (c0, c1, ...) or ensemble label")->required();
        cmd->add_option("--b", *b, "the other")->required();
        cmd->add_flag("--json", *json);
        cmd->callback([&g, run, a, b, json] {
            const wb::CompareResults r = wb::CompareStore(workspace(g)).results(*run);
            const wb::CellDiff d = wb::diffCells(r, *a, *b);
            if (*json) {
                std::cout << d.toJson(r).dump(2) << "\n";
                return;
            }
            const auto *ca = r.find(*a);
            const auto *cb = r.find(*b);
            std::printf("a %s: %s  accuracy %.1f%%\nb %s: %s  accuracy %.1f%%\n", a->c_str(),
                        ca->label.c_str(), 100 * ca->accuracy, b->c_str(), cb->label.c_str(),
                        100 * cb->accuracy);
            std::printf("paired %zu: both right %zu, both wrong %zu, only a right (b) %zu, only b "
                        "right (c) %zu\nMcNemar exact p = %.4g\n",
                        d.paired, d.bothRight, d.bothWrong, d.onlyA, d.onlyB, d.p);
            std::printf("%zu questions where the votes differ:\n", d.disagree.size());
            for (size_t qi : d.disagree) {
                const auto &q = r.questions[qi];
                std::printf("  %s q%zu expected %s: a %s, b %s\n", q.recordId.c_str(), q.question + 1,
                            q.expected.empty() ? "?" : q.expected.c_str(),
                            ca->questions[qi].voted.empty() ? "-" : ca->questions[qi].voted.c_str(),
                            cb->questions[qi].voted.empty() ? "-" : cb->questions[qi].voted.c_str());
            }
        });
    }
    {
        auto *cmd = compare->add_subcommand("export", "write a run's results");
        auto run = std::make_shared<std::string>();
        auto format = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        auto cell = std::make_shared<std::string>();
        cmd->add_option("run", *run)->required();
        cmd->add_option("--format", *format, "csv | json | md | submission")->required();
        cmd->add_option("--out", *out, "the file to write")->required();
        cmd->add_option("--cell", *cell, "submission: the cell whose answers to write (default: the best)");
        cmd->callback([&g, run, format, out, cell] {
            wb::Workspace &ws = workspace(g);
            const wb::CompareResults r = wb::CompareStore(ws).results(*run);
            const std::string text = *format == "submission" ? wb::exportSubmission(ws, r, *cell)
                                                             : wb::exportResults(r, *format);
            wb::writeFileAtomic(*out, text);
            std::cerr << "wrote " << *out << "\n";
        });
    }
}

} // namespace wbcli
