// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <atomic>
#include <cstdint>

// Linux waits on a futex; every other system, and a build with
// CANCELLATION_PORTABLE_WAIT (CMake option of that name), on a mutex and a
// condition variable.
#if defined(__linux__) && !defined(CANCELLATION_PORTABLE_WAIT)
#  define CANCELLATION_WAKEWORD_FUTEX 1
#else
#  define CANCELLATION_WAKEWORD_FUTEX 0
#endif

#if !CANCELLATION_WAKEWORD_FUTEX
#  include <condition_variable>
#  include <mutex>
#endif

namespace Cancellation::detail {

/*
    A one-shot event that any number of threads can wait on with a deadline,
    and a way to wake those threads without signaling, so that they re-read a
    deadline that moved earlier. On Linux it is a single futex word: signal()
    and notify() cost one atomic read-modify-write when nobody waits, and one
    FUTEX_WAKE for all waiters otherwise.

    Thread-safe. signal() is permanent and may be called any number of times.
*/
class WakeWord
{
public:
    using Epoch = std::uint32_t;

    bool isSignaled() const noexcept { return m_value.load(std::memory_order_acquire) & Signaled; }
    /*
        The current epoch, for waitUntil(). Take it before reading what decides
        the deadline to wait for: a notify() after that makes the wait return.
    */
    Epoch epoch() const noexcept { return m_value.load(std::memory_order_acquire) & ~HasWaiters; }
    void signal() noexcept;
    // Starts a new epoch and wakes every waiter of an earlier one.
    void notify() noexcept;
    /*
        Blocks until signaled, until a notify() ends epoch, or until deadlineNs
        on the steady clock. May also return spuriously: the caller loops.
        Returns isSignaled().
    */
    bool waitUntil(qint64 deadlineNs, Epoch epoch) noexcept;

private:
    // Bit 0: a thread waits or has waited. Bit 1: signaled. Bits 2-31: the
    // epoch count, which only needs to differ between epoch() and the wait.
    enum : std::uint32_t { HasWaiters = 1, Signaled = 2, EpochStep = 4 };
    std::atomic<std::uint32_t> m_value { 0 };
#if !CANCELLATION_WAKEWORD_FUTEX
    std::mutex m_mutex;
    std::condition_variable m_condition;
#endif
};

} // namespace Cancellation::detail
