#pragma once

namespace wb {

class Workspace;

// Seeds a workspace with the demo: a train and an eval set of synthetic logic problems
// (Chinese and English) and the built-in prompt templates. Idempotent: a workspace that was
// seeded once is not seeded again, so what the user deleted stays deleted.
// Returns true when it seeded.
bool seedDemo(Workspace &ws, bool force = false);

} // namespace wb
