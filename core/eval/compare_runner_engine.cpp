// The Compare runner (compare.h): asks each cell's endpoint for what the run does not hold yet,
// loading each local model once, and stores every response as it arrives.

#include "eval/compare_internal.h"

#include "common/error.h"
#include "eval/local_endpoint.h"
#include "model/causal_lm.h"
#include "store/workspace.h"
#include "tokenizer/tokenizer.h"
#include "train/train_job.h"

#include <chrono>
#include <cstdio>
#include <mutex>

namespace wb {

using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

struct Runner
{
    Workspace &ws;
    const CompareOptions &options;
    const CompareCallbacks &cb;
    CompareRunInfo run;
    ResolvedExperiment r;
    bool noCache = false;
    std::set<std::tuple<std::string, size_t, int>> stored{};
    size_t total = 0, done = 0, computed = 0;
    size_t failures = 0;
    std::string firstFailure{};
    Clock::time_point start = Clock::now();
    InputCaches caches{};
    std::mutex mutex{}; // remote completions arrive on worker threads

    // the loaded local model
    std::unique_ptr<CausalLM> model{};
    std::string loadedKey{};

    bool cancelled() const { return cb.isCancelled && cb.isCancelled(); }
    void throwIfCancelled() const
    {
        if (cancelled())
            throw Error(ErrorCode::Cancelled, "comparison stopped; everything finished is kept (resume it to go on)");
    }

    void progress(const Cell &cell, size_t cellDone, size_t cellTotal, const std::string &what)
    {
        if (!cb.onProgress)
            return;
        CompareProgress p;
        p.cell = cell.id;
        p.cellDone = cellDone;
        p.cellTotal = cellTotal;
        p.done = done;
        p.total = total;
        p.computed = computed;
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (computed > 0 && elapsed > 0)
            p.etaSeconds = double(total - done) * elapsed / double(computed);
        p.message = cell.id + " " + cellLabel(r.e, cell) + ": " + what + " " + std::to_string(cellDone) +
                    "/" + std::to_string(cellTotal);
        cb.onProgress(p);
    }

    // The adapter a model folder is loaded with: its variants' one adapter, switched off for
    // the base variants; with several adapters, each variant's own.
    std::string adapterToLoad(const ResolvedVariant &v) const
    {
        std::set<std::string> adapters;
        for (const ResolvedVariant &o : r.variants)
            if (!o.remote && o.modelDir == v.modelDir && !o.adapterDir.empty())
                adapters.insert(o.adapterDir);
        if (adapters.size() == 1)
            return *adapters.begin();
        return v.adapterDir;
    }

    std::unique_ptr<ModelEndpoint> endpointFor(const ResolvedVariant &v)
    {
        if (v.remote) {
            RemoteSettings s = v.settings;
            if (options.apiKeyFor)
                s.apiKey = options.apiKeyFor(s);
            return makeRemoteEndpoint(s);
        }
        const std::string adapter = adapterToLoad(v);
        const std::string key = v.modelDir + "|" + adapter;
        if (key != loadedKey) {
            model.reset();
            loadedKey.clear();
            LoadOptions lo;
            lo.device = options.device;
            lo.dtype = options.dtype;
            lo.threads = options.threads;
            lo.adapterDir = adapter;
            model = CausalLM::load(v.modelDir, lo, [&](double, const std::string &m) {
                if (cb.onProgress) {
                    CompareProgress p;
                    p.done = done;
                    p.total = total;
                    p.message = "loading " + v.modelDir + ": " + m;
                    cb.onProgress(p);
                }
                return !cancelled();
            });
            loadedKey = key;
        }
        if (model->hasAdapter())
            model->setAdapterEnabled(!v.adapterDir.empty());
        auto &tok = caches.tokenizers[v.modelDir];
        if (!tok)
            tok = Tokenizer::load(v.modelDir);
        return std::make_unique<LocalEndpoint>(*model, *tok, v.identity, options.batchSize);
    }

    StoredSample sampleFor(const Cell &cell, size_t q, int s, const CellInputs &in)
    {
        StoredSample x;
        x.cell = cell.id;
        x.qidx = q;
        x.s.sample = s;
        x.cacheKey = in.keys[q][size_t(s)];
        return x;
    }

    void addContext(StoredSample &x, const CellInputs &in)
    {
        if (x.s.sample == 0 && !in.contexts[x.qidx].is_null())
            x.s.extra["context"] = in.contexts[x.qidx];
    }

