#include "formats/checkpoint.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/strict_json.h"

#include <set>

namespace wb {

namespace fs = std::filesystem;

namespace {

constexpr const char *kSingleFile = "model.safetensors";
constexpr const char *kIndexFile = "model.safetensors.index.json";

bool isPickleWeights(const fs::path &p)
{
    const std::string name = p.filename().string();
    const std::string ext = p.extension().string();
    return ext == ".pt" || ext == ".pth" || ext == ".ckpt" ||
           (name.rfind("pytorch_model", 0) == 0 && ext == ".bin");
}

// A shard name from the index must stay inside the folder: "../x" or "/etc/x" in a downloaded
// index would otherwise make us map an arbitrary file.
bool isPlainFileName(const std::string &name)
{
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

} // namespace

std::unique_ptr<Checkpoint> Checkpoint::open(const fs::path &dir)
{
    const std::string label = dir.string();
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::NotFound, "not a model folder (no such directory)", label);

    std::unique_ptr<Checkpoint> cp(new Checkpoint);
    cp->m_dir = dir;

    // The order transformers uses: a single file wins over an index.
    if (fs::is_regular_file(dir / kSingleFile, ec)) {
        cp->m_files.push_back(SafetensorsFile::open(dir / kSingleFile));
        for (const TensorView &t : cp->m_files.front()->tensors())
            cp->m_tensors.emplace(t.name, &t);
        return cp;
    }

    if (!fs::is_regular_file(dir / kIndexFile, ec)) {
        std::vector<std::string> pickles;
        for (const auto &entry : fs::directory_iterator(dir, ec)) {
            if (entry.is_regular_file(ec) && isPickleWeights(entry.path()))
                pickles.push_back(entry.path().filename().string());
        }
        if (!pickles.empty())
            throw Error(ErrorCode::Unsupported,
                        "only pickle weights here (" + pickles.front() +
                            "); pickle files can run code when loaded; convert them to "
                            "safetensors (e.g. with transformers' "
                            "save_pretrained(safe_serialization=True))",
                        label);
        throw Error(ErrorCode::NotFound,
                    std::string("no weights: neither ") + kSingleFile + " nor " + kIndexFile,
                    label);
    }

    const std::string indexLabel = (dir / kIndexFile).string();
    const nlohmann::json index =
        formats::parseStrictJson(readFile(dir / kIndexFile), indexLabel, "index");
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
        throw Error(ErrorCode::Parse, "index has no \"weight_map\" object", indexLabel);
    const auto &weightMap = index["weight_map"];
    if (weightMap.empty())
        throw Error(ErrorCode::Validation, "index maps no tensors", indexLabel);

    // Open each shard once, in name order so files() is deterministic.
    std::map<std::string, std::vector<std::string>> byShard; // shard -> tensors mapped to it
    for (const auto &[tensor, shard] : weightMap.items()) {
        if (!shard.is_string() || !isPlainFileName(shard.get<std::string>()))
            throw Error(ErrorCode::Validation,
                        "tensor '" + tensor + "' is mapped to " + shard.dump() +
                            ", not a file name in the model folder",
                        indexLabel);
        byShard[shard.get<std::string>()].push_back(tensor);
    }
    std::map<std::string, const SafetensorsFile *> shardOf; // tensor -> shard holding it
    for (const auto &[shard, tensors] : byShard) {
        const fs::path path = dir / shard;
        if (!fs::is_regular_file(path, ec))
            throw Error(ErrorCode::NotFound,
                        "shard " + shard + " is missing from the folder (the index maps " +
                            std::to_string(tensors.size()) + " tensors to it, e.g. '" +
                            tensors.front() + "')",
                        indexLabel);
        cp->m_files.push_back(SafetensorsFile::open(path));
        const SafetensorsFile &file = *cp->m_files.back();
        for (const std::string &name : tensors) {
            if (!file.contains(name))
                throw Error(ErrorCode::Validation,
                            "the index maps '" + name + "' to " + shard +
                                ", but that shard does not contain it",
                            indexLabel);
            cp->m_tensors.emplace(name, &file.tensor(name));
        }
        for (const std::string &name : file.names()) {
            auto mapped = weightMap.find(name);
            if (mapped == weightMap.end())
                throw Error(ErrorCode::Validation,
                            "shard " + shard + " holds '" + name +
                                "', which the index does not list",
                            indexLabel);
            if (mapped->get<std::string>() != shard)
                throw Error(ErrorCode::Validation,
                            "shard " + shard + " also holds '" + name +
                                "', which the index maps to " + mapped->get<std::string>(),
                            indexLabel);
        }
    }
    return cp;
}

std::vector<std::string> Checkpoint::names() const
{
    std::vector<std::string> out;
    out.reserve(m_tensors.size());
    for (const auto &[name, view] : m_tensors)
        out.push_back(name);
    return out;
}

bool Checkpoint::contains(const std::string &name) const
{
    return m_tensors.count(name) != 0;
}

const TensorView &Checkpoint::tensor(const std::string &name) const
{
    auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        throw Error(ErrorCode::NotFound, "checkpoint has no tensor named '" + name + "'",
                    m_dir.string());
    return *it->second;
}

uint64_t Checkpoint::totalBytes() const
{
    uint64_t total = 0;
    for (const auto &[name, view] : m_tensors)
        total += view->bytes;
    return total;
}

std::vector<fs::path> Checkpoint::files() const
{
    std::vector<fs::path> out;
    for (const auto &f : m_files)
        out.push_back(f->path());
    return out;
}

} // namespace wb
