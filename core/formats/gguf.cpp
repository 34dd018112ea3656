#include "formats/gguf.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/dtype.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace wb {

namespace {

constexpr uint32_t kMaxDims = 4; // GGML_MAX_DIMS

bool isFloatType(GgufType t)
{
    return t == GgufType::F32 || t == GgufType::F64;
}

uint64_t alignUp(uint64_t x, uint64_t a)
{
    return (x + a - 1) / a * a;
}

template<typename T>
void put(std::string &out, T v)
{
    out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

void putString(std::string &out, const std::string &s)
{
    put<uint64_t>(out, s.size());
    out += s;
}

void putScalar(std::string &out, GgufType t, int64_t i, double f)
{
    switch (t) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::Bool:
        put<uint8_t>(out, uint8_t(i));
        break;
    case GgufType::U16:
    case GgufType::I16:
        put<uint16_t>(out, uint16_t(i));
        break;
    case GgufType::U32:
    case GgufType::I32:
        put<uint32_t>(out, uint32_t(i));
        break;
    case GgufType::U64:
    case GgufType::I64:
        put<uint64_t>(out, uint64_t(i));
        break;
    case GgufType::F32:
        put<float>(out, float(f));
        break;
    case GgufType::F64:
        put<double>(out, f);
        break;
    default:
        throw Error(ErrorCode::Internal, "GGUF: not a scalar type");
    }
}

void writeAll(int fd, const char *p, size_t n, const std::filesystem::path &file)
{
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            throw Error(ErrorCode::Io, "cannot write: " + std::string(std::strerror(errno)),
                        file.string());
        }
        p += w;
        n -= size_t(w);
    }
}

} // namespace

const char *ggufTypeName(GgufType t)
{
    static const char *names[] = {"u8",  "i8",     "u16",    "i16",   "u32", "i32", "f32",
                                  "bool", "string", "array", "u64",   "i64", "f64"};
    const auto i = uint32_t(t);
    return i < 13 ? names[i] : "unknown";
}

const char *ggmlTypeName(GgmlType t)
{
    switch (t) {
    case GgmlType::F32:
        return "F32";
    case GgmlType::F16:
        return "F16";
    case GgmlType::Q8_0:
        return "Q8_0";
    case GgmlType::BF16:
        return "BF16";
    }
    return "unknown";
}

GgufValue GgufValue::u32(uint32_t v) { GgufValue r; r.type = GgufType::U32; r.i = v; return r; }
GgufValue GgufValue::i32(int32_t v) { GgufValue r; r.type = GgufType::I32; r.i = v; return r; }
GgufValue GgufValue::u64(uint64_t v) { GgufValue r; r.type = GgufType::U64; r.i = int64_t(v); return r; }
GgufValue GgufValue::f32(float v) { GgufValue r; r.type = GgufType::F32; r.f = v; return r; }
GgufValue GgufValue::boolean(bool v) { GgufValue r; r.type = GgufType::Bool; r.i = v; return r; }
GgufValue GgufValue::string(std::string v) { GgufValue r; r.type = GgufType::String; r.s = std::move(v); return r; }

GgufValue GgufValue::stringArray(std::vector<std::string> v)
{
    GgufValue r;
    r.type = GgufType::Array;
    r.elemType = GgufType::String;
    r.strs = std::move(v);
    return r;
}

GgufValue GgufValue::intArray(GgufType elem, std::vector<int64_t> v)
{
    GgufValue r;
    r.type = GgufType::Array;
    r.elemType = elem;
    r.ints = std::move(v);
    return r;
}

GgufValue GgufValue::floatArray(GgufType elem, std::vector<double> v)
{
    GgufValue r;
    r.type = GgufType::Array;
    r.elemType = elem;
    r.floats = std::move(v);
    return r;
}

size_t GgufValue::arraySize() const
{
    if (type != GgufType::Array)
        return 0;
    if (elemType == GgufType::String)
        return strs.size();
    return isFloatType(elemType) ? floats.size() : ints.size();
}

