#include "formats/safetensors.h"

#include "common/error.h"
#include "common/files.h"
#include "formats/strict_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace wb {

namespace {

std::string jsonString(const std::string &s)
{
    return nlohmann::json(s).dump(); // escapes quotes and control characters, keeps UTF-8
}

void requireUtf8(const std::string &s, const char *what)
{
    if (formats::invalidUtf8Offset(s) != std::string_view::npos)
        throw Error(ErrorCode::Validation, std::string(what) + " is not valid UTF-8");
}

// Closes and unlinks a temporary file unless released: a failed export leaves no debris.
class TempFile final
{
public:
    explicit TempFile(const std::filesystem::path &target)
    {
        if (target.has_parent_path())
            std::filesystem::create_directories(target.parent_path());
        // O_EXCL with a random suffix, mode 0644 under the umask: the same scheme as
        // writeFileAtomic, so exports get ordinary permissions (mkstemp would give 0600).
        std::random_device random;
        char suffix[32];
        std::snprintf(suffix, sizeof suffix, ".tmp-%08x%08x", random(), random());
        m_path = target.string() + suffix;
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (m_fd < 0) {
            const int err = errno;
            m_path.clear();
            throw Error(ErrorCode::Io,
                        std::string("cannot create a temporary file: ") + std::strerror(err),
                        target.string());
        }
    }
    ~TempFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_path.empty())
            ::unlink(m_path.c_str());
    }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;

    void write(const void *data, size_t size, const std::string &label)
    {
        const auto *p = static_cast<const char *>(data);
        while (size > 0) {
            const ssize_t n = ::write(m_fd, p, std::min<size_t>(size, size_t(1) << 30));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw Error(ErrorCode::Io, std::string("cannot write: ") + std::strerror(errno),
                            label);
            p += n;
            size -= static_cast<size_t>(n);
        }
    }
    void commit(const std::filesystem::path &target)
    {
        const std::string label = target.string();
        if (::fsync(m_fd) != 0)
            throw Error(ErrorCode::Io, std::string("cannot sync: ") + std::strerror(errno), label);
        const int fd = m_fd;
        m_fd = -1;
        if (::close(fd) != 0)
            throw Error(ErrorCode::Io, std::string("cannot close: ") + std::strerror(errno), label);
        if (::rename(m_path.c_str(), target.c_str()) != 0)
            throw Error(ErrorCode::Io, std::string("cannot rename: ") + std::strerror(errno),
                        label);
        m_path.clear();
        syncDirectory(target.has_parent_path() ? target.parent_path() : std::filesystem::path("."));
    }

private:
    std::string m_path;
    int m_fd = -1;
};

} // namespace

void SafetensorsWriter::add(const std::string &name, DType dtype, std::vector<int64_t> shape,
                            const void *data, size_t bytes)
{
    const std::string what = "tensor '" + name + "'";
    requireUtf8(name, "tensor name");
    if (name == "__metadata__")
        throw Error(ErrorCode::Validation, "'__metadata__' is reserved and cannot name a tensor");
    for (const auto &e : m_entries) {
        if (e.name == name)
            throw Error(ErrorCode::Validation, what + " was added twice");
    }
    uint64_t numel = 1;
    for (int64_t d : shape) {
        if (d < 0)
            throw Error(ErrorCode::Validation,
                        what + ": negative dimension in shape " + formats::shapeString(shape));
        if (d != 0 && numel > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
            throw Error(ErrorCode::Validation, what + ": shape overflows 64 bits");
        numel *= static_cast<uint64_t>(d);
    }
    if (numel > std::numeric_limits<uint64_t>::max() / dtypeSize(dtype) ||
        numel * dtypeSize(dtype) != bytes)
        throw Error(ErrorCode::Validation,
                    what + ": " + std::to_string(bytes) + " bytes given, shape " +
                        formats::shapeString(shape) + " of " + dtypeName(dtype) + " needs " +
                        std::to_string(numel * dtypeSize(dtype)));
    if (bytes > 0 && !data)
        throw Error(ErrorCode::Validation, what + ": no data");
    Entry entry{name, dtype, std::move(shape), {}};
    if (bytes > 0) {
        const auto *p = static_cast<const uint8_t *>(data);
        entry.data.assign(p, p + bytes);
    }
    m_entries.push_back(std::move(entry));
}

void SafetensorsWriter::setMetadata(const std::string &key, const std::string &value)
{
    requireUtf8(key, "metadata key");
    requireUtf8(value, "metadata value");
    m_metadata[key] = value;
}

std::vector<const SafetensorsWriter::Entry *> SafetensorsWriter::ordered() const
{
    std::vector<const Entry *> order;
    for (const auto &e : m_entries)
        order.push_back(&e);
    std::sort(order.begin(), order.end(), [](const Entry *a, const Entry *b) {
        if (dtypeSize(a->dtype) != dtypeSize(b->dtype))
            return dtypeSize(a->dtype) > dtypeSize(b->dtype);
        return a->name < b->name;
    });
    return order;
}

std::string SafetensorsWriter::header(const std::vector<const Entry *> &order) const
{
    std::string json = "{";
    bool first = true;
    if (!m_metadata.empty()) {
        json += "\"__metadata__\":{";
        for (const auto &[key, value] : m_metadata) {
            if (!first)
                json += ',';
            first = false;
            json += jsonString(key) + ':' + jsonString(value);
        }
        json += '}';
        first = false;
    }
    uint64_t offset = 0;
    for (const Entry *e : order) {
        if (!first)
            json += ',';
        first = false;
        json += jsonString(e->name) + ":{\"dtype\":\"" + dtypeName(e->dtype) + "\",\"shape\":[";
        for (size_t i = 0; i < e->shape.size(); ++i) {
            if (i)
                json += ',';
            json += std::to_string(e->shape[i]);
        }
        const uint64_t end = offset + e->data.size();
        json += "],\"data_offsets\":[" + std::to_string(offset) + ',' + std::to_string(end) + "]}";
        offset = end;
    }
    json += '}';
    // Pad so the data buffer starts 8-aligned in the file (and so in an mmap).
    json.append((8 - json.size() % 8) % 8, ' ');
    std::string out(8, '\0');
    uint64_t n = json.size();
    for (int i = 0; i < 8; ++i, n >>= 8)
        out[i] = static_cast<char>(n & 0xFF);
    return out + json;
}

std::string SafetensorsWriter::toBytes() const
{
    const auto order = ordered();
    std::string out = header(order);
    for (const Entry *e : order)
        out.append(reinterpret_cast<const char *>(e->data.data()), e->data.size());
    return out;
}

void SafetensorsWriter::write(const std::filesystem::path &file) const
{
    // Streamed rather than toBytes() + writeFileAtomic: an exported 7B model would otherwise
    // be held twice in memory.
    const auto order = ordered();
    const std::string head = header(order);
    TempFile tmp(file);
    tmp.write(head.data(), head.size(), file.string());
    for (const Entry *e : order)
        tmp.write(e->data.data(), e->data.size(), file.string());
    tmp.commit(file);
}

} // namespace wb
