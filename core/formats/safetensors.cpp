#include "formats/safetensors.h"

#include "common/error.h"
#include "formats/strict_json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wb {

namespace {

// The reference implementation's limit: a larger header is an attack, not a model.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

[[noreturn]] void fail(const std::string &label, const std::string &message)
{
    throw Error(ErrorCode::Parse, message, label);
}

std::string tensorLabel(const std::string &name)
{
    return "tensor '" + name + "'";
}

// A JSON number that is a non-negative integer (nlohmann stores 3 as unsigned, -3 as integer,
// 3.0 and 1e30 as float).
std::optional<uint64_t> nonNegativeInteger(const nlohmann::json &v)
{
    if (v.is_number_unsigned())
        return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0)
        return static_cast<uint64_t>(v.get<int64_t>());
    return std::nullopt;
}

struct Range
{
    uint64_t begin;
    uint64_t end;
};

} // namespace

int64_t TensorView::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

SafetensorsFile::~SafetensorsFile()
{
    if (m_mapping)
        ::munmap(m_mapping, m_size);
}

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path &file)
{
    const std::string label = file.string();
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::Io, std::string("cannot open: ") + std::strerror(errno), label);
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw Error(ErrorCode::Io, std::string("cannot read: ") + std::strerror(err), label);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(ErrorCode::Io, "not a regular file", label);
    }
    std::unique_ptr<SafetensorsFile> f(new SafetensorsFile);
    f->m_path = file;
    f->m_size = static_cast<size_t>(st.st_size);
    if (f->m_size >= 8) { // shorter files fail in parse(); mmap refuses a length of 0 anyway
        void *p = ::mmap(nullptr, f->m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            throw Error(ErrorCode::Io, std::string("cannot map: ") + std::strerror(err), label);
        }
        f->m_mapping = p;
        f->m_bytes = static_cast<const uint8_t *>(p);
    }
    ::close(fd); // the mapping keeps the file referenced
    f->parse(label);
    return f;
}

std::unique_ptr<SafetensorsFile> SafetensorsFile::fromBuffer(std::string bytes, std::string label)
{
    std::unique_ptr<SafetensorsFile> f(new SafetensorsFile);
    f->m_path = label;
    f->m_buffer = std::move(bytes);
    f->m_bytes = reinterpret_cast<const uint8_t *>(f->m_buffer.data());
    f->m_size = f->m_buffer.size();
    f->parse(label);
    return f;
}

