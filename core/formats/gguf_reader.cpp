// GgufFile: the validating GGUF reader. Every length, count and offset read from the file is
// checked against the bytes that remain before it is used, so a malformed file is an error
// message, never an out-of-bounds read or a huge allocation.

#include "formats/gguf.h"

#include "common/error.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wb {

namespace {

struct Cursor
{
    const uint8_t *p;
    size_t size;
    size_t pos = 0;
    const std::string &label;

    [[noreturn]] void fail(const std::string &what) const
    {
        throw Error(ErrorCode::Parse, label + ": " + what);
    }
    void need(uint64_t n, const std::string &what) const
    {
        if (n > size - pos)
            fail("truncated at byte " + std::to_string(pos) + " while reading " + what);
    }
    template<typename T>
    T read(const std::string &what)
    {
        need(sizeof(T), what);
        T v;
        std::memcpy(&v, p + pos, sizeof(T));
        pos += sizeof(T);
        return v;
    }
    std::string str(const std::string &what)
    {
        const uint64_t n = read<uint64_t>(what + " length");
        need(n, what + " (" + std::to_string(n) + " bytes)");
        std::string s(reinterpret_cast<const char *>(p + pos), size_t(n));
        pos += size_t(n);
        return s;
    }
};

size_t scalarBytes(uint32_t t)
{
    switch (GgufType(t)) {
    case GgufType::U8:
    case GgufType::I8:
    case GgufType::Bool:
        return 1;
    case GgufType::U16:
    case GgufType::I16:
        return 2;
    case GgufType::U32:
    case GgufType::I32:
    case GgufType::F32:
        return 4;
    case GgufType::U64:
    case GgufType::I64:
    case GgufType::F64:
        return 8;
    default:
        return 0;
    }
}

// Reads one scalar of type t into (i, f).
void readScalar(Cursor &c, uint32_t t, int64_t &i, double &f, const std::string &what)
{
    switch (GgufType(t)) {
    case GgufType::U8: i = c.read<uint8_t>(what); break;
    case GgufType::I8: i = c.read<int8_t>(what); break;
    case GgufType::Bool: {
        const uint8_t b = c.read<uint8_t>(what);
        if (b > 1)
            c.fail(what + ": bool value " + std::to_string(b) + " is neither 0 nor 1");
        i = b;
        break;
    }
    case GgufType::U16: i = c.read<uint16_t>(what); break;
    case GgufType::I16: i = c.read<int16_t>(what); break;
    case GgufType::U32: i = c.read<uint32_t>(what); break;
    case GgufType::I32: i = c.read<int32_t>(what); break;
    case GgufType::U64: i = int64_t(c.read<uint64_t>(what)); break;
    case GgufType::I64: i = c.read<int64_t>(what); break;
    case GgufType::F32: f = c.read<float>(what); break;
    case GgufType::F64: f = c.read<double>(what); break;
    default: c.fail(what + ": unknown value type " + std::to_string(t));
    }
}

GgufValue readValue(Cursor &c, uint32_t type, const std::string &key)
{
    GgufValue v;
    if (type > uint32_t(GgufType::F64))
        c.fail("key '" + key + "' has unknown value type " + std::to_string(type));
    v.type = GgufType(type);
    if (v.type == GgufType::String) {
        v.s = c.str("value of '" + key + "'");
        return v;
    }
    if (v.type != GgufType::Array) {
        readScalar(c, type, v.i, v.f, "value of '" + key + "'");
        return v;
    }
    const uint32_t elem = c.read<uint32_t>("element type of '" + key + "'");
    const uint64_t n = c.read<uint64_t>("length of '" + key + "'");
    if (elem == uint32_t(GgufType::Array))
        c.fail("key '" + key + "' is an array of arrays, which is not supported");
    if (elem > uint32_t(GgufType::F64))
        c.fail("key '" + key + "' has unknown element type " + std::to_string(elem));
    v.elemType = GgufType(elem);
    // Every element takes at least its scalar size (8 bytes for a string's length).
    const size_t minSize = elem == uint32_t(GgufType::String) ? 8 : scalarBytes(elem);
    if (n > (c.size - c.pos) / minSize)
        c.fail("array '" + key + "' claims " + std::to_string(n) +
               " elements, more than the file holds");
    const std::string what = "element of '" + key + "'";
    if (v.elemType == GgufType::String) {
        v.strs.reserve(size_t(n));
        for (uint64_t k = 0; k < n; ++k)
            v.strs.push_back(c.str(what));
    } else if (v.elemType == GgufType::F32 || v.elemType == GgufType::F64) {
        v.floats.resize(size_t(n));
        int64_t dummy;
        for (uint64_t k = 0; k < n; ++k)
            readScalar(c, elem, dummy, v.floats[size_t(k)], what);
    } else {
        v.ints.resize(size_t(n));
        double dummy;
        for (uint64_t k = 0; k < n; ++k)
            readScalar(c, elem, v.ints[size_t(k)], dummy, what);
    }
    return v;
}

} // namespace

