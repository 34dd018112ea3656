#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Workspace;

// What a model folder holds, read without loading any weights: enough to list it, and every
// reason it cannot be loaded.
struct ModelFolderInfo
{
    std::filesystem::path path;
    bool ok = false;
    std::vector<std::string> problems; // why it cannot be used; empty when ok
    std::vector<std::string> warnings;
    std::string architecture;          // from config.json
    std::string modelType;
    uint64_t parameters = 0;
    std::string dtype;                 // stored weight dtype ("BF16", "F32", mixed: "F32+BF16")
    uint64_t sizeOnDisk = 0;           // weights files
    std::string tokenizer;             // "bpe", "sentencepiece" or "" when missing
    std::string chatFamily;            // "chatml", "llama3", ... , "custom", or "" when none
    int64_t layers = 0, hidden = 0, heads = 0, kvHeads = 0, vocab = 0, contextLength = 0;
    std::string rope;                  // "default", "llama3 ×8", ...

    nlohmann::json toJson() const;
    static ModelFolderInfo fromJson(const nlohmann::json &j);
};

ModelFolderInfo inspectModelFolder(const std::filesystem::path &dir);

struct ModelEntry
{
    int64_t id = 0;
    std::string name;
    ModelFolderInfo info;
    std::string addedAt;
};

// Local model folders registered in the workspace (the folders stay where they are).
class ModelStore final
{
public:
    explicit ModelStore(Workspace &ws) : m_ws(ws) {}

    // Inspects and registers a folder; a broken folder is registered too, so the user sees
    // what is wrong with it. Returns the entry. Throws Conflict when the folder is already
    // registered (naming it) and Io when it is not a folder.
    ModelEntry add(const std::filesystem::path &dir, std::string name = {});
    std::vector<ModelEntry> list();
    std::optional<ModelEntry> find(const std::string &name);
    ModelEntry get(const std::string &name);
    // Re-inspects (after the user fixed the folder).
    ModelEntry refresh(const std::string &name);
    void remove(const std::string &name);

private:
    Workspace &m_ws;
};

} // namespace wb
