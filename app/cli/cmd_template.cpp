#include "cli.h"

#include "common/error.h"
#include "common/files.h"
#include "prompt/prompt_builder.h"
#include "prompt/template.h"
#include "store/dataset_store.h"
#include "store/template_store.h"
#include "store/workspace.h"

#include <iostream>

namespace wbcli {

namespace {

wb::PromptTemplate parseOrExplain(const std::string &body, const std::string &name)
{
    try {
        return wb::PromptTemplate::parse(body);
    } catch (const wb::TemplateError &e) {
        throw wb::Error(wb::ErrorCode::Parse, e.what(), "template " + name);
    }
}

} // namespace

void addTemplateCommands(CLI::App &app, Globals &g)
{
    auto *tp = app.add_subcommand("template", "prompt templates");
    tp->require_subcommand(1);
    {
        auto *cmd = tp->add_subcommand("list", "templates in the workspace");
        cmd->callback([&g] {
            for (const auto &t : wb::TemplateStore(workspace(g)).list())
                std::printf("%-24s v%-3d %s\n", t.name.c_str(), t.latest.version,
                            t.description.c_str());
        });
    }
    {
        auto *cmd = tp->add_subcommand("show", "print a template (latest or --version N)");
        auto name = std::make_shared<std::string>();
        auto version = std::make_shared<int>(0);
        cmd->add_option("name", *name)->required();
        cmd->add_option("--version", *version, "version number (default: latest)");
        cmd->callback([&g, name, version] {
            wb::TemplateStore store(workspace(g));
            if (*version == 0) {
                std::cout << store.get(*name).latest.body << "\n";
                return;
            }
            for (const auto &v : store.versions(*name))
                if (v.version == *version) {
                    std::cout << v.body << "\n";
                    return;
                }
            throw wb::Error(wb::ErrorCode::NotFound,
                            "template '" + *name + "' has no version " + std::to_string(*version));
        });
    }
    {
        auto *cmd = tp->add_subcommand("save", "create a template or save a new version from a file");
        auto name = std::make_shared<std::string>();
        auto file = std::make_shared<std::string>();
        auto note = std::make_shared<std::string>();
        cmd->add_option("name", *name)->required();
        cmd->add_option("--file", *file, "template text file")->required();
        cmd->add_option("--note", *note, "what changed");
        cmd->callback([&g, name, file, note] {
            const std::string body = wb::readFile(*file);
            parseOrExplain(body, *name); // never store a template that cannot render
            wb::TemplateStore store(workspace(g));
            const auto t = store.find(*name) ? store.save(*name, body, *note)
                                             : store.create(*name, body);
            std::cout << t.name << " is at version " << t.latest.version << "\n";
        });
    }
    {
        auto *cmd = tp->add_subcommand("render", "render a template on a dataset row");
        auto name = std::make_shared<std::string>();
        auto file = std::make_shared<std::string>();
        auto dataset = std::make_shared<std::string>();
        auto row = std::make_shared<size_t>(0);
        auto question = std::make_shared<int>(-1);
        cmd->add_option("name", *name, "template name (or use --file)");
        cmd->add_option("--file", *file, "render a template file instead of a stored template");
        cmd->add_option("--dataset", *dataset, "workspace dataset name")->required();
        cmd->add_option("--row", *row, "record index, 0-based")->default_val(0);
        cmd->add_option("--question", *question, "sub-question index (default: all)");
        cmd->callback([&g, name, file, dataset, row, question] {
            wb::Workspace &ws = workspace(g);
            std::string body;
            std::string label = *name;
            if (!file->empty()) {
                body = wb::readFile(*file);
                label = *file;
            } else if (!name->empty()) {
                body = wb::TemplateStore(ws).get(*name).latest.body;
            } else {
                throw wb::Error(wb::ErrorCode::Validation, "give a template name or --file");
            }
            const auto tpl = parseOrExplain(body, label);
            wb::DatasetStore store(ws);
            const auto parsed = store.load(store.get(*dataset).latest);
            if (*row >= parsed.records.size())
                throw wb::Error(wb::ErrorCode::Validation,
                                "row " + std::to_string(*row) + " is out of range (the dataset has " +
                                    std::to_string(parsed.records.size()) + " rows)",
                                *dataset);
            std::vector<wb::RenderedPrompt> prompts;
            try {
                prompts = wb::renderRecord(tpl, parsed.format, parsed.records[*row]);
            } catch (const wb::TemplateError &e) {
                throw wb::Error(wb::ErrorCode::Validation, e.what(), "template " + label);
            }
            for (size_t i = 0; i < prompts.size(); ++i) {
                if (*question >= 0 && static_cast<size_t>(*question) != i)
                    continue;
                if (prompts.size() > 1 && *question < 0)
                    std::cout << "----- " << prompts[i].recordId << " question "
                              << prompts[i].questionIndex + 1 << " (expected: "
                              << prompts[i].expected << ") -----\n";
                std::cout << prompts[i].text << "\n";
            }
        });
    }
    {
        auto *cmd = tp->add_subcommand("remove", "delete a template");
        auto name = std::make_shared<std::string>();
        cmd->add_option("name", *name)->required();
        cmd->callback([&g, name] {
            wb::TemplateStore(workspace(g)).remove(*name);
            std::cout << "removed " << *name << "\n";
        });
    }
}

} // namespace wbcli
