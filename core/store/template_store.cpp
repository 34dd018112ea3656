#include "store/template_store.h"

#include "common/error.h"
#include "common/files.h"
#include "prompt/prompt_builder.h"
#include "store/workspace.h"

namespace wb {

namespace {
void checkName(const std::string &name)
{
    if (name.empty())
        throw Error(ErrorCode::Validation, "a template name cannot be empty");
    if (name.size() > 200)
        throw Error(ErrorCode::Validation, "a template name must be at most 200 bytes");
}
} // namespace

std::vector<TemplateInfo> TemplateStore::list()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<TemplateInfo> out;
        auto st = db.prepare(
            "SELECT t.id, t.name, t.description, t.builtin, t.created_at, t.updated_at, "
            "v.id, v.version, v.body, v.note, v.created_at, "
            "(SELECT COUNT(*) FROM template_versions WHERE template_id = t.id) "
            "FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = "
            "(SELECT MAX(version) FROM template_versions WHERE template_id = t.id) "
            "ORDER BY t.name");
        while (st.step()) {
            TemplateInfo t;
            t.id = st.int64(0);
            t.name = st.text(1);
            t.description = st.text(2);
            t.builtin = st.text(3);
            t.createdAt = st.text(4);
            t.updatedAt = st.text(5);
            t.latest.id = st.int64(6);
            t.latest.version = static_cast<int>(st.int64(7));
            t.latest.body = st.text(8);
            t.latest.note = st.text(9);
            t.latest.createdAt = st.text(10);
            t.versionCount = static_cast<int>(st.int64(11));
            out.push_back(std::move(t));
        }
        return out;
    });
}

std::optional<TemplateInfo> TemplateStore::find(const std::string &name)
{
    for (auto &t : list())
        if (t.name == name)
            return t;
    return std::nullopt;
}

TemplateInfo TemplateStore::get(const std::string &name)
{
    auto t = find(name);
    if (!t)
        throw Error(ErrorCode::NotFound, "no template named '" + name + "' in this workspace");
    return *t;
}

TemplateInfo TemplateStore::create(const std::string &name, const std::string &body,
                                   const std::string &description, const std::string &builtin)
{
    checkName(name);
    if (find(name))
        throw Error(ErrorCode::Conflict, "a template named '" + name + "' already exists");
    m_ws.withDb([&](Database &db) {
        db.transaction([&] {
            const std::string now = nowIso8601();
            db.prepare("INSERT INTO templates(name, description, builtin, created_at, updated_at) "
                       "VALUES(?, ?, ?, ?, ?)")
                .bind(1, name)
                .bind(2, description)
                .bind(3, builtin)
                .bind(4, now)
                .bind(5, now)
                .exec();
            const int64_t id = db.lastInsertId();
            db.prepare("INSERT INTO template_versions(template_id, version, body, note, created_at) "
                       "VALUES(?, 1, ?, 'created', ?)")
                .bind(1, id)
                .bind(2, body)
                .bind(3, now)
                .exec();
        });
    });
    return get(name);
}

TemplateInfo TemplateStore::save(const std::string &name, const std::string &body,
                                 const std::string &note)
{
    const TemplateInfo t = get(name);
    if (t.latest.body == body)
        return t;
    m_ws.withDb([&](Database &db) {
        db.transaction([&] {
            const std::string now = nowIso8601();
            db.prepare("INSERT INTO template_versions(template_id, version, body, note, created_at) "
                       "VALUES(?, ?, ?, ?, ?)")
                .bind(1, t.id)
                .bind(2, t.latest.version + 1)
                .bind(3, body)
                .bind(4, note)
                .bind(5, now)
                .exec();
            db.prepare("UPDATE templates SET updated_at = ? WHERE id = ?")
                .bind(1, now)
                .bind(2, t.id)
                .exec();
        });
    });
    return get(name);
}

std::vector<TemplateVersionInfo> TemplateStore::versions(const std::string &name)
{
    const TemplateInfo t = get(name);
    return m_ws.withDb([&](Database &db) {
        std::vector<TemplateVersionInfo> out;
        auto st = db.prepare("SELECT id, version, body, note, created_at FROM template_versions "
                             "WHERE template_id = ? ORDER BY version");
        st.bind(1, t.id);
        while (st.step())
            out.push_back({st.int64(0), static_cast<int>(st.int64(1)), st.text(2), st.text(3),
                           st.text(4)});
        return out;
    });
}

TemplateInfo TemplateStore::duplicate(const std::string &name, const std::string &newName)
{
    const TemplateInfo t = get(name);
    return create(newName.empty() ? uniqueName(name + " copy") : newName, t.latest.body,
                  t.description);
}

void TemplateStore::rename(const std::string &from, const std::string &to)
{
    checkName(to);
    get(from);
    if (from == to)
        return;
    if (find(to))
        throw Error(ErrorCode::Conflict, "a template named '" + to + "' already exists");
    m_ws.withDb([&](Database &db) {
        db.prepare("UPDATE templates SET name = ?, updated_at = ? WHERE name = ?")
            .bind(1, to)
            .bind(2, nowIso8601())
            .bind(3, from)
            .exec();
    });
}

void TemplateStore::setDescription(const std::string &name, const std::string &description)
{
    get(name);
    m_ws.withDb([&](Database &db) {
        db.prepare("UPDATE templates SET description = ? WHERE name = ?")
            .bind(1, description)
            .bind(2, name)
            .exec();
    });
}

void TemplateStore::remove(const std::string &name)
{
    const TemplateInfo t = get(name);
    m_ws.withDb([&](Database &db) {
        db.prepare("DELETE FROM templates WHERE id = ?").bind(1, t.id).exec();
    });
}

int TemplateStore::seedBuiltins()
{
    int added = 0;
    for (const auto &b : builtinTemplates()) {
        if (find(b.name))
            continue;
        create(b.name, b.body, b.description, b.name);
        ++added;
    }
    return added;
}

std::string TemplateStore::uniqueName(const std::string &base)
{
    std::string name = base;
    for (int i = 2; find(name); ++i)
        name = base + " " + std::to_string(i);
    return name;
}

} // namespace wb
