// SPDX-License-Identifier: MIT
#include "wakeword_p.h"

#include "clock_p.h"

#if defined(__linux__)
#  include <cerrno>
#  include <climits>
#  include <ctime>
#  include <linux/futex.h>
#  include <sys/syscall.h>
#  include <unistd.h>
#endif

namespace Cancellation::detail {

#if defined(__linux__)

void WakeWord::signal() noexcept
{
    if (m_value.exchange(Signaled, std::memory_order_acq_rel) == HasWaiters)
        syscall(SYS_futex, &m_value, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

bool WakeWord::waitUntil(qint64 deadlineNs) noexcept
{
    // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time, which is what
    // std::chrono::steady_clock reads on Linux.
    timespec until {};
    until.tv_sec = static_cast<time_t>(deadlineNs / 1'000'000'000);
    until.tv_nsec = static_cast<long>(deadlineNs % 1'000'000'000);
    for (;;) {
        std::uint32_t value = m_value.load(std::memory_order_acquire);
        if (value == Signaled)
            return true;
        if (steadyNowNs() >= deadlineNs)
            return false;
        if (value == Idle
            && !m_value.compare_exchange_weak(value, HasWaiters, std::memory_order_acq_rel))
            continue;
        syscall(SYS_futex, &m_value, FUTEX_WAIT_BITSET_PRIVATE, HasWaiters,
                deadlineNs == NoDeadlineNs ? nullptr : &until, nullptr, FUTEX_BITSET_MATCH_ANY);
    }
}

#else

void WakeWord::signal() noexcept
{
    {
        std::lock_guard lock(m_mutex);
        m_value.store(Signaled, std::memory_order_release);
    }
    m_condition.notify_all();
}

bool WakeWord::waitUntil(qint64 deadlineNs) noexcept
{
    std::unique_lock lock(m_mutex);
    while (m_value.load(std::memory_order_acquire) != Signaled) {
        if (steadyNowNs() >= deadlineNs)
            return false;
        m_condition.wait_until(lock, steadyTimePoint(deadlineNs));
    }
    return true;
}

#endif

} // namespace Cancellation::detail
