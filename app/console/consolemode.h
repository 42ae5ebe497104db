// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

namespace Demo {

// Runs the article's program in the terminal. Needs a QCoreApplication. Returns the exit status.
int runConsole(const DemoOptions &options);

} // namespace Demo
