// llmwb kb create|add|remove|search|stats|list|drop and llmwb bench rag.
#include "cli.h"

#include "common/error.h"
#include "jobs/job_runner.h"
#include "model/embedders.h"
#include "rag/knowledge_base.h"
#include "rag/rag_bench.h"
#include "store/workspace.h"

#include <cstdio>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace wbcli {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<int64_t> parseSizes(const std::string &s)
{
    std::vector<int64_t> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        out.push_back(std::stoll(item));
    return out;
}

void printHit(const wb::rag::SearchHit &h)
{
    std::printf("%2d. %-40s fused %.4f | vector %.3f (#%d) | bm25 %.3f (#%d)\n", h.rank,
                wb::rag::sourceLabel(h).c_str(), h.fusedScore, h.vectorScore, h.vectorRank, h.bm25,
                h.bm25Rank);
    std::string text = h.text;
    for (char &c : text)
        if (c == '\n' || c == '\f')
            c = ' ';
    if (text.size() > 240)
        text = text.substr(0, 240) + "…";
    std::printf("    %s\n", text.c_str());
    if (!h.matchedTerms.empty()) {
        std::string terms;
        for (const auto &t : h.matchedTerms)
            terms += (terms.empty() ? "" : ", ") + t;
        std::printf("    matched: %s\n", terms.c_str());
    }
}

} // namespace