    void runCell(const Cell &cell, const ResolvedVariant &v, std::unique_ptr<ModelEndpoint> &ep)
    {
        const int samples = cellSamples(r.e, cell);
        CellInputs in = buildCellInputs(ws, r, cell, caches);
        const size_t nq = in.keys.size();
        const size_t cellTotal = nq * size_t(samples);
        size_t cellDone = 0;
        std::vector<std::pair<size_t, int>> missing;
        for (size_t q = 0; q < nq; ++q)
            for (int s = 0; s < samples; ++s) {
                if (stored.count({cell.id, q, s}))
                    ++cellDone;
                else
                    missing.emplace_back(q, s);
            }
        if (missing.empty())
            return;
        progress(cell, cellDone, cellTotal, "starting");
        const std::vector<CompareQuestion> &qs = questions;

        // What the cache already holds is stored first, in one transaction.
        if (!noCache) {
            std::vector<StoredSample> hits;
            std::vector<std::pair<size_t, int>> still;
            for (const auto &[q, s] : missing) {
                auto c = cachedResponse(ws, in.keys[q][size_t(s)]);
                if (!c) {
                    still.emplace_back(q, s);
                    continue;
                }
                StoredSample x = sampleFor(cell, q, s, in);
                c->sample = s;
                x.s = std::move(*c);
                if (r.e.method != "loglik")
                    extractInto(x.s, qs[q].options);
                addContext(x, in);
                hits.push_back(std::move(x));
            }
            storeSamples(ws, run.id, hits, false, {});
            for (const StoredSample &x : hits)
                stored.insert({x.cell, x.qidx, x.s.sample});
            cellDone += hits.size();
            done += hits.size();
            missing = std::move(still);
        }
        if (missing.empty()) {
            progress(cell, cellDone, cellTotal, "from the cache");
            return;
        }
        throwIfCancelled();
        if (!ep)
            ep = endpointFor(v);
        const bool writeCache = !noCache;
        const Decoding &dec = r.e.decoding[cell.decoding];

        if (r.e.method == "loglik") {
            const size_t batch = size_t(std::max(1, ep->batchSize()));
            for (size_t begin = 0; begin < missing.size(); begin += batch) {
                throwIfCancelled();
                const size_t end = std::min(missing.size(), begin + batch);
                std::vector<ChoiceRequest> reqs;
                for (size_t k = begin; k < end; ++k)
                    reqs.push_back(in.choices[missing[k].first]);
                const auto scores = ep->score(reqs, cb.isCancelled);
                if (scores.size() < reqs.size())
                    throwIfCancelled();
                std::vector<StoredSample> out;
                for (size_t k = begin; k < end; ++k) {
                    const size_t q = missing[k].first;
                    const ChoiceScores &sc = scores[k - begin];
                    StoredSample x = sampleFor(cell, q, 0, in);
                    x.s.text = optionLetter(sc.best);
                    x.s.extracted = x.s.text;
                    x.s.extractNote = "loglik";
                    json lp = json::array();
                    for (const OptionScore &o : sc.options)
                        lp.push_back(o.logProb);
                    x.s.extra["logprobs"] = lp;
                    x.s.extra["best_norm"] = optionLetter(sc.bestNorm);
                    x.s.promptTokens = int(reqs[k - begin].prompt.size());
                    addContext(x, in);
                    out.push_back(std::move(x));
                }
                storeSamples(ws, run.id, out, writeCache, ep->identity());
                computed += out.size();
                cellDone += out.size();
                done += out.size();
                progress(cell, cellDone, cellTotal, "scored");
            }
            return;
        }

        // Generation. Local: fixed batches over the cell's (question, sample) list, each stored
        // whole, so a stopped run resumes with the same batches. Remote: every missing request
        // at once within the endpoint's limits, each stored as it arrives.
        auto requestFor = [&](size_t q, int s) {
            CompletionRequest req = in.requests[q];
            req.seed = dec.sampleSeed(s);
            return req;
        };
        auto finish = [&](size_t q, int s, Completion c) -> std::optional<StoredSample> {
            if (!c.ok()) {
                ++failures;
                if (firstFailure.empty())
                    firstFailure = c.error;
                return std::nullopt;
            }
            StoredSample x = sampleFor(cell, q, s, in);
            x.s.text = std::move(c.text);
            x.s.finishReason = c.finishReason;
            x.s.promptTokens = c.promptTokens;
            x.s.outputTokens = c.outputTokens;
            x.s.latencySeconds = c.latencySeconds;
            x.s.ttftSeconds = c.ttftSeconds;
            extractInto(x.s, qs[q].options);
            addContext(x, in);
            return x;
        };
        if (v.remote) {
            std::vector<CompletionRequest> reqs;
            for (const auto &[q, s] : missing)
                reqs.push_back(requestFor(q, s));
            ep->complete(
                reqs,
                [&](size_t i, Completion c) {
                    std::lock_guard<std::mutex> lock(mutex);
                    auto x = finish(missing[i].first, missing[i].second, std::move(c));
                    if (!x)
                        return;
                    storeSamples(ws, run.id, {*x}, writeCache, ep->identity());
                    ++computed;
                    ++cellDone;
                    ++done;
                    progress(cell, cellDone, cellTotal, "answered");
                },
                cb.isCancelled);
            throwIfCancelled();
            return;
        }
        const size_t batch = size_t(std::max(1, ep->batchSize()));
        std::set<std::pair<size_t, int>> want(missing.begin(), missing.end());
        for (size_t begin = 0; begin < cellTotal; begin += batch) {
            std::vector<std::pair<size_t, int>> chunk;
            for (size_t i = begin; i < std::min(cellTotal, begin + batch); ++i) {
                const std::pair<size_t, int> item{i / size_t(samples), int(i % size_t(samples))};
                if (want.count(item))
                    chunk.push_back(item);
            }
            if (chunk.empty())
                continue;
            throwIfCancelled();
            std::vector<CompletionRequest> reqs;
            for (const auto &[q, s] : chunk)
                reqs.push_back(requestFor(q, s));
            std::vector<StoredSample> out;
            ep->complete(
                reqs,
                [&](size_t i, Completion c) {
                    if (auto x = finish(chunk[i].first, chunk[i].second, std::move(c)))
                        out.push_back(std::move(*x));
                },
                cb.isCancelled);
            throwIfCancelled();
            storeSamples(ws, run.id, out, writeCache, ep->identity());
            computed += out.size();
            cellDone += out.size();
            done += out.size();
            progress(cell, cellDone, cellTotal, "answered");
        }
    }

