#pragma once

// What the Compare runner resolves from an experiment before it asks any model: the dataset's
// records and questions, template bodies, each variant's endpoint, and per cell the requests,
// retrieved passages and cache keys. Shared by compare_plan.cpp (torch-free) and the runner.

#include "eval/compare.h"
#include "remote/remote_endpoint.h"

#include "data/dataset.h"

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <memory>

namespace wb {

class Tokenizer;
class ChatTemplate;
namespace rag {
class KnowledgeBase;
}

struct ResolvedVariant
{
    bool remote = false;
    std::string modelDir;   // local
    std::string adapterDir; // local ("" for none)
    RemoteSettings settings; // remote
    std::string identity;   // the response cache's endpoint identity
    nlohmann::json lineage;
};

struct ResolvedExperiment
{
    Experiment e;
    std::string datasetName, datasetFile, contentHash;
    std::vector<DatasetRecord> records; // the selected problems
    std::vector<std::string> templateBodies;
    std::vector<ResolvedVariant> variants;
    nlohmann::json lineage;
};

// dtype/device name the local identity ("cpu/F32").
std::string localComputeTag(const CompareOptions &options);

// Resolves everything; with `lineage` (a stored run's) the dataset file, template bodies and
// model folders are the run's, and a model folder whose fingerprint changed is an error.
ResolvedExperiment resolveExperiment(Workspace &ws, const Experiment &e,
                                     const CompareOptions &options,
                                     const nlohmann::json *lineage = nullptr);

// The run's questions from the selected records (unanswered sub-questions included).
std::vector<CompareQuestion> questionsOf(const std::vector<DatasetRecord> &records);

// Shared across cells: tokenizers and chat templates per model folder, open knowledge bases.
struct InputCaches
{
    std::map<std::string, std::shared_ptr<Tokenizer>> tokenizers;
    std::map<std::string, std::shared_ptr<ChatTemplate>> chats;
    std::map<std::string, std::shared_ptr<rag::KnowledgeBase>> kbs;
    ~InputCaches();
};

struct CellInputs
{
    std::vector<CompletionRequest> requests; // generate: one per question (seed set per sample)
    std::vector<ChoiceRequest> choices;      // loglik: one per question
    std::vector<nlohmann::json> contexts;    // per question: retrieved passages, or null
    std::vector<std::vector<std::string>> keys; // [question][sample] response cache keys
};

CellInputs buildCellInputs(Workspace &ws, const ResolvedExperiment &r, const Cell &cell,
                           InputCaches &caches);

// Sample rows as stored, and the response cache.
struct StoredSample
{
    std::string cell;
    size_t qidx = 0;
    CompareSample s;
    std::string cacheKey;
};
void storeSamples(Workspace &ws, int64_t runId, const std::vector<StoredSample> &samples,
                  bool writeCache, const std::string &endpoint);
std::optional<CompareSample> cachedResponse(Workspace &ws, const std::string &key);
// (cell, qidx, sample) already stored for a run.
std::set<std::tuple<std::string, size_t, int>> storedSampleKeys(Workspace &ws, int64_t runId);

// Extraction of a generated answer into a sample.
void extractInto(CompareSample &s, const std::vector<std::string> &options);

} // namespace wb
