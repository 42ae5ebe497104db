// SPDX-License-Identifier: MIT
#pragma once

namespace Demo::ProcessSetup {

/*!
    Makes sure descriptors 0, 1 and 2 are open, before anything else opens a descriptor that
    would take their number (Qt's event-loop wake-up, the signal socketpair) and receive the
    program's output. A closed one is opened on /dev/null in the mode opposite to its use, as
    gnulib's stdopen() does: a write to a closed stdout then fails with EBADF and is reported,
    instead of going nowhere silently. Call it first thing in main().
*/
void openStandardDescriptors();

/*!
    Catches SIGINT and SIGTERM from the first lines of main() until the process exits, and
    unblocks them if the parent left them blocked. Until a Qt-side handler takes over (see
    replayCaughtSignals()), a caught signal is only recorded; once that handler is replaced
    again (its destructor restores this one), signals are recorded and ignored, so a Ctrl+C
    during the shutdown never kills the process.
*/
void catchTerminationSignals();

/*!
    Raises again, in the order they came, the signals caught since catchTerminationSignals()
    and not replayed yet, for the handler installed since (Cancellation::SignalCanceler) to
    take. Call it on the main thread, right after that handler is installed.
*/
void replayCaughtSignals();

} // namespace Demo::ProcessSetup
