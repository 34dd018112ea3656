#include "store/workspace.h"

#include "common/error.h"
#include "common/files.h"

namespace wb {

namespace fs = std::filesystem;

Workspace::Workspace(fs::path root) : m_root(std::move(root)) {}
Workspace::~Workspace() = default;

fs::path Workspace::defaultPath() { return xdgDataHome() / "llm-workbench" / "default"; }

std::unique_ptr<Workspace> Workspace::open(const fs::path &dir)
{
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw Error(ErrorCode::Io, "a workspace must be a folder, this is a file", dir.string());
    fs::create_directories(dir / "files", ec);
    if (ec)
        throw Error(ErrorCode::Io, "cannot create the workspace folder: " + ec.message(),
                    dir.string());

    std::unique_ptr<Workspace> ws(new Workspace(fs::absolute(dir)));
    const fs::path dbFile = dir / "workspace.db";
    ws->m_isNew = !fs::exists(dbFile);
    ws->m_db = std::make_unique<Database>(dbFile);

    // A damaged file is reported before anything writes to it.
    if (!ws->m_isNew) {
        std::string check;
        try {
            check = ws->m_db->integrityCheck();
        } catch (const Error &e) {
            throw Error(ErrorCode::Database,
                        "not a workspace database or damaged (" + e.message() + ")",
                        dbFile.string());
        }
        if (check != "ok")
            throw Error(ErrorCode::Database, "integrity check failed: " + check, dbFile.string());
    }
    ws->migrate();

    // Whatever was running belonged to a process that is gone.
    ws->m_db->exec("UPDATE jobs SET state = 'interrupted', message = 'interrupted: the app "
                   "stopped while this job was running' WHERE state IN ('running', 'queued')");
    ws->m_interrupted = ws->m_db->changes();
    return ws;
}

void Workspace::migrate()
{
    const auto &migrations = schemaMigrations();
    const int current = m_db->userVersion();
    if (current > static_cast<int>(migrations.size()))
        throw Error(ErrorCode::Database,
                    "this workspace was written by a newer LLM Workbench (schema " +
                        std::to_string(current) + ", this build knows up to " +
                        std::to_string(migrations.size()) + ")",
                    m_db->file().string());
    for (int v = current; v < static_cast<int>(migrations.size()); ++v) {
        m_db->transaction([&] {
            m_db->exec(migrations[static_cast<size_t>(v)]);
            m_db->setUserVersion(v + 1);
        });
    }
    if (current == 0)
        setMeta("created_at", nowIso8601());
}

std::string Workspace::meta(const std::string &key, const std::string &fallback)
{
    return withDb([&](Database &db) {
        auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
        st.bind(1, key);
        return st.step() ? st.text(0) : fallback;
    });
}

void Workspace::setMeta(const std::string &key, const std::string &value)
{
    withDb([&](Database &db) {
        db.prepare("INSERT INTO meta(key, value) VALUES(?, ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .bind(1, key)
            .bind(2, value)
            .exec();
    });
}

} // namespace wb