uint64_t ggmlRowBytes(GgmlType type, int64_t n)
{
    switch (type) {
    case GgmlType::F32:
        return uint64_t(n) * 4;
    case GgmlType::F16:
    case GgmlType::BF16:
        return uint64_t(n) * 2;
    case GgmlType::Q8_0:
        if (n % 32 != 0)
            throw Error(ErrorCode::Validation,
                        "Q8_0 needs rows of a multiple of 32 elements, not " + std::to_string(n));
        return uint64_t(n / 32) * 34;
    }
    throw Error(ErrorCode::Validation, "unknown ggml type " + std::to_string(uint32_t(type)));
}

void quantizeQ8_0(const float *x, int64_t n, uint8_t *out)
{
    for (int64_t b = 0; b < n / 32; ++b) {
        const float *v = x + b * 32;
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j)
            amax = std::max(amax, std::fabs(v[j]));
        const float d = amax / ((1 << 7) - 1);
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        const uint16_t dh = f32ToF16(d);
        uint8_t *blk = out + b * 34;
        std::memcpy(blk, &dh, 2);
        for (int j = 0; j < 32; ++j)
            blk[2 + j] = uint8_t(int8_t(std::roundf(v[j] * id)));
    }
}

std::vector<uint8_t> encodeTensor(GgmlType type, const float *x, int64_t n)
{
    std::vector<uint8_t> out(ggmlRowBytes(type, n));
    switch (type) {
    case GgmlType::F32:
        std::memcpy(out.data(), x, size_t(n) * 4);
        break;
    case GgmlType::F16:
    case GgmlType::BF16: {
        auto *o = reinterpret_cast<uint16_t *>(out.data());
        for (int64_t i = 0; i < n; ++i)
            o[i] = type == GgmlType::F16 ? f32ToF16(x[i]) : f32ToBf16(x[i]);
        break;
    }
    case GgmlType::Q8_0:
        quantizeQ8_0(x, n, out.data());
        break;
    }
    return out;
}

