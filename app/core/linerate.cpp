// SPDX-License-Identifier: MIT
#include "linerate.h"

#include <algorithm>

namespace Demo {

using namespace std::chrono_literals;

void LineRate::add(TimePoint time, quint64 totalLines, std::chrono::nanoseconds interval,
                   std::optional<TimePoint> canceledAt)
{
    m_samples.emplace_back(time, totalLines);
    const auto window = std::clamp<std::chrono::nanoseconds>(3 * interval, 1s, 30s);
    while (m_samples.size() > 2 && time - m_samples[1].first >= window)
        m_samples.pop_front();
    if (canceledAt) {
        while (m_samples.size() > 1 && m_samples.front().first < *canceledAt)
            m_samples.pop_front();
    }
    const auto span = m_samples.back().first - m_samples.front().first;
    if (span >= MinimumSpan) {
        const double seconds = std::chrono::duration<double>(span).count();
        m_perSecond = double(m_samples.back().second - m_samples.front().second) / seconds;
    }
}

void LineRate::reset()
{
    m_samples.clear();
    m_perSecond = 0;
}

} // namespace Demo
