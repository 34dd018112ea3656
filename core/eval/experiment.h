#pragma once

// An experiment (EXPERIMENT.json, README "Compare"): a dataset × model variants × prompt
// templates × RAG settings × decodings, scored by one method. Every combination is a cell;
// cells are the cross product in the order variants × templates × rag × decoding, with ids
// c0, c1, ... in that order. Ensembles vote across cells. Torch-free.

#include "eval/endpoint.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wb {

struct Variant
{
    std::string model;   // a workspace model name, a remote endpoint name, or a model folder
    std::string adapter; // a training run name, a run folder or a PEFT folder ("" for none)
    std::string label;   // shown in the matrix ("" -> model [+ adapter])

    std::string displayName() const;
};

struct RagSetting
{
    bool enabled = false;
    std::string collection;
    int k = 4;

    std::string displayName() const; // "off" or "<collection> k=4"
    nlohmann::json toJson() const;   // null or {"collection", "k"}
};

struct Ensemble
{
    std::string label;
    std::vector<std::string> members; // cell ids
};

struct Experiment
{
    std::string name;
    std::string dataset;               // workspace dataset name or file
    std::string split = "all";         // all | train | eval
    size_t limit = 0;                  // problems, 0: all
    std::string method = "generate";   // generate | loglik
    std::vector<Variant> variants;
    std::vector<std::string> templates;
    bool chatTemplate = false;
    std::vector<RagSetting> rag{RagSetting{}};
    std::vector<Decoding> decoding{Decoding{}};
    std::vector<Ensemble> ensembles;
    // Not in the contract's list but accepted: how `split` cuts the dataset (as `llmwb train`).
    double evalFraction = 0.1;
    uint64_t splitSeed = 42;

    // Strict: an unknown key, a wrong type or an out-of-range value is an Error(Validation)
    // naming the key (and the list entry). `where` prefixes messages (a file name).
    static Experiment fromJson(const nlohmann::json &j, const std::string &where = "experiment");
    static Experiment fromFile(const std::string &path);
    nlohmann::json toJson() const;
};

struct Cell
{
    std::string id; // "c0", "c1", ...
    size_t variant = 0, templ = 0, rag = 0, decoding = 0;
};

// The cross product, in order. A loglik experiment still has a cell per decoding (each scored
// once: decoding does not change a log-likelihood).
std::vector<Cell> experimentCells(const Experiment &e);
// Samples a cell asks for per question: 1 for loglik, else its decoding's samples.
int cellSamples(const Experiment &e, const Cell &c);
// "demo-model + lora · logic-direct · rag off · greedy"
std::string cellLabel(const Experiment &e, const Cell &c);

} // namespace wb