std::vector<float> decodeTensor(GgmlType type, const uint8_t *data, int64_t n)
{
    std::vector<float> out(static_cast<size_t>(n));
    switch (type) {
    case GgmlType::F32:
        std::memcpy(out.data(), data, size_t(n) * 4);
        break;
    case GgmlType::F16:
    case GgmlType::BF16:
        for (int64_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, data + 2 * i, 2);
            out[size_t(i)] = type == GgmlType::F16 ? f16ToF32(h) : bf16ToF32(h);
        }
        break;
    case GgmlType::Q8_0:
        for (int64_t b = 0; b < n / 32; ++b) {
            uint16_t dh;
            std::memcpy(&dh, data + b * 34, 2);
            const float d = f16ToF32(dh);
            for (int j = 0; j < 32; ++j)
                out[size_t(b * 32 + j)] = d * float(int8_t(data[b * 34 + 2 + j]));
        }
        break;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------

GgufWriter::GgufWriter() = default;

void GgufWriter::set(const std::string &key, GgufValue value)
{
    if (key.empty())
        throw Error(ErrorCode::Validation, "GGUF metadata keys cannot be empty");
    if (key == "general.alignment") {
        if (value.type != GgufType::U32 || value.i <= 0 || (value.i & (value.i - 1)) != 0)
            throw Error(ErrorCode::Validation, "general.alignment must be a u32 power of two");
        m_alignment = uint32_t(value.i);
    }
    for (auto &kv : m_kv)
        if (kv.first == key) {
            kv.second = std::move(value);
            return;
        }
    m_kv.emplace_back(key, std::move(value));
}

void GgufWriter::addTensor(const std::string &name, GgmlType type, std::vector<int64_t> shape)
{
    if (name.empty())
        throw Error(ErrorCode::Validation, "GGUF tensor names cannot be empty");
    for (const auto &t : m_tensors)
        if (t.name == name)
            throw Error(ErrorCode::Validation, "GGUF tensor '" + name + "' is added twice");
    if (shape.empty() || shape.size() > kMaxDims)
        throw Error(ErrorCode::Validation,
                    "GGUF tensor '" + name + "' must have 1 to 4 dimensions");
    int64_t rows = 1;
    for (size_t i = 0; i + 1 < shape.size(); ++i)
        rows *= shape[i];
    for (auto d : shape)
        if (d <= 0)
            throw Error(ErrorCode::Validation, "GGUF tensor '" + name + "' has a zero or negative dimension");
    Tensor t{name, type, std::move(shape), 0, 0};
    try {
        t.bytes = ggmlRowBytes(type, t.shape.back()) * uint64_t(rows);
    } catch (const Error &e) {
        throw Error(e.code(), "GGUF tensor '" + name + "': " + e.message());
    }
    m_tensors.push_back(std::move(t));
}

uint64_t GgufWriter::tensorBytes(size_t index) const
{
    return m_tensors.at(index).bytes;
}

std::string GgufWriter::header() const
{
    std::string out = "GGUF";
    put<uint32_t>(out, 3);
    put<uint64_t>(out, m_tensors.size());
    put<uint64_t>(out, m_kv.size());
    for (const auto &[key, v] : m_kv) {
        putString(out, key);
        put<uint32_t>(out, uint32_t(v.type));
        if (v.type == GgufType::String) {
            putString(out, v.s);
        } else if (v.type == GgufType::Array) {
            put<uint32_t>(out, uint32_t(v.elemType));
            put<uint64_t>(out, v.arraySize());
            if (v.elemType == GgufType::String)
                for (const auto &s : v.strs)
                    putString(out, s);
            else if (isFloatType(v.elemType))
                for (double f : v.floats)
                    putScalar(out, v.elemType, 0, f);
            else
                for (int64_t i : v.ints)
                    putScalar(out, v.elemType, i, 0);
        } else {
            putScalar(out, v.type, v.i, v.f);
        }
    }
    uint64_t offset = 0;
    for (const auto &t : m_tensors) {
        putString(out, t.name);
        put<uint32_t>(out, uint32_t(t.shape.size()));
        for (auto it = t.shape.rbegin(); it != t.shape.rend(); ++it)
            put<uint64_t>(out, uint64_t(*it));
        put<uint32_t>(out, uint32_t(t.type));
        put<uint64_t>(out, offset);
        offset = alignUp(offset + t.bytes, m_alignment);
    }
    out.resize(alignUp(out.size(), m_alignment), '\0');
    return out;
}

void GgufWriter::write(const std::filesystem::path &file, const TensorData &data,
                       const ExportProgress &progress) const
{
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%016llx",
                  static_cast<unsigned long long>(std::random_device{}() * 2654435761ull ^
                                                  uint64_t(::getpid())));
    const std::filesystem::path tmp = file.string() + suffix;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ErrorCode::Io, "cannot create: " + std::string(std::strerror(errno)),
                    tmp.string());
    try {
        std::string head = header();
        writeAll(fd, head.data(), head.size(), tmp);
        uint64_t total = 0, done = 0;
        for (const auto &t : m_tensors)
            total += t.bytes;
        std::vector<uint8_t> bytes;
        const std::string zeros(m_alignment, '\0');
        for (size_t i = 0; i < m_tensors.size(); ++i) {
            const Tensor &t = m_tensors[i];
            if (progress && !progress(total ? double(done) / double(total) : 0.0, t.name))
                throw Error(ErrorCode::Cancelled, "GGUF export cancelled", file.string());
            bytes.clear();
            data(i, bytes);
            if (bytes.size() != t.bytes)
                throw Error(ErrorCode::Internal,
                            "GGUF tensor '" + t.name + "': got " + std::to_string(bytes.size()) +
                                " bytes of data, expected " + std::to_string(t.bytes));
            writeAll(fd, reinterpret_cast<const char *>(bytes.data()), bytes.size(), tmp);
            const uint64_t pad = alignUp(t.bytes, m_alignment) - t.bytes;
            if (i + 1 < m_tensors.size() && pad > 0)
                writeAll(fd, zeros.data(), pad, tmp);
            done += t.bytes;
        }
        if (::fsync(fd) != 0)
            throw Error(ErrorCode::Io, "fsync failed: " + std::string(std::strerror(errno)),
                        tmp.string());
        ::close(fd);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error(ErrorCode::Io, "cannot rename into place: " + std::string(std::strerror(err)),
                    file.string());
    }
    syncDirectory(file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path());
    if (progress)
        progress(1.0, "done");
}

} // namespace wb
