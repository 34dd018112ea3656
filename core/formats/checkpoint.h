#pragma once

#include "formats/safetensors.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wb {

// A model folder's weights: model.safetensors, or shards listed by
// model.safetensors.index.json ({"weight_map": {"<tensor>": "<shard file>"}}). open() checks
// that every shard exists and parses, that every mapped tensor is in its shard, and that no
// shard holds a tensor the index puts elsewhere or does not list. A folder with only pickle
// weights (pytorch_model*.bin, *.pt, *.pth) is refused with Error(Unsupported): pickle files
// can run code when loaded.
class Checkpoint final
{
public:
    static std::unique_ptr<Checkpoint> open(const std::filesystem::path &dir);

    std::vector<std::string> names() const; // sorted
    bool contains(const std::string &name) const;
    // Throws Error(NotFound) naming the folder and the tensor.
    const TensorView &tensor(const std::string &name) const;
    uint64_t totalBytes() const;                      // sum of tensor bytes
    std::vector<std::filesystem::path> files() const; // the safetensors files, in shard order
    const std::filesystem::path &dir() const { return m_dir; }

private:
    Checkpoint() = default;

    std::filesystem::path m_dir;
    std::vector<std::unique_ptr<SafetensorsFile>> m_files;
    std::map<std::string, const TensorView *> m_tensors;
};

} // namespace wb
