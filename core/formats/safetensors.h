#pragma once

#include "formats/dtype.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace wb {

// A tensor inside a mapped file; valid while its file is open. Data is little-endian,
// row-major, contiguous. It is aligned to the element size only when the writer aligned it
// (the reference writer and SafetensorsWriter do); a consumer that needs alignment must check
// and copy.
struct TensorView
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape; // [] is a scalar (one element)
    const uint8_t *data = nullptr;
    size_t bytes = 0;

    int64_t numel() const;
};

// A read-only safetensors file, memory-mapped (MAP_PRIVATE, PROT_READ) so that a 15 GB
// checkpoint costs no copy. open() makes every check of FORMATS.md before handing out a view:
// a malformed file is an Error(Parse) naming the file, never a crash or an out-of-bounds read.
class SafetensorsFile final
{
public:
    static std::unique_ptr<SafetensorsFile> open(const std::filesystem::path &file);
    // For tests and fuzzing: the same checks on bytes in memory; `label` stands in for the path.
    static std::unique_ptr<SafetensorsFile> fromBuffer(std::string bytes, std::string label);

    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile &) = delete;
    SafetensorsFile &operator=(const SafetensorsFile &) = delete;

    const std::vector<std::string> &names() const { return m_names; } // in data-offset order
    bool contains(const std::string &name) const;
    // Throws Error(NotFound) naming the file and the tensor.
    const TensorView &tensor(const std::string &name) const;
    const std::vector<TensorView> &tensors() const { return m_tensors; } // data-offset order
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }
    const std::filesystem::path &path() const { return m_path; }
    uint64_t dataBytes() const { return m_dataBytes; } // size of the data buffer

private:
    SafetensorsFile() = default;
    void parse(const std::string &label);

    std::filesystem::path m_path;
    const uint8_t *m_bytes = nullptr; // whole file: mapping or m_buffer
    size_t m_size = 0;
    void *m_mapping = nullptr;
    std::string m_buffer;
    uint64_t m_dataBytes = 0;
    std::vector<TensorView> m_tensors;
    std::vector<std::string> m_names;
    std::unordered_map<std::string, size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

// Builds a safetensors file in the reference layout: __metadata__ first, tensors sorted by
// element size (largest first) then name so every tensor stays aligned to its element size,
// header padded with spaces to a multiple of 8.
class SafetensorsWriter final
{
public:
    // Copies `bytes` bytes of `data`. Throws Error(Validation) for a duplicate or reserved name,
    // a negative dimension, or a byte count that does not match the shape and dtype.
    void add(const std::string &name, DType dtype, std::vector<int64_t> shape, const void *data,
             size_t bytes);
    void setMetadata(const std::string &key, const std::string &value);

    // Atomic: streams to a temporary file in the same folder, fsyncs, renames over `file`.
    void write(const std::filesystem::path &file) const;
    std::string toBytes() const;

private:
    struct Entry
    {
        std::string name;
        DType dtype;
        std::vector<int64_t> shape;
        std::vector<uint8_t> data;
    };
    std::vector<const Entry *> ordered() const;
    std::string header(const std::vector<const Entry *> &order) const; // with length prefix

    std::vector<Entry> m_entries;
    std::map<std::string, std::string> m_metadata;
};

} // namespace wb