int64_t GgufFile::Tensor::numel() const
{
    int64_t n = 1;
    for (auto d : ne)
        n *= d;
    return n;
}

std::unique_ptr<GgufFile> GgufFile::open(const std::filesystem::path &file)
{
    std::unique_ptr<GgufFile> g(new GgufFile);
    g->m_label = file.string();
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::Io, "cannot open " + file.string() + ": " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw Error(ErrorCode::Io, "cannot stat " + file.string());
    }
    g->m_size = size_t(st.st_size);
    if (g->m_size > 0) {
        void *m = ::mmap(nullptr, g->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            ::close(fd);
            throw Error(ErrorCode::Io, "cannot map " + file.string());
        }
        g->m_mapping = m;
        g->m_bytes = static_cast<const uint8_t *>(m);
    }
    ::close(fd);
    g->parse();
    return g;
}

std::unique_ptr<GgufFile> GgufFile::fromBuffer(std::string bytes, std::string label)
{
    std::unique_ptr<GgufFile> g(new GgufFile);
    g->m_label = std::move(label);
    g->m_buffer = std::move(bytes);
    g->m_bytes = reinterpret_cast<const uint8_t *>(g->m_buffer.data());
    g->m_size = g->m_buffer.size();
    g->parse();
    return g;
}

GgufFile::~GgufFile()
{
    if (m_mapping)
        ::munmap(m_mapping, m_size);
}

