// SPDX-License-Identifier: MIT
#include "helperthread.h"

#include "signalnames.h"

#include <QtCore/QScopeGuard>

#include <csignal>
#include <pthread.h>

namespace Demo {

std::thread startHelperThread(std::function<void()> body)
{
    const sigset_t handled = SignalNames::handledSet();
    // A new thread starts with its creator's mask. Meanwhile a signal sent to the process goes
    // to another thread that takes it, or waits, pending, for the restore below (where two of
    // one kind merge into one, as signals do).
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &handled, &previous);
    const auto restore =
            qScopeGuard([&previous] { ::pthread_sigmask(SIG_SETMASK, &previous, nullptr); });
    return std::thread(std::move(body));
}

} // namespace Demo
