#pragma once

#include <filesystem>

namespace wb {

// Where the demo model ships: $WB_DEMO_MODEL, else the source tree's resources/demo-model.
std::filesystem::path demoModelSource();

class Workspace;

// Seeds a workspace with the demo: a train and an eval set of synthetic logic problems
// (Chinese and English), the built-in prompt templates and a small knowledge base.
// Idempotent: a workspace that was seeded once is not seeded again, so what the user deleted
// stays deleted.
// Returns true when it seeded.
bool seedDemo(Workspace &ws, bool force = false);

// The demo's knowledge base "demo-handbook": a few short documents under files/demo-kb,
// indexed with the hashing embedder (no model needed). seedDemo calls it; it does nothing
// when the collection exists. Returns true when it created it.
bool seedDemoKnowledgeBase(Workspace &ws);

} // namespace wb