    std::vector<CompareQuestion> questions{}; // the run's, as stored when it started

    void runAll()
    {
        questions = CompareStore(ws).questions(run.id);
        const std::vector<Cell> cells = experimentCells(r.e);
        for (const Cell &c : cells)
            total += size_t(cellSamples(r.e, c)) * questions.size();
        stored = storedSampleKeys(ws, run.id);
        done = stored.size();
        // Variants sharing a model folder run one after the other, so it loads once.
        std::vector<size_t> order;
        std::set<size_t> placed;
        for (size_t v = 0; v < r.variants.size(); ++v) {
            if (placed.count(v))
                continue;
            for (size_t w = v; w < r.variants.size(); ++w)
                if (!placed.count(w) && r.variants[w].remote == r.variants[v].remote &&
                    r.variants[w].modelDir == r.variants[v].modelDir &&
                    (r.variants[v].remote ? w == v : true)) {
                    order.push_back(w);
                    placed.insert(w);
                }
        }
        for (size_t v : order) {
            std::unique_ptr<ModelEndpoint> ep;
            for (const Cell &c : cells)
                if (c.variant == v) {
                    throwIfCancelled();
                    runCell(c, r.variants[v], ep);
                }
        }
    }
};

} // namespace

CompareResults runCompare(Workspace &ws, const std::string &runName, const CompareOptions &options,
                          const CompareCallbacks &callbacks)
{
    CompareStore store(ws);
    Runner runner{ws, options, callbacks, store.getRun(runName), {}};
    runner.noCache = options.noCache || runner.run.noCache;
    store.setState(runner.run.id, "running");
    try {
        runner.r = resolveExperiment(ws, runner.run.experiment, options, &runner.run.lineage);
        runner.runAll();
        runner.model.reset();
    } catch (const Error &e) {
        store.setState(runner.run.id, e.code() == ErrorCode::Cancelled ? "stopped" : "failed", e.message());
        throw;
    } catch (const std::exception &e) {
        store.setState(runner.run.id, "failed", e.what());
        throw;
    }
    if (runner.failures > 0) {
        const std::string msg = std::to_string(runner.failures) +
                                " requests failed (resume the run to retry them); the first: " +
                                runner.firstFailure;
        store.setState(runner.run.id, "failed", msg);
        throw Error(ErrorCode::Io, msg);
    }
    store.setState(runner.run.id, "finished");
    return store.results(runName);
}

JobSpec makeCompareJob(Workspace &ws, const std::string &run, CompareOptions options)
{
    const CompareRunInfo info = CompareStore(ws).getRun(run);
    JobSpec spec;
    spec.kind = "compare.run";
    spec.title = "Compare " + run;
    spec.lane = trainLane(options.device);
    spec.params = {{"run", run}, {"experiment", info.experiment.name}, {"device", options.device}};
    spec.work = [&ws, run, options = std::move(options)](JobContext &ctx) {
        CompareCallbacks cb;
        cb.isCancelled = [&ctx] { return ctx.isCancelled(); };
        cb.onProgress = [&ctx](const CompareProgress &p) {
            ctx.progress(p.total ? double(p.done) / double(p.total) : -1, p.message,
                         {{"samples", int64_t(p.done)},
                          {"samples_total", int64_t(p.total)},
                          {"cell_done", int64_t(p.cellDone)},
                          {"cell_total", int64_t(p.cellTotal)},
                          {"eta_s", int64_t(p.etaSeconds)}});
        };
        const CompareResults results = runCompare(ws, run, options, cb);
        json out = results.toJson(false);
        return json{{"run", run}, {"best", out.value("best", std::string())}, {"cells", out["cells"]},
                    {"ensembles", out["ensembles"]}};
    };
    return spec;
}

} // namespace wb
