#include "common/files.h"

#include <ftw.h>
#include <sys/stat.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/error.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace wb {

namespace fs = std::filesystem;

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Io, "cannot open file for reading: " + std::string(std::strerror(errno)),
                    path.string());
    std::string data;
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0)
        throw Error(ErrorCode::Io, "cannot determine file size", path.string());
    data.resize(static_cast<size_t>(size));
    in.seekg(0);
    if (size > 0 && !in.read(data.data(), size))
        throw Error(ErrorCode::Io, "read failed", path.string());
    return data;
}

static fs::path tempSibling(const fs::path &path)
{
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%016llx", static_cast<unsigned long long>(rng()));
    return path.parent_path() / (path.filename().string() + suffix);
}

static void writeAll(int fd, const char *data, size_t size, const fs::path &path)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error(ErrorCode::Io, "write failed: " + std::string(std::strerror(errno)),
                        path.string());
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void syncDirectory(const fs::path &dir)
{
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void writeFileAtomic(const fs::path &path, std::string_view data)
{
    if (!path.parent_path().empty())
        fs::create_directories(path.parent_path());
    const fs::path tmp = tempSibling(path);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(ErrorCode::Io, "cannot create file: " + std::string(std::strerror(errno)),
                    tmp.string());
    try {
        writeAll(fd, data.data(), data.size(), tmp);
        if (::fsync(fd) != 0)
            throw Error(ErrorCode::Io, "fsync failed: " + std::string(std::strerror(errno)),
                        tmp.string());
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw Error(ErrorCode::Io, "cannot rename into place: " + std::string(std::strerror(err)),
                    path.string());
    }
    syncDirectory(path.parent_path());
}

void copyFileAtomic(const fs::path &from, const fs::path &to)
{
    writeFileAtomic(to, readFile(from));
}

std::string nowIso8601()
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

int64_t steadyMillis()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

fs::path xdgDataHome()
{
    if (const char *x = std::getenv("XDG_DATA_HOME"); x && *x)
        return fs::path(x);
    if (const char *home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".local" / "share";
    return fs::current_path();
}

} // namespace wb

namespace wb {

namespace {
int removeEntry(const char *path, const struct stat *, int, struct FTW *)
{
    return ::remove(path);
}
} // namespace

void removeTree(const std::filesystem::path &path)
{
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0)
        return; // nothing there
    if (::nftw(path.c_str(), removeEntry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        throw Error(ErrorCode::Io, "cannot delete " + path.string() + ": " + std::strerror(errno));
}

} // namespace wb
