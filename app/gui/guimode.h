// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

namespace Demo {

// Shows the main window and runs the event loop. Needs a QApplication. Returns the exit status.
int runGui(const DemoOptions &options);

} // namespace Demo
