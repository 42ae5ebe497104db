// SPDX-License-Identifier: MIT
#pragma once

#include "core/runsnapshot.h"
#include "core/workerrunner.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

namespace Demo {

/*!
    \class Demo::TimelineModel
    \brief What the timeline shows: per worker (lane), the "Hello World!" lines of the last
    Window, when it started and stopped, and when its token was canceled; per run, the cancel
    and the deadline.

    Fed from the WorkerEvents the window drains from the runner, and from the RunSnapshot,
    whose figures it shows as they are: it computes none of its own.
    Every line in the window is kept, counted in bins of BinWidth, so memory is bounded
    whatever the rate: 256 workers printing every millisecond cost about 8 MB. Each lane also
    keeps the exact times of its RecentTicks newest lines, which places a line printed after
    its cancel. No widgets, no clock of its own: advanceTo() moves "now".
    GUI thread only; not thread-safe.
*/
class TimelineModel
{
public:
    using Clock = std::chrono::steady_clock;
    using TimePoint = Clock::time_point;

    //! The span the timeline shows, ending at now().
    static constexpr std::chrono::seconds Window = std::chrono::seconds(10);
    //! The lines a worker printed in [start, start + BinWidth).
    struct Bin
    {
        TimePoint start;
        quint32 lines = 0;
    };
    //! The future shown right of now() once the run has had a deadline: where it is due.
    static constexpr std::chrono::seconds Ahead = std::chrono::seconds(5);
    //! 2,000 bins fill the window: finer than a pixel on any screen this window fits.
    static constexpr std::chrono::milliseconds BinWidth = std::chrono::milliseconds(5);
    //! Exact times kept of each lane's newest lines.
    static constexpr std::size_t RecentTicks = 8;

    //! Forgets everything and starts a run of \a lanes lanes (0 to Limits::MaxWorkers; a
    //! negative count is taken as 0).
    void reset(int lanes);
    int laneCount() const noexcept;

    //! Records \a event: a Printed event is a tick, Started and Stopped set the lane's start and
    //! stop. Events for lanes out of range are ignored.
    void addEvent(const WorkerEvent &event);
    void addEvents(const std::vector<WorkerEvent> &events);

    //! Moves the right edge of the window to \a now and drops the ticks before now - Window.
    //! Time never goes back: an earlier \a now is ignored.
    void advanceTo(TimePoint now);
    TimePoint now() const noexcept;
    //! now() - Window.
    TimePoint windowStart() const noexcept;

    //! The run's cancel (the root token's Reason::canceledAt()); empty if not canceled.
    void setCanceledAt(std::optional<TimePoint> time);
    std::optional<TimePoint> canceledAt() const noexcept;
    //! Lane \a lane's worker as the last RunSnapshot saw it: what the lane says of its stop,
    //! and its cancelDueAt, the lane's own cancel.
    void setWorker(int lane, const WorkerSnapshot &worker);
    //! Lane \a lane's worker as setWorker() gave it; a default one before that, or out of range.
    const WorkerSnapshot &worker(int lane) const noexcept;
    //! A change of the run's deadline at \a time: the first one arms it, later ones re-arm
    //! (a new value) or disarm it (none).
    struct DeadlineChange
    {
        enum class Kind { Armed, Rearmed, Disarmed };
        TimePoint time;
        Kind kind = Kind::Armed;
    };

    //! The run's deadline, armed or passed; empty if none. A value other than the last one is
    //! recorded as a DeadlineChange at now().
    void setDeadline(std::optional<TimePoint> time);
    std::optional<TimePoint> deadline() const noexcept;
    //! The run's deadline changes, oldest first.
    const std::vector<DeadlineChange> &deadlineChanges() const noexcept;
    //! How far past now() the timeline reaches: Ahead once the run has had a deadline, so that
    //! the view does not rescale as it is re-armed or disarmed; zero before, and once it
    //! ended(), as nothing comes after its end.
    std::chrono::seconds ahead() const noexcept;
    //! Every lane's worker has stopped (and there is one).
    bool ended() const noexcept;

    //! The lines of \a lane within the window, in bins, oldest first; empty if out of range.
    const std::deque<Bin> &bins(int lane) const;
    //! The lines of \a lane within the window: the sum of bins(lane).
    quint64 linesInWindow(int lane) const noexcept;
    //! The exact times of \a lane's newest lines (RecentTicks at most), oldest first.
    const std::deque<TimePoint> &recentTicks(int lane) const;
    //! Lines ever recorded for \a lane, in the window or not.
    quint64 tickCount(int lane) const noexcept;
    //! Of \a lane's recent lines, those printed at or after its cancel: in poll mode, the
    //! article's one last line.
    int linesAfterCancel(int lane) const noexcept;
    std::optional<TimePoint> startedAt(int lane) const noexcept;
    std::optional<TimePoint> stoppedAt(int lane) const noexcept;
    //! The cancel that stops \a lane: the earlier of the run's cancel and the worker's
    //! cancelDueAt.
    std::optional<TimePoint> laneCanceledAt(int lane) const noexcept;

private:
    struct Lane
    {
        std::deque<Bin> bins;
        quint64 linesInWindow = 0;
        std::deque<TimePoint> recent;
        quint64 tickCount = 0;
        std::optional<TimePoint> started;
        std::optional<TimePoint> stopped;
        WorkerSnapshot worker;
    };
    const Lane *lane(int index) const noexcept;
    void addLine(Lane &lane, TimePoint time) const;
    void dropOld(Lane &lane) const;

    std::vector<Lane> m_lanes;
    TimePoint m_now {};
    std::optional<TimePoint> m_canceledAt;
    std::optional<TimePoint> m_deadline;
    std::vector<DeadlineChange> m_deadlineChanges;
};

} // namespace Demo
