// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace Bench {

//! The spread of one figure over repeated runs.
struct Summary
{
    double min = 0;
    double median = 0;
    double max = 0;
};

//! min, median and max of \a values; all zero if it is empty.
Summary summarize(std::vector<double> values);

//! The nearest-rank percentile of \a values, \a fraction in [0, 1]: 0.5 is the
//! median, 0.99 the p99 (over 50 values, the largest). Zero if empty.
double percentile(std::vector<double> values, double fraction);

//! The maximum of \a values, or zero if empty.
double maximum(const std::vector<double> &values);
//! The minimum of \a values, or zero if empty.
double minimum(const std::vector<double> &values);

//! std::chrono::steady_clock, the clock the library's deadlines use, in nanoseconds.
inline std::int64_t nowNs() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
}

//! Keeps \a value alive, so the compiler cannot drop the loop that computed it.
template<typename T>
inline void keep(const T &value)
{
    asm volatile("" : : "r,m"(value) : "memory");
}

} // namespace Bench
