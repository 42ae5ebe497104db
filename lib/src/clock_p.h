// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <chrono>
#include <limits>

namespace Cancellation::detail {

// Deadlines are nanoseconds on std::chrono::steady_clock, which covers about
// 292 years: no 24.8-day overflow as with int milliseconds.
inline constexpr qint64 NoDeadlineNs = std::numeric_limits<qint64>::max();

inline qint64 steadyNowNs() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
}

inline std::chrono::steady_clock::time_point steadyTimePoint(qint64 ns) noexcept
{
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

// now + timeout, saturating at NoDeadlineNs.
inline qint64 steadyDeadlineAfter(std::chrono::nanoseconds timeout) noexcept
{
    const qint64 now = steadyNowNs();
    const qint64 count = timeout.count();
    if (count >= NoDeadlineNs - now)
        return NoDeadlineNs;
    return now + count;
}

} // namespace Cancellation::detail