void SafetensorsFile::parse(const std::string &label)
{
    if (m_size < 8)
        fail(label, "not a safetensors file: " + std::to_string(m_size) +
                        " bytes, shorter than the 8-byte header length");
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i)
        headerLen = (headerLen << 8) | m_bytes[i];
    if (headerLen > kMaxHeaderBytes)
        fail(label, "header length " + std::to_string(headerLen) +
                        " exceeds the 100 MB limit (corrupt or not a safetensors file)");
    if (headerLen > m_size - 8) // m_size >= 8, so this cannot wrap
        fail(label, "header length " + std::to_string(headerLen) + " runs past the end of the " +
                        std::to_string(m_size) + "-byte file (truncated download?)");

    const std::string_view text(reinterpret_cast<const char *>(m_bytes + 8), headerLen);
    const nlohmann::json header = formats::parseStrictJson(text, label, "header");
    if (!header.is_object())
        fail(label, "header is not a JSON object");
    const uint64_t dataStart = 8 + headerLen;
    m_dataBytes = m_size - dataStart;

    std::vector<Range> ranges;
    for (const auto &[name, entry] : header.items()) {
        if (name == "__metadata__") {
            if (entry.is_null())
                continue; // what the reference writer emits for "no metadata" in old versions
            if (!entry.is_object())
                fail(label, "__metadata__ is not an object of strings");
            for (const auto &[key, value] : entry.items()) {
                if (!value.is_string())
                    fail(label, "__metadata__ value of '" + key + "' is " + value.type_name() +
                                    ", not a string");
                m_metadata[key] = value.get<std::string>();
            }
            continue;
        }
        const std::string what = tensorLabel(name);
        if (!entry.is_object())
            fail(label, what + ": entry is " + entry.type_name() + ", not an object");

        auto dtypeIt = entry.find("dtype");
        if (dtypeIt == entry.end() || !dtypeIt->is_string())
            fail(label, what + ": missing 'dtype' string");
        const auto dtype = dtypeFromName(dtypeIt->get<std::string>());
        if (!dtype)
            fail(label, what + ": unknown dtype '" + dtypeIt->get<std::string>() + "'");

        auto shapeIt = entry.find("shape");
        if (shapeIt == entry.end() || !shapeIt->is_array())
            fail(label, what + ": missing 'shape' array");
        std::vector<int64_t> shape;
        uint64_t numel = 1;
        bool overflow = false;
        for (size_t i = 0; i < shapeIt->size(); ++i) {
            const auto dim = nonNegativeInteger((*shapeIt)[i]);
            if (!dim || *dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
                fail(label, what + ": shape[" + std::to_string(i) + "] is " + (*shapeIt)[i].dump() +
                                ", not a non-negative integer");
            shape.push_back(static_cast<int64_t>(*dim));
            if (!overflow && *dim != 0 && numel > std::numeric_limits<uint64_t>::max() / *dim)
                overflow = true;
            numel *= *dim;
        }
        const uint64_t elementSize = dtypeSize(*dtype);
        if (overflow || numel > std::numeric_limits<uint64_t>::max() / elementSize ||
            numel > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(label, what + ": shape " + formats::shapeString(shape) + " of " +
                            dtypeName(*dtype) + " overflows 64 bits");
        const uint64_t bytes = numel * elementSize;

        auto offsetsIt = entry.find("data_offsets");
        if (offsetsIt == entry.end() || !offsetsIt->is_array() || offsetsIt->size() != 2)
            fail(label, what + ": missing 'data_offsets' [begin, end]");
        const auto begin = nonNegativeInteger((*offsetsIt)[0]);
        const auto end = nonNegativeInteger((*offsetsIt)[1]);
        if (!begin || !end)
            fail(label,
                 what + ": data_offsets " + offsetsIt->dump() + " are not non-negative integers");
        if (*end < *begin)
            fail(label, what + ": data_offsets " + offsetsIt->dump() + " end before they begin");
        if (*end - *begin != bytes)
            fail(label, what + ": data_offsets " + offsetsIt->dump() + " span " +
                            std::to_string(*end - *begin) + " bytes, but shape " +
                            formats::shapeString(shape) + " of " + dtypeName(*dtype) + " needs " +
                            std::to_string(bytes));

        TensorView view;
        view.name = name;
        view.dtype = *dtype;
        view.shape = std::move(shape);
        view.bytes = static_cast<size_t>(bytes);
        m_tensors.push_back(std::move(view));
        ranges.push_back({*begin, *end});
    }

    // Order by offset (ties: name, for determinism) and demand one contiguous tiling of the
    // data buffer: a gap hides bytes, an overlap aliases two tensors, a short tiling means a
    // truncated file. Only after this is any pointer into the data formed.
    std::vector<size_t> order(m_tensors.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (ranges[a].begin != ranges[b].begin)
            return ranges[a].begin < ranges[b].begin;
        if (ranges[a].end != ranges[b].end)
            return ranges[a].end < ranges[b].end;
        return m_tensors[a].name < m_tensors[b].name;
    });
    uint64_t expected = 0;
    const std::string *previous = nullptr;
    for (size_t i : order) {
        const Range &r = ranges[i];
        if (r.begin > expected)
            fail(label,
                 tensorLabel(m_tensors[i].name) + " starts at byte " + std::to_string(r.begin) +
                     " of the data buffer, leaving a gap after byte " + std::to_string(expected));
        if (r.begin < expected)
            fail(label, tensorLabel(m_tensors[i].name) + " at bytes [" + std::to_string(r.begin) +
                            ", " + std::to_string(r.end) + ") overlaps " + tensorLabel(*previous));
        expected = r.end;
        previous = &m_tensors[i].name;
    }
    if (expected != m_dataBytes)
        fail(label, "tensors cover " + std::to_string(expected) + " bytes, but the data buffer " +
                        "holds " + std::to_string(m_dataBytes) +
                        (expected > m_dataBytes ? " (truncated file?)" : " (trailing bytes)"));

    std::vector<TensorView> sorted;
    sorted.reserve(order.size());
    for (size_t i : order) {
        TensorView &v = m_tensors[i];
        v.data = v.bytes ? m_bytes + dataStart + ranges[i].begin : nullptr;
        sorted.push_back(std::move(v));
    }
    m_tensors = std::move(sorted);
    m_names.reserve(m_tensors.size());
    for (size_t i = 0; i < m_tensors.size(); ++i) {
        m_names.push_back(m_tensors[i].name);
        m_index.emplace(m_tensors[i].name, i);
    }
}

bool SafetensorsFile::contains(const std::string &name) const
{
    return m_index.count(name) != 0;
}

const TensorView &SafetensorsFile::tensor(const std::string &name) const
{
    auto it = m_index.find(name);
    if (it == m_index.end())
        throw Error(ErrorCode::NotFound, "no tensor named '" + name + "'", m_path.string());
    return m_tensors[it->second];
}

} // namespace wb
