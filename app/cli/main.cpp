// llmwb: the command-line face of LLM Workbench. Every command calls the same core functions
// as the GUI; this file only parses arguments and prints.

#include "cli.h"

#include "common/error.h"
#include "common/runtime.h"
#include "store/demo_seed.h"
#include "store/workspace.h"

#include <iostream>

namespace wbcli {

wb::Workspace &workspace(Globals &g)
{
    if (!g.ws) {
        const std::filesystem::path dir =
            g.workspace.empty() ? wb::Workspace::defaultPath() : std::filesystem::path(g.workspace);
        g.ws = wb::Workspace::open(dir);
        if (g.ws->isNew())
            wb::seedDemo(*g.ws);
        if (g.ws->interruptedJobsOnOpen() > 0)
            std::cerr << "note: " << g.ws->interruptedJobsOnOpen()
                      << " job(s) were interrupted when the last session stopped\n";
    }
    return *g.ws;
}

} // namespace wbcli

int main(int argc, char **argv)
{
    CLI::App app{"llmwb — LLM Workbench on the command line"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("llmwb ") + WB_VERSION);
    wbcli::Globals g;
    app.add_option("--workspace,-w", g.workspace, "workspace folder (default: the XDG data folder)");

    wbcli::addDatasetCommands(app, g);
    wbcli::addTemplateCommands(app, g);
    wbcli::addMiscCommands(app, g);
    wbcli::addModelCommands(app, g);
    wbcli::addKbCommands(app, g);
    wbcli::addEmbedCommands(app, g);
    wbcli::addExportCommands(app, g);
    wbcli::addTrainCommands(app, g);
    wbcli::addEvalCommands(app, g);
    wbcli::addCompareCommands(app, g);
    wbcli::addServeCommands(app, g);
    wbcli::addServeBenchCommands(app, g);

    try {
        wb::applyThreadBudget({});
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e);
    } catch (const wb::Error &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception &e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    return g.exitCode;
}
