// SPDX-License-Identifier: MIT
#include "wakeword_p.h"

#include "clock_p.h"

#if CANCELLATION_WAKEWORD_FUTEX
#  include <climits>
#  include <ctime>
#  include <linux/futex.h>
#  include <sys/syscall.h>
#  include <unistd.h>
#endif

namespace Cancellation::detail {

#if CANCELLATION_WAKEWORD_FUTEX

namespace {

void wakeAll(std::atomic<std::uint32_t> *word) noexcept
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

} // namespace

void WakeWord::signal() noexcept
{
    if (m_value.fetch_or(Signaled, std::memory_order_acq_rel) & HasWaiters)
        wakeAll(&m_value);
}

void WakeWord::notify() noexcept
{
    // Adding EpochStep leaves the two flag bits alone; the count may wrap.
    if (m_value.fetch_add(EpochStep, std::memory_order_acq_rel) & HasWaiters)
        wakeAll(&m_value);
}

bool WakeWord::waitUntil(qint64 deadlineNs, Epoch epoch) noexcept
{
    std::uint32_t value = m_value.load(std::memory_order_acquire);
    if (value & Signaled)
        return true;
    if ((value & ~HasWaiters) != epoch)
        return false; // notified since the caller read its deadline
    if (!(value & HasWaiters)) {
        if (!m_value.compare_exchange_strong(value, value | HasWaiters, std::memory_order_acq_rel))
            return value & Signaled;
        value |= HasWaiters;
    }
    // The kernel blocks only while the word still holds value, so a signal()
    // or notify() after the checks above is never missed. FUTEX_WAIT_BITSET
    // takes an absolute CLOCK_MONOTONIC time, which std::chrono::steady_clock
    // reads on Linux.
    timespec until {};
    until.tv_sec = static_cast<time_t>(deadlineNs / 1'000'000'000);
    until.tv_nsec = static_cast<long>(deadlineNs % 1'000'000'000);
    syscall(SYS_futex, &m_value, FUTEX_WAIT_BITSET_PRIVATE, value,
            deadlineNs == NoDeadlineNs ? nullptr : &until, nullptr, FUTEX_BITSET_MATCH_ANY);
    return isSignaled();
}

#else

void WakeWord::signal() noexcept
{
    {
        std::lock_guard lock(m_mutex);
        m_value.fetch_or(Signaled, std::memory_order_release);
    }
    m_condition.notify_all();
}

void WakeWord::notify() noexcept
{
    {
        std::lock_guard lock(m_mutex);
        m_value.fetch_add(EpochStep, std::memory_order_release);
    }
    m_condition.notify_all();
}

bool WakeWord::waitUntil(qint64 deadlineNs, Epoch epoch) noexcept
{
    std::unique_lock lock(m_mutex);
    if (isSignaled())
        return true;
    if (this->epoch() != epoch)
        return false;
    if (deadlineNs == NoDeadlineNs)
        m_condition.wait(lock);
    else
        m_condition.wait_until(lock, steadyTimePoint(deadlineNs));
    return isSignaled();
}

#endif

} // namespace Cancellation::detail
