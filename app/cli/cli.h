#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

namespace wb {
class Workspace;
}

namespace wbcli {

// Shared by every subcommand: the workspace folder chosen with --workspace.
struct Globals
{
    std::string workspace; // '' → the default workspace
    std::unique_ptr<wb::Workspace> ws;
    int exitCode = 0;
};

// Opens (creating and seeding with the demo on first use) the selected workspace.
wb::Workspace &workspace(Globals &g);

// A dataset argument: an existing file, or a workspace dataset's newest version → (file, name).
std::pair<std::string, std::string> resolveDataset(Globals &g, const std::string &arg);
// A model argument: a model folder (with config.json), or a model registered in the workspace.
std::string resolveModel(Globals &g, const std::string &arg);
// A template argument: a file, a workspace template, or a built-in's name → (body, name).
std::pair<std::string, std::string> resolveTemplate(Globals &g, const std::string &arg);

void addDatasetCommands(CLI::App &app, Globals &g);
void addTemplateCommands(CLI::App &app, Globals &g);
void addMiscCommands(CLI::App &app, Globals &g);
void addModelCommands(CLI::App &app, Globals &g);
// Knowledge bases (kb ...) and `bench rag`; call after addModelCommands (it adds to bench).
void addKbCommands(CLI::App &app, Globals &g);
void addEmbedCommands(CLI::App &app, Globals &g);
void addExportCommands(CLI::App &app, Globals &g);
void addTrainCommands(CLI::App &app, Globals &g);
void addEvalCommands(CLI::App &app, Globals &g);
void addCompareCommands(CLI::App &app, Globals &g);
void addServeCommands(CLI::App &app, Globals &g);
// `bench serve`; call after addModelCommands (it adds to bench).
void addServeBenchCommands(CLI::App &app, Globals &g);

} // namespace wbcli
