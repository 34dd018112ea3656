#pragma once
// ICU stand-in: see ../icu_ascii.h.
#include "../icu_ascii.h"
