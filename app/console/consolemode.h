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

    Output never holds up a signal: lines are written by a thread per stream (LineWriter).
    A failed write to stdout cancels the run; once the workers have stopped, the error is
    named on stderr and the status is 1. A signal after Done changes nothing, unless the
    output is stuck: then it exits with 128 + its number.

    The timeout counts from \a processStarted, so that the program ends that long after it
    was started, as \c{timeout(1)} would end it.

    Needs a QCoreApplication; runs its event loop. Returns the exit status: 0, or 1 on a write
    error. Call ProcessSetup::catchTerminationSignals() first, at the start of main().
*/
int runConsole(const DemoOptions &options, std::chrono::steady_clock::time_point processStarted);

} // namespace Demo
