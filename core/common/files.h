#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace wb {

// Reads a whole file; throws Error(Io) naming the path.
std::string readFile(const std::filesystem::path &path);

// Writes a file atomically: a temporary file in the same folder, fsync, rename over the
// target, fsync of the folder. A crash leaves either the old or the new content.
void writeFileAtomic(const std::filesystem::path &path, std::string_view data);

// Copies a file atomically (same temp + fsync + rename scheme).
void copyFileAtomic(const std::filesystem::path &from, const std::filesystem::path &to);

// fsync a folder so a rename inside it is durable.
void syncDirectory(const std::filesystem::path &dir);

// UTC time as ISO-8601 with milliseconds, e.g. 2026-11-29T07:42:50.123Z.
std::string nowIso8601();

// Deletes a file or a folder tree if it exists (POSIX nftw). Used instead of
// std::filesystem::remove_all, which crashes in processes that also load PyTorch's libtorch
// 2.x (its bundled std::filesystem symbols interpose libstdc++'s). Throws Error(Io) on failure.
void removeTree(const std::filesystem::path &path);

// Monotonic milliseconds, for elapsed-time measurements.
int64_t steadyMillis();

// The user's data folder per the XDG spec ($XDG_DATA_HOME or ~/.local/share).
std::filesystem::path xdgDataHome();

} // namespace wb
