#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wb {

class Workspace;

struct TemplateVersionInfo
{
    int64_t id = 0;
    int version = 0;
    std::string body;
    std::string note;
    std::string createdAt;
};

struct TemplateInfo
{
    int64_t id = 0;
    std::string name;
    std::string description;
    std::string builtin; // the built-in it was seeded from, '' for user templates
    std::string createdAt;
    std::string updatedAt;
    TemplateVersionInfo latest;
    int versionCount = 0;
};

// Prompt templates with full history: every save that changes the text is a new version.
class TemplateStore final
{
public:
    explicit TemplateStore(Workspace &ws) : m_ws(ws) {}

    std::vector<TemplateInfo> list();
    std::optional<TemplateInfo> find(const std::string &name);
    TemplateInfo get(const std::string &name); // throws NotFound

    // Creates a template with its first version. Throws Conflict when the name is taken.
    TemplateInfo create(const std::string &name, const std::string &body,
                        const std::string &description = {}, const std::string &builtin = {});
    // Saves a new version when the body differs from the latest; returns the latest either way.
    TemplateInfo save(const std::string &name, const std::string &body, const std::string &note = {});
    std::vector<TemplateVersionInfo> versions(const std::string &name);
    TemplateInfo duplicate(const std::string &name, const std::string &newName);
    void rename(const std::string &from, const std::string &to);
    void setDescription(const std::string &name, const std::string &description);
    void remove(const std::string &name);

    // Adds the built-in templates that are missing (by name). Returns how many were added.
    int seedBuiltins();

    std::string uniqueName(const std::string &base);

private:
    Workspace &m_ws;
};

} // namespace wb
