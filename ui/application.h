#pragma once

namespace wbui {

// The GUI's entry point: parses --workspace, opens (creating and seeding) the workspace,
// applies the language and shows the main window. Rebuilds the window when the language is
// switched, so every string is re-translated; jobs keep running across the rebuild.
int runWorkbench(int argc, char **argv);

} // namespace wbui
