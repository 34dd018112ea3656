#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace wb {

// A prepared statement. Bind by 1-based index, step, read columns by 0-based index.
class Statement final
{
public:
    Statement(sqlite3 *db, std::string_view sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    Statement(Statement &&other) noexcept;

    Statement &bind(int index, int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view value);
    Statement &bind(int index, const std::string &value) { return bind(index, std::string_view(value)); }
    Statement &bind(int index, const char *value) { return bind(index, std::string_view(value)); }
    Statement &bindNull(int index);
    Statement &bindBlob(int index, const void *data, size_t size);
    Statement &bind(int index, const std::optional<std::string> &value);

    // Returns true while a row is available.
    bool step();
    // Steps a statement that returns no rows.
    void exec();
    void reset();

    int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string blob(int column) const; // raw bytes of a BLOB column
    bool isNull(int column) const;

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    std::string m_sql;
};

// One SQLite connection with the workspace's settings: WAL, foreign keys, busy timeout.
// Not thread-safe by itself; Workspace serialises access with a mutex.
class Database final
{
public:
    explicit Database(const std::filesystem::path &file);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    int64_t lastInsertId() const;
    int changes() const;

    // Runs fn inside BEGIN IMMEDIATE … COMMIT; rolls back and rethrows on exception.
    void transaction(const std::function<void()> &fn);

    int userVersion();
    void setUserVersion(int version);

    // "ok" when PRAGMA integrity_check passes; otherwise the problems it lists.
    std::string integrityCheck();

    const std::filesystem::path &file() const { return m_file; }

private:
    sqlite3 *m_db = nullptr;
    std::filesystem::path m_file;
};

} // namespace wb
