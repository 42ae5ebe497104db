// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <atomic>
#include <cstdint>

#if !defined(__linux__)
#  include <condition_variable>
#  include <mutex>
#endif

namespace Cancellation::detail {

/*
    A one-shot event that any number of threads can wait on with a deadline.
    On Linux it is a single futex word: signal() costs one atomic exchange
    when nobody waits, and one FUTEX_WAKE for all waiters otherwise.

    Thread-safe. signal() may be called any number of times; the first one counts.
*/
class WakeWord
{
public:
    bool isSignaled() const noexcept { return m_value.load(std::memory_order_acquire) == Signaled; }
    void signal() noexcept;
    // Blocks until signaled or until deadlineNs on the steady clock. Returns isSignaled().
    bool waitUntil(qint64 deadlineNs) noexcept;

private:
    enum : std::uint32_t { Idle = 0, HasWaiters = 1, Signaled = 2 };
    std::atomic<std::uint32_t> m_value { Idle };
#if !defined(__linux__)
    std::mutex m_mutex;
    std::condition_variable m_condition;
#endif
};

} // namespace Cancellation::detail
