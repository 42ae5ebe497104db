// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QtGlobal>

#include <chrono>
#include <deque>
#include <optional>
#include <utility>

namespace Demo {

/*!
    \class Demo::LineRate
    \brief Lines per second of a run, from its line count sampled over time.

    The rate is taken over the last three intervals (1 s to 30 s), so that slow workers do not
    read as 0 lines/s. Once the run's token is canceled, only the samples since the cancel
    count: the rate says what still prints, not the average before the cancel. Pure: the times
    come from the caller.
*/
class LineRate
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    //! The shortest span a rate is computed over; before it, the last rate stands.
    static constexpr std::chrono::milliseconds MinimumSpan = std::chrono::milliseconds(200);

    //! The run had printed \a totalLines lines in all at \a time; its workers print every
    //! \a interval, and its token was canceled at \a canceledAt, if it was.
    void add(TimePoint time, quint64 totalLines, std::chrono::nanoseconds interval,
             std::optional<TimePoint> canceledAt);
    //! Forgets every sample: a new run, or none.
    void reset();
    //! Lines per second; 0 before the first span of MinimumSpan.
    double perSecond() const noexcept { return m_perSecond; }

private:
    std::deque<std::pair<TimePoint, quint64>> m_samples;
    double m_perSecond = 0;
};

} // namespace Demo
