#pragma once

// Comparison runs (the Compare tab and `llmwb compare`): an Experiment run over its cells, every
// response stored in the workspace as it arrives, results computed from what is stored. A run
// stopped or killed resumes without recomputing anything stored and ends with the same records
// as an uninterrupted run. Torch-free header; the runner lives in compare_runner_engine.cpp.

#include "eval/experiment.h"
#include "formats/dtype.h"
#include "jobs/job.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wb {

class Workspace;
struct RemoteSettings;

// One sub-question of a run, fixed when the run starts.
struct CompareQuestion
{
    size_t qidx = 0;
    std::string recordId;
    size_t row = 0, question = 0; // question: 0-based
    std::string text;             // the sub-question
    std::vector<std::string> options;
    std::string expected;         // answer letter
    nlohmann::json fields;        // the record's scalar fields, plus "family" (its id prefix)
};

struct CompareSample
{
    int sample = 0;
    std::string text;
    std::string extracted;   // option letter, "" when nothing was extracted
    std::string extractNote; // extraction method, or why nothing was extracted
    std::string finishReason;
    int promptTokens = 0, outputTokens = 0;
    double latencySeconds = 0, ttftSeconds = 0;
    bool cached = false;
    nlohmann::json extra = nlohmann::json::object(); // loglik: "logprobs"; RAG: "context" (hits)
};

struct CellQuestion
{
    size_t qidx = 0;
    std::vector<CompareSample> samples; // in sample order; fewer than asked while running
    std::string voted;                  // majority of the extracted samples, "" = none
    bool correct = false;
    bool complete = false;              // every sample is in
};

struct CellResult
{
    std::string id, label, model, adapter, templ, method;
    nlohmann::json rag, decoding;       // RagSetting::toJson, Decoding::toJson
    int samples = 1;                    // per question
    std::vector<std::string> members;   // ensembles: the member cell ids
    size_t answered = 0;    // questions with every sample in
    size_t correct = 0;
    size_t unextracted = 0; // answered questions whose vote is empty
    double accuracy = 0;
    std::pair<double, double> ci95{0, 0};
    double meanOutputTokens = 0, meanLatency = 0, meanTtft = 0, tokensPerSecond = 0;
    size_t cachedSamples = 0, doneSamples = 0, totalSamples = 0;
    std::vector<CellQuestion> questions; // one per run question, in order

    bool done() const { return doneSamples == totalSamples; }
    nlohmann::json toJson(const std::vector<CompareQuestion> &qs, bool withQuestions) const;
};

struct CompareRunInfo
{
    int64_t id = 0;
    std::string name, state, error, createdAt, finishedAt;
    bool noCache = false;
    Experiment experiment;
    nlohmann::json lineage;
};

struct CompareResults
{
    CompareRunInfo run;
    std::vector<CompareQuestion> questions;
    std::vector<CellResult> cells;
    std::vector<CellResult> ensembles;

    const CellResult *find(const std::string &id) const; // a cell or an ensemble
    // results.json (README "Compare"): {"run", "experiment", "cells": [...], "ensembles": [...]}.
    nlohmann::json toJson(bool withQuestions = true) const;
    size_t doneSamples() const;
    size_t totalSamples() const;
    // The best cell by accuracy (ties: the first), or nullptr when nothing is answered.
    const CellResult *best() const;
};

// Paired comparison of two cells (or ensembles) over the questions both answered.
struct CellDiff
{
    std::string a, b;
    size_t paired = 0, bothRight = 0, bothWrong = 0;
    size_t onlyA = 0; // McNemar's b: a right, b wrong
    size_t onlyB = 0; // McNemar's c
    double p = 1;     // exact McNemar
    std::vector<size_t> disagree; // qidx where the two votes differ
    nlohmann::json toJson(const CompareResults &r) const;
};
CellDiff diffCells(const CompareResults &r, const std::string &a, const std::string &b);

// Accuracy when each question's vote uses only its first k samples, k = 1 .. samples.
std::vector<double> accuracyByVotes(const CellResult &cell, const CompareResults &r);

