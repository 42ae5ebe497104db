// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <chrono>

namespace Demo {

/*!
    Runs the article's program in the terminal: starts the workers, prints their
    "Hello World!" lines to stdout, cancels them on SIGINT or SIGTERM (printing
    "Handling sigint" or "Handling sigterm") or on the timeout, and prints a final
    "Done (<reason>; ...)" line once all have stopped. A second signal while the
    workers are stopping exits at once with status 128 + signal number (130 for
    SIGINT), without waiting for them.

    The timeout counts from \a processStarted, so that the program ends that long after it
    was started, as \c{timeout(1)} would end it.

    Needs a QCoreApplication; runs its event loop. Returns the exit status: 0.
*/
int runConsole(const DemoOptions &options, std::chrono::steady_clock::time_point processStarted);

} // namespace Demo
