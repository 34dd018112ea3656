#pragma once

#include <filesystem>

namespace wb {

// Where the demo model ships: $WB_DEMO_MODEL, else the source tree's resources/demo-model.
std::filesystem::path demoModelSource();

class Workspace;

// Seeds a workspace with the demo: a train and an eval set of synthetic logic problems
// (Chinese and English) and the built-in prompt templates. Idempotent: a workspace that was
// seeded once is not seeded again, so what the user deleted stays deleted.
// Returns true when it seeded.
bool seedDemo(Workspace &ws, bool force = false);

} // namespace wb