struct GroupAccuracy
{
    std::string group;
    size_t answered = 0, correct = 0;
    double accuracy() const { return answered ? double(correct) / double(answered) : 0; }
};
// Fields of the questions worth grouping by (few distinct values): "family" first.
std::vector<std::string> breakdownFields(const CompareResults &r);
std::vector<GroupAccuracy> breakdown(const CellResult &cell, const CompareResults &r,
                                     const std::string &field);

// csv | json | md: the matrix (json: results.json). Throws Error(Validation) for another format.
std::string exportResults(const CompareResults &r, const std::string &format);
// The dataset's own shape (logic JSONL) with each question's predicted answer in "answer",
// for `cell` (a cell or ensemble id; "" = the best cell). Reads the run's dataset file.
std::string exportSubmission(Workspace &ws, const CompareResults &r, const std::string &cell);

// --- the workspace side -------------------------------------------------------------------

class CompareStore final
{
public:
    explicit CompareStore(Workspace &ws) : m_ws(ws) {}

    std::vector<CompareRunInfo> listRuns(); // newest first
    std::optional<CompareRunInfo> findRun(const std::string &name);
    CompareRunInfo getRun(const std::string &name); // throws NotFound naming it
    CompareResults results(const std::string &name);
    // A run's questions alone (results() without reading any sample).
    std::vector<CompareQuestion> questions(int64_t runId);
    void removeRun(const std::string &name);
    void setState(int64_t runId, const std::string &state, const std::string &error = {});

    // Saved experiment definitions.
    void saveExperiment(const Experiment &e); // by e.name, replacing
    std::vector<Experiment> experiments();
    std::optional<Experiment> findExperiment(const std::string &name);
    void removeExperiment(const std::string &name);

private:
    Workspace &m_ws;
};

struct CompareOptions
{
    bool noCache = false;       // neither read nor write the response cache
    std::string device = "cpu"; // local models
    DType dtype = DType::F32;
    int threads = 0;
    int batchSize = 8;          // local: sequences per batch
    // The app reads remote keys from the keychain; empty result: the endpoint's apiKeyEnv.
    std::function<std::string(const RemoteSettings &)> apiKeyFor;
};

struct CompareProgress
{
    std::string cell;         // the cell working now
    size_t cellDone = 0, cellTotal = 0; // its samples
    size_t done = 0, total = 0;         // the run's samples
    size_t computed = 0;      // samples computed (not from the run or the cache) this session
    double etaSeconds = -1;
    std::string message;
};

struct CompareCallbacks
{
    std::function<void(const CompareProgress &)> onProgress;
    std::function<bool()> isCancelled;
};

// What the runner will do for an experiment, before starting: cells, questions and calls.
struct ComparePlan
{
    size_t cells = 0, questions = 0, samples = 0; // samples = calls without the cache
    size_t cached = 0;                            // of those, already in the response cache
};

// Resolves the experiment (dataset, templates, models, adapters, collections) and records a new
// run with its lineage and questions. Throws Error(Validation/NotFound) naming what is wrong,
// before anything is written. `name` "" picks "<experiment>-<n>".
CompareRunInfo createCompareRun(Workspace &ws, const Experiment &e, const std::string &name = {},
                                bool noCache = false);
// Counts the work (no model is loaded) and what the response cache already holds.
ComparePlan planCompare(Workspace &ws, const Experiment &e, const CompareOptions &options = {});

// Runs or resumes a run until every sample is stored (state "finished") or it is cancelled
// (state "stopped"; everything finished is kept). Throws Error(Cancelled) when cancelled, other
// errors after marking the run "failed".
CompareResults runCompare(Workspace &ws, const std::string &run, const CompareOptions &options,
                          const CompareCallbacks &callbacks = {});

// kind "compare.run": runCompare as a job on the device's lane; counters "samples",
// "samples_total"; the result is {"run", "best", "cells": [...without questions]}.
JobSpec makeCompareJob(Workspace &ws, const std::string &run, CompareOptions options);

} // namespace wb