void GgufFile::parse()
{
    Cursor c{m_bytes, m_size, 0, m_label};
    c.need(4, "the magic");
    if (std::memcmp(m_bytes, "GGUF", 4) != 0)
        c.fail("not a GGUF file (bad magic)");
    c.pos = 4;
    m_version = c.read<uint32_t>("the version");
    if (m_version != 2 && m_version != 3)
        c.fail("GGUF version " + std::to_string(m_version) + " is not supported (2 or 3 are)");
    const uint64_t nTensors = c.read<uint64_t>("the tensor count");
    const uint64_t nKv = c.read<uint64_t>("the metadata count");
    // A key takes at least 12 bytes, a tensor info at least 28: reject absurd counts up front.
    if (nKv > m_size / 12)
        c.fail("metadata count " + std::to_string(nKv) + " is larger than the file can hold");
    if (nTensors > m_size / 28)
        c.fail("tensor count " + std::to_string(nTensors) + " is larger than the file can hold");

    std::set<std::string> keys;
    for (uint64_t k = 0; k < nKv; ++k) {
        std::string key = c.str("metadata key " + std::to_string(k));
        if (!keys.insert(key).second)
            c.fail("duplicate metadata key '" + key + "'");
        const uint32_t type = c.read<uint32_t>("the type of '" + key + "'");
        GgufValue v = readValue(c, type, key);
        m_kv.emplace_back(std::move(key), std::move(v));
    }
    if (const GgufValue *a = find("general.alignment")) {
        if (a->type != GgufType::U32)
            c.fail(std::string("general.alignment has type ") + ggufTypeName(a->type) +
                   ", expected u32");
        if (a->i == 0 || (a->i & (a->i - 1)) != 0)
            c.fail("general.alignment " + std::to_string(a->i) + " is not a power of two");
        m_alignment = uint32_t(a->i);
    }

    std::set<std::string> names;
    for (uint64_t k = 0; k < nTensors; ++k) {
        Tensor t;
        t.name = c.str("tensor name " + std::to_string(k));
        if (!names.insert(t.name).second)
            c.fail("duplicate tensor name '" + t.name + "'");
        const std::string what = "tensor '" + t.name + "'";
        const uint32_t nDims = c.read<uint32_t>(what + " dimension count");
        if (nDims == 0 || nDims > 4)
            c.fail(what + " has " + std::to_string(nDims) + " dimensions (1 to 4 allowed)");
        uint64_t numel = 1;
        for (uint32_t d = 0; d < nDims; ++d) {
            const uint64_t n = c.read<uint64_t>(what + " dimension");
            if (n == 0 || n > uint64_t(std::numeric_limits<int64_t>::max()) ||
                numel > std::numeric_limits<uint64_t>::max() / n)
                c.fail(what + " has an invalid dimension " + std::to_string(n));
            numel *= n;
            t.ne.push_back(int64_t(n));
        }
        if (numel > (uint64_t(1) << 50))
            c.fail(what + " has " + std::to_string(numel) + " elements, more than any file holds");
        const uint32_t type = c.read<uint32_t>(what + " type");
        if (type != 0 && type != 1 && type != 8 && type != 30)
            c.fail(what + " has ggml type " + std::to_string(type) +
                   ", which is not supported (F32, F16, Q8_0, BF16 are)");
        t.type = GgmlType(type);
        if (t.type == GgmlType::Q8_0 && t.ne[0] % 32 != 0)
            c.fail(what + " is Q8_0 but its rows (" + std::to_string(t.ne[0]) +
                   ") are not a multiple of 32");
        t.bytes = ggmlRowBytes(t.type, t.ne[0]) * (numel / uint64_t(t.ne[0]));
        t.offset = c.read<uint64_t>(what + " offset");
        if (t.offset % m_alignment != 0)
            c.fail(what + " offset " + std::to_string(t.offset) + " is not aligned to " +
                   std::to_string(m_alignment));
        m_tensors.push_back(std::move(t));
    }
    m_dataOffset = (c.pos + m_alignment - 1) / m_alignment * m_alignment;
    if (!m_tensors.empty() && m_dataOffset > m_size)
        c.fail("truncated: the data section would start at byte " + std::to_string(m_dataOffset) +
               " of " + std::to_string(m_size));
    const uint64_t dataSize = m_size > m_dataOffset ? m_size - m_dataOffset : 0;
    std::vector<const Tensor *> byOffset;
    for (auto &t : m_tensors) {
        if (t.offset > dataSize || t.bytes > dataSize - t.offset)
            c.fail("tensor '" + t.name + "' data (offset " + std::to_string(t.offset) + ", " +
                   std::to_string(t.bytes) + " bytes) runs past the end of the file (data section " +
                   std::to_string(dataSize) + " bytes): truncated?");
        t.data = m_bytes + m_dataOffset + t.offset;
        byOffset.push_back(&t);
    }
    std::sort(byOffset.begin(), byOffset.end(),
              [](const Tensor *a, const Tensor *b) { return a->offset < b->offset; });
    for (size_t k = 1; k < byOffset.size(); ++k)
        if (byOffset[k - 1]->offset + byOffset[k - 1]->bytes > byOffset[k]->offset)
            c.fail("tensors '" + byOffset[k - 1]->name + "' and '" + byOffset[k]->name +
                   "' overlap");
}

const GgufValue *GgufFile::find(const std::string &key) const
{
    for (const auto &kv : m_kv)
        if (kv.first == key)
            return &kv.second;
    return nullptr;
}

const GgufValue &GgufFile::get(const std::string &key, GgufType type) const
{
    const GgufValue *v = find(key);
    if (!v)
        throw Error(ErrorCode::NotFound, m_label + ": metadata key '" + key + "' is missing");
    if (v->type != type)
        throw Error(ErrorCode::Validation,
                    m_label + ": metadata key '" + key + "' has type " + ggufTypeName(v->type) +
                        ", expected " + ggufTypeName(type));
    return *v;
}

const GgufFile::Tensor *GgufFile::findTensor(const std::string &name) const
{
    for (const auto &t : m_tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

std::vector<float> GgufFile::toFloat(const Tensor &t) const
{
    return decodeTensor(t.type, t.data, t.numel());
}

} // namespace wb