void addKbCommands(CLI::App &app, Globals &g)
{
    wb::registerEngineEmbedders();
    auto *kb = app.add_subcommand("kb", "knowledge bases: collections of documents for retrieval");
    kb->require_subcommand(1);
    {
        auto *cmd = kb->add_subcommand("create", "create a collection");
        struct Opts
        {
            std::string name, embedder = "hashing", model, baseUrl, apiKeyEnv, unit = "chars", tokenizer, pooling = "mean",
                        device = "cpu", description;
            int dim = 384, size = 800, overlap = 100;
            int64_t hnswThreshold = 20000;
        };
        auto o = std::make_shared<Opts>();
        cmd->add_option("name", o->name)->required();
        cmd->add_option("--embedder", o->embedder, "hashing | openai | causal-lm | bert")->capture_default_str();
        cmd->add_option("--dim", o->dim, "hashing: vector dimension")->capture_default_str();
        cmd->add_option("--model", o->model, "causal-lm/bert: model folder; openai: model name");
        cmd->add_option("--base-url", o->baseUrl, "openai: endpoint, e.g. http://localhost:8000/v1");
        cmd->add_option("--api-key-env", o->apiKeyEnv, "openai: environment variable holding the key");
        cmd->add_option("--pooling", o->pooling, "causal-lm: mean | last")->capture_default_str();
        cmd->add_option("--device", o->device, "causal-lm/bert: cpu | cuda")->capture_default_str();
        cmd->add_option("--unit", o->unit, "chunk size unit: chars | tokens")->capture_default_str();
        cmd->add_option("--tokenizer", o->tokenizer, "model folder whose tokenizer counts tokens");
        cmd->add_option("--chunk-size", o->size)->capture_default_str();
        cmd->add_option("--overlap", o->overlap)->capture_default_str();
        cmd->add_option("--hnsw-threshold", o->hnswThreshold, "vectors above which HNSW replaces exact search")
            ->capture_default_str();
        cmd->add_option("--description", o->description);
        cmd->callback([&g, o] {
            json embedder = {{"kind", o->embedder}};
            if (o->embedder == "hashing")
                embedder["dim"] = o->dim;
            else if (o->embedder == "openai")
                embedder.update({{"base_url", o->baseUrl}, {"model", o->model}, {"api_key_env", o->apiKeyEnv}});
            else
                embedder.update({{"model", o->model}, {"pooling", o->pooling}, {"device", o->device}});
            json chunker = {{"unit", o->unit}, {"size", o->size}, {"overlap", o->overlap}};
            if (!o->tokenizer.empty())
                chunker["tokenizer"] = fs::absolute(o->tokenizer).string();
            const auto info = wb::rag::KnowledgeBase::create(
                workspace(g), o->name,
                {{"chunker", chunker}, {"embedder", embedder}, {"index", {{"hnsw_threshold", o->hnswThreshold}}}},
                o->description);
            std::cout << "created collection '" << info.name << "': " << info.settings.dump() << "\n";
        });
    }
    {
        auto *cmd = kb->add_subcommand("add", "add files or folders (recursive) and index them; "
                                              "also resumes an interrupted ingest and picks up changes");
        auto name = std::make_shared<std::string>();
        auto paths = std::make_shared<std::vector<std::string>>();
        auto field = std::make_shared<std::string>();
        auto asJson = std::make_shared<bool>(false);
        cmd->add_option("name", *name)->required();
        cmd->add_option("paths", *paths, "files or folders; none: only resume and sync");
        cmd->add_option("--text-field", *field, "jsonl/csv: the field with the text");
        cmd->add_flag("--json", *asJson, "print the report as JSON");
        cmd->callback([&g, name, paths, field, asJson] {
            wb::Workspace &ws = workspace(g);
            auto base = wb::rag::KnowledgeBase::open(ws, *name);
            if (!base->openMessage().empty())
                std::cerr << "note: " << base->openMessage() << "\n";
            wb::rag::IngestRequest req;
            for (const auto &p : *paths)
                req.paths.emplace_back(p);
            req.options.textField = *field;
            wb::JobRunner runner(&ws, 1);
            if (::isatty(STDERR_FILENO))
                runner.addListener([](const wb::JobSnapshot &s) {
                    std::fprintf(stderr, "\r[%3d%%] %-60.60s", int(s.progress.fraction * 100), s.progress.message.c_str());
                });
            auto report = std::make_shared<wb::rag::IngestReport>();
            wb::JobSpec spec;
            spec.kind = "kb.ingest";
            spec.title = "Index into " + *name;
            spec.params = {{"collection", *name}, {"paths", *paths}, {"text_field", *field}};
            wb::rag::KnowledgeBase *kbp = base.get();
            spec.work = [kbp, req, report](wb::JobContext &ctx) {
                *report = kbp->ingest(req, &ctx);
                return report->toJson();
            };
            const auto snap = runner.wait(runner.submit(std::move(spec)));
            if (::isatty(STDERR_FILENO))
                std::fprintf(stderr, "\n");
            if (snap.state != wb::JobState::Succeeded)
                throw wb::Error(wb::ErrorCode::Io, snap.error.empty() ? "ingest cancelled; run kb add again to resume"
                                                                      : snap.error);
            if (*asJson) {
                std::cout << report->toJson().dump(2) << "\n";
                return;
            }
            for (const auto &s : report->skippedFiles)
                std::cout << "skipped " << s.path << ": " << s.reason << "\n";
            for (const auto &w : report->warnings)
                std::cout << "warning " << w << "\n";
            std::printf("%lld files (%lld new, %lld changed, %lld unchanged, %lld removed, %lld duplicates, "
                        "%lld skipped, %lld failed); %lld chunks, %lld embedded, %lld vectors reused; %.2f s\n",
                        (long long)report->filesSeen, (long long)report->added, (long long)report->changed,
                        (long long)report->unchanged, (long long)report->removed, (long long)report->duplicates,
                        (long long)report->skipped, (long long)report->failed, (long long)report->chunks,
                        (long long)report->embedded, (long long)report->reusedVectors, report->seconds);
        });
    }
    {
        auto *cmd = kb->add_subcommand("remove", "remove documents (a folder: everything under it)");
        auto name = std::make_shared<std::string>();
        auto paths = std::make_shared<std::vector<std::string>>();
        cmd->add_option("name", *name)->required();
        cmd->add_option("paths", *paths)->required();
        cmd->callback([&g, name, paths] {
            auto base = wb::rag::KnowledgeBase::open(workspace(g), *name);
            std::vector<fs::path> ps(paths->begin(), paths->end());
            std::cout << "removed " << base->remove(ps) << " document(s)\n";
        });
    }
    {
        auto *cmd = kb->add_subcommand("search", "ranked chunks for a query");
        auto name = std::make_shared<std::string>();
        auto query = std::make_shared<std::string>();
        auto opt = std::make_shared<wb::rag::SearchOptions>();
        auto mode = std::make_shared<std::string>("hybrid");
        auto asJson = std::make_shared<bool>(false);
        auto context = std::make_shared<bool>(false);
        cmd->add_option("name", *name)->required();
        cmd->add_option("query", *query)->required();
        cmd->add_option("--top-k,-k", opt->topK)->capture_default_str();
        cmd->add_option("--mode", *mode, "hybrid | vector | lexical")->capture_default_str();
        cmd->add_option("--vector-weight", opt->vectorWeight, "RRF weight of the vector ranking (0..1)")
            ->capture_default_str();
        cmd->add_option("--candidates", opt->candidates)->capture_default_str();
        cmd->add_flag("--mmr", opt->mmr, "diversify with maximal marginal relevance");
        cmd->add_option("--mmr-lambda", opt->mmrLambda)->capture_default_str();
        cmd->add_flag("--json", *asJson);
        cmd->add_flag("--context", *context, "print what a prompt's {{context}} would receive");
        cmd->callback([&g, name, query, opt, mode, asJson, context] {
            if (*mode == "vector")
                opt->mode = wb::rag::SearchOptions::Mode::Vector;
            else if (*mode == "lexical")
                opt->mode = wb::rag::SearchOptions::Mode::Lexical;
            else if (*mode != "hybrid")
                throw wb::Error(wb::ErrorCode::Validation, "--mode must be hybrid, vector or lexical");
            auto base = wb::rag::KnowledgeBase::open(workspace(g), *name);
            if (!base->openMessage().empty())
                std::cerr << "note: " << base->openMessage() << "\n";
            const auto hits = base->search(*query, *opt);
            if (*context) {
                std::cout << wb::rag::formatContext(hits);
            } else if (*asJson) {
                json out = json::array();
                for (const auto &h : hits)
                    out.push_back(h.toJson());
                std::cout << out.dump(2) << "\n";
            } else {
                for (const auto &h : hits)
                    printHit(h);
                if (hits.empty())
                    std::cout << "no results\n";
            }
        });
    }
    {
        auto *cmd = kb->add_subcommand("stats", "documents, chunks, vectors and index of a collection");
        auto name = std::make_shared<std::string>();
        auto asJson = std::make_shared<bool>(false);
        cmd->add_option("name", *name)->required();
        cmd->add_flag("--json", *asJson);
        cmd->callback([&g, name, asJson] {
            auto base = wb::rag::KnowledgeBase::open(workspace(g), *name);
            if (!base->openMessage().empty())
                std::cerr << "note: " << base->openMessage() << "\n";
            json j = base->stats().toJson();
            j["name"] = base->info().name;
            j["embedder"] = base->info().embedder;
            j["dim"] = base->info().dim;
            j["settings"] = base->info().settings;
            j["consistent"] = base->checkConsistency().empty();
            if (*asJson) {
                std::cout << j.dump(2) << "\n";
                return;
            }
            for (const auto &[k, v] : j.items())
                std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
        });
    }
    {
        auto *cmd = kb->add_subcommand("list", "collections in the workspace");
        cmd->callback([&g] {
            for (const auto &c : wb::rag::KnowledgeBase::list(workspace(g)))
                std::cout << c.name << "\t" << (c.embedder.empty() ? "(empty)" : c.embedder) << "\n";
        });
    }
    {
        auto *cmd = kb->add_subcommand("drop", "delete a collection and its index");
        auto name = std::make_shared<std::string>();
        cmd->add_option("name", *name)->required();
        cmd->callback([&g, name] {
            wb::rag::KnowledgeBase::drop(workspace(g), *name);
            std::cout << "dropped '" << *name << "'\n";
        });
    }
    // bench rag
    if (auto *bench = app.get_subcommand("bench")) {
        auto *cmd = bench->add_subcommand("rag", "knowledge-base ingest throughput, query latency and HNSW recall");
        auto sizes = std::make_shared<std::string>("10000,100000");
        auto opt = std::make_shared<wb::rag::RagBenchOptions>();
        auto asJson = std::make_shared<bool>(false);
        auto work = std::make_shared<std::string>();
        cmd->add_option("--chunks", *sizes, "collection sizes, comma-separated")->capture_default_str();
        cmd->add_option("--dim", opt->dim)->capture_default_str();
        cmd->add_option("--queries", opt->queries)->capture_default_str();
        cmd->add_option("--hnsw-threshold", opt->hnswThreshold)->capture_default_str();
        cmd->add_option("--ef-search", opt->efSearch, "HNSW search breadth")->capture_default_str();
        cmd->add_option("--ef-sweep", opt->efSweep, "more efSearch values to measure on the HNSW index")
            ->delimiter(',');
        cmd->add_option("--work-dir", *work, "scratch folder (default: the temp folder)");
        cmd->add_flag("--json", *asJson);
        cmd->callback([sizes, opt, asJson, work] {
            opt->sizes = parseSizes(*sizes);
            opt->workDir = *work;
            const auto results = wb::rag::benchRag(*opt, [](const std::string &m) { std::cerr << m << "\n"; });
            json out = json::array();
            for (const auto &r : results) {
                out.push_back(r.toJson());
                if (!*asJson)
                    std::printf("%7lld chunks (%s, dim %d): ingest %.0f chunks/s, embed %.0f/s; hybrid query p50 "
                                "%.2f ms p95 %.2f ms; vector p50 %.3f ms p95 %.3f ms; recall@10 %.3f\n",
                                (long long)r.chunks, r.index.c_str(), r.dim, r.chunksPerSecond,
                                r.embeddingsPerSecond, r.hybridP50Ms, r.hybridP95Ms, r.vectorP50Ms, r.vectorP95Ms,
                                r.recallAt10);
            }
            if (*asJson)
                std::cout << out.dump(2) << "\n";
        });
    }
}

} // namespace wbcli
