// SPDX-License-Identifier: MIT
#include "processsetup.h"

#include "core/signalnames.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace Demo::ProcessSetup {

namespace {

// Written by the signal handler: lock-free atomics only. Two signals decide everything (the
// second one exits), so a few slots are plenty; later ones are counted and dropped.
constexpr int MaxCaught = 8;
std::atomic<int> g_caughtCount { 0 };
std::atomic<int> g_caught[MaxCaught] = {};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void recordSignal(int signalNumber)
{
    const int index = g_caughtCount.fetch_add(1, std::memory_order_acq_rel);
    if (index < MaxCaught)
        g_caught[index].store(signalNumber, std::memory_order_release);
}

} // namespace

void openStandardDescriptors()
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        // The lowest free number: fd itself, since the ones below it are open by now.
        const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
        if (opened >= 0 && opened != fd)
            ::close(opened);
    }
}

void catchTerminationSignals()
{
    const sigset_t signals = SignalNames::handledSet();
    struct sigaction action = {};
    action.sa_handler = recordSignal;
    // Each handler runs to its end before the next signal is taken, so they are recorded in
    // the order they are taken (not nested, the later one first).
    action.sa_mask = signals;
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    // Only now: one that was blocked and pending is taken by the handler above.
    ::pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
}

void replayCaughtSignals()
{
    const int count = std::min(g_caughtCount.exchange(0, std::memory_order_acq_rel), MaxCaught);
    for (int i = 0; i < count; ++i) {
        if (const int signalNumber = g_caught[i].exchange(0, std::memory_order_acq_rel))
            ::raise(signalNumber);
    }
}

} // namespace Demo::ProcessSetup
