#pragma once

#include "store/database.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace wb {

// A workspace is a folder: workspace.db (SQLite) and files/ (datasets copied in by content
// hash, and later indexes, checkpoints and exports). Opening one creates it when missing,
// migrates its schema forward, checks its integrity and marks jobs that were running when the
// last process died as interrupted.
class Workspace final
{
public:
    static constexpr int kSchemaVersion = 4;

    // Throws Error(Database) when the file is not a workspace database, is damaged, or was
    // written by a newer version of the app (schema version above kSchemaVersion).
    static std::unique_ptr<Workspace> open(const std::filesystem::path &dir);

    // $XDG_DATA_HOME/llm-workbench/default (or ~/.local/share/llm-workbench/default).
    static std::filesystem::path defaultPath();

    ~Workspace();
    Workspace(const Workspace &) = delete;
    Workspace &operator=(const Workspace &) = delete;

    const std::filesystem::path &root() const { return m_root; }
    std::filesystem::path filesDir() const { return m_root / "files"; }
    bool isNew() const { return m_isNew; }             // created by this open()
    int interruptedJobsOnOpen() const { return m_interrupted; }

    // Every store call goes through here: one connection, serialised by a mutex, so jobs on
    // worker threads and the UI thread can share the workspace.
    template <typename Fn>
    auto withDb(Fn &&fn)
    {
        std::lock_guard<std::recursive_mutex> lock(m_mutex);
        return fn(*m_db);
    }

    std::string meta(const std::string &key, const std::string &fallback = {});
    void setMeta(const std::string &key, const std::string &value);

private:
    explicit Workspace(std::filesystem::path root);
    void migrate();

    std::filesystem::path m_root;
    std::unique_ptr<Database> m_db;
    std::recursive_mutex m_mutex;
    bool m_isNew = false;
    int m_interrupted = 0;
};

// The schema migrations, index i upgrading from version i to i + 1. Exposed for tests.
const std::vector<std::string> &schemaMigrations();

} // namespace wb
