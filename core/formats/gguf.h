#pragma once

// GGUF v3, the file format of llama.cpp: a writer that streams tensor data to disk (temp file,
// fsync, rename) and a validating reader. Layout and type codes: FORMATS.md "GGUF (llama.cpp)".

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wb {

// Metadata value types, as numbered by the GGUF spec.
enum class GgufType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};
const char *ggufTypeName(GgufType type);

// A metadata value: a scalar, or an array of scalars (arrays of arrays are not supported; no
// llama.cpp key uses them). Integers and bools live in `i` / `ints`, floats in `f` / `floats`,
// strings in `s` / `strs`; u64 values are kept bit-for-bit in the int64 fields.
struct GgufValue
{
    GgufType type = GgufType::U32;
    GgufType elemType = GgufType::U32; // for arrays
    int64_t i = 0;
    double f = 0;
    std::string s;
    std::vector<int64_t> ints;
    std::vector<double> floats;
    std::vector<std::string> strs;

    static GgufValue u32(uint32_t v);
    static GgufValue i32(int32_t v);
    static GgufValue u64(uint64_t v);
    static GgufValue f32(float v);
    static GgufValue boolean(bool v);
    static GgufValue string(std::string v);
    static GgufValue stringArray(std::vector<std::string> v);
    static GgufValue intArray(GgufType elem, std::vector<int64_t> v);
    static GgufValue floatArray(GgufType elem, std::vector<double> v);

    size_t arraySize() const; // 0 for scalars
};

// Tensor element types (ggml's numbering) this project reads and writes.
enum class GgmlType : uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, BF16 = 30 };
const char *ggmlTypeName(GgmlType type);
// Bytes of a row of `n` elements; Q8_0 needs n to be a multiple of 32 (34 bytes per block:
// f16 scale + 32 int8). Throws Error(Validation) otherwise.
uint64_t ggmlRowBytes(GgmlType type, int64_t n);

// llama.cpp's quantize_row_q8_0_ref, bit for bit: per block of 32, d = max|x| / 127 stored as
// f16, q = roundf(x · (1/d)). `n` must be a multiple of 32.
void quantizeQ8_0(const float *x, int64_t n, uint8_t *out);
// Float data converted to `type` (row length for Q8_0 is the tensor's ne[0]).
std::vector<uint8_t> encodeTensor(GgmlType type, const float *x, int64_t n);
// The inverse: any supported type back to float.
std::vector<float> decodeTensor(GgmlType type, const uint8_t *data, int64_t n);

// Long work reports a fraction and a message; returning false cancels (Error(Cancelled)).
using ExportProgress = std::function<bool(double fraction, const std::string &message)>;

class GgufWriter final
{
public:
    GgufWriter();

    // Keys keep their first insertion order; setting a key again replaces its value.
    void set(const std::string &key, GgufValue value);
    // Declares a tensor; `shape` is row-major as in PyTorch ([out, in]); the file stores it
    // reversed (ne = [in, out]). Throws Error(Validation) for a duplicate name, a bad shape, or
    // a Q8_0 tensor whose rows are not a multiple of 32.
    void addTensor(const std::string &name, GgmlType type, std::vector<int64_t> shape);
    size_t tensorCount() const { return m_tensors.size(); }
    uint64_t tensorBytes(size_t index) const;
    uint32_t alignment() const { return m_alignment; }

    // Fills `bytes` with tensor `index`'s data in its declared type (called once per tensor,
    // in declaration order).
    using TensorData = std::function<void(size_t index, std::vector<uint8_t> &bytes)>;
    // Writes header, metadata, tensor infos and the data (each tensor aligned) to a temporary
    // file beside `file`, fsyncs and renames it over `file`. A failure or a cancel removes the
    // temporary file and leaves `file` untouched.
    void write(const std::filesystem::path &file, const TensorData &data,
               const ExportProgress &progress = {}) const;

private:
    struct Tensor
    {
        std::string name;
        GgmlType type;
        std::vector<int64_t> shape;
        uint64_t bytes = 0;
        uint64_t offset = 0;
    };
    std::string header() const;

    std::vector<std::pair<std::string, GgufValue>> m_kv;
    std::vector<Tensor> m_tensors;
    uint32_t m_alignment = 32;
};

// A GGUF file mapped read-only and validated: bad magic or version, truncation, unknown
// types, oversized counts or strings, duplicate keys or tensor names, misaligned, overlapping
// or out-of-range tensor data are Error(Parse) naming the file.
class GgufFile final
{
public:
    struct Tensor
    {
        std::string name;
        GgmlType type = GgmlType::F32;
        std::vector<int64_t> ne; // as stored: innermost first
        uint64_t offset = 0;     // relative to the data section
        const uint8_t *data = nullptr;
        uint64_t bytes = 0;
        int64_t numel() const;
    };

    static std::unique_ptr<GgufFile> open(const std::filesystem::path &file);
    static std::unique_ptr<GgufFile> fromBuffer(std::string bytes, std::string label);
    ~GgufFile();
    GgufFile(const GgufFile &) = delete;
    GgufFile &operator=(const GgufFile &) = delete;

    uint32_t version() const { return m_version; }
    uint32_t alignment() const { return m_alignment; }
    uint64_t dataOffset() const { return m_dataOffset; }
    const std::vector<std::pair<std::string, GgufValue>> &metadata() const { return m_kv; }
    const GgufValue *find(const std::string &key) const; // nullptr when absent
    // Throws Error(NotFound) when absent, Error(Validation) when of another type.
    const GgufValue &get(const std::string &key, GgufType type) const;
    const std::vector<Tensor> &tensors() const { return m_tensors; }
    const Tensor *findTensor(const std::string &name) const;
    std::vector<float> toFloat(const Tensor &tensor) const;

private:
    GgufFile() = default;
    void parse();

    std::string m_label;
    std::string m_buffer;
    void *m_mapping = nullptr;
    const uint8_t *m_bytes = nullptr;
    size_t m_size = 0;
    uint32_t m_version = 0;
    uint32_t m_alignment = 32;
    uint64_t m_dataOffset = 0;
    std::vector<std::pair<std::string, GgufValue>> m_kv;
    std::vector<Tensor> m_tensors;
};

} // namespace wb
