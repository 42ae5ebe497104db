// SPDX-License-Identifier: MIT
#pragma once

#include "core/workerrunner.h"

#include <Cancellation/reason.h>

#include <chrono>
#include <optional>
#include <vector>

namespace Demo {

/*!
    \class Demo::WorkerSnapshot
    \brief One worker at one moment: its counters (from the runner) and its
    token's reason, with what follows from them.
*/
struct WorkerSnapshot
{
    using TimePoint = std::chrono::steady_clock::time_point;

    WorkerState state = WorkerState::Stopped;
    quint64 lines = 0;
    bool ignoresToken = false;
    std::optional<TimePoint> stoppedAt; //!< when it left its loop
    //! Its own token's reason: None while live, ParentCanceled when the run's
    //! cancel reached it, any other kind when it was canceled alone.
    Cancellation::Reason reason;
    //! When its cancellation was due: the deadline, for a timeout (however
    //! late it was noticed), else the moment of the cancel. Empty while live.
    std::optional<TimePoint> cancelDueAt;
    //! From cancelDueAt to stoppedAt, for a worker that looks at its token;
    //! for one that ignores it, how long it ran on after the cancel. Empty
    //! until it stops, and for a worker that ended before its cancel.
    std::optional<std::chrono::nanoseconds> stopLatency;
    //! The part of stopLatency during which the run was paused (the worker was held, so it
    //! could not notice). Zero without a stopLatency.
    std::chrono::nanoseconds stopLatencyPaused {};

    bool isAlive() const noexcept
    {
        return state != WorkerState::Stopping && state != WorkerState::Stopped;
    }
    bool isCanceled() const noexcept { return reason.isCanceled(); }
    //! Its own token was canceled, not the run's.
    bool isCanceledAlone() const noexcept
    {
        return reason.isCanceled() && reason.kind() != Cancellation::Reason::Kind::ParentCanceled;
    }
    //! Canceled and still in its loop, though it looks at its token: it stops at its next check.
    bool isYetToNotice() const noexcept { return isCanceled() && isAlive() && !ignoresToken; }
    //! Ignores its token, which was canceled before it ended on its own.
    bool ignoredCancellation() const noexcept
    {
        return ignoresToken && isCanceled() && (isAlive() || stopLatency);
    }
};

/*!
    \class Demo::RunSnapshot
    \brief Every fact the window and the console show about a run, taken at
    one moment from the runner's counters and the tokens themselves.

    Each fact is computed here and nowhere else; the views only render it.
    Immutable once taken. take() reads only: it never notices a poll-only
    deadline itself, so showing a run never does the workers' checking.
*/
struct RunSnapshot
{
    using TimePoint = std::chrono::steady_clock::time_point;

    TimePoint takenAt {};
    quint64 runNumber = 0; //!< 1 for the runner's first run; 0 before it
    bool hasRun = false; //!< a run was started (it may be over)
    bool running = false; //!< its workers have not all been joined
    bool paused = false; //!< the workers hold before their next step (WorkerRunner::isPaused())
    RunConfig config; //!< the run's, or the controls' before the first run
    //! The run's token's reason; None until it is canceled.
    Cancellation::Reason reason;
    //! The run's effective deadline: armed, or the one that passed.
    std::optional<TimePoint> deadline;
    //! For a run canceled by its timeout: how long after the deadline it was
    //! noticed (by the timer, or by a worker's check).
    std::optional<std::chrono::nanoseconds> noticedLate;
    std::vector<WorkerSnapshot> workers;

    quint64 totalLines = 0;
    int alive = 0; //!< workers still in their loop
    int yetToNotice = 0; //!< see WorkerSnapshot::isYetToNotice()
    int ignoringAlive = 0; //!< alive workers that ignore their token
    int canceledAlone = 0;
    int ignoredCancellation = 0;
    //! Workers the run's cancel stopped: they look at their token, and their
    //! token was canceled through the run's, not alone.
    int stoppedByRun = 0;
    //! The slowest stop among those, once all of them have stopped.
    std::optional<std::chrono::nanoseconds> slowestStop;
    //! The part of slowestStop during which the run was paused; zero without a slowestStop.
    std::chrono::nanoseconds slowestStopPaused {};
    //! How long the run was paused since its token was canceled, within sinceCancel(); zero
    //! if it was not canceled.
    std::chrono::nanoseconds pausedSinceCancel {};

    //! The run's state now: \a runner's counters and tokens; \a idleConfig
    //! when it has no run yet.
    static RunSnapshot take(const WorkerRunner &runner, TimePoint now,
                            const RunConfig &idleConfig = RunConfig());
    //! When the cancellation of \a reason was due: the deadline for a
    //! timeout of the run, else its root cause's moment.
    static TimePoint dueAt(const Cancellation::Reason &reason, std::optional<TimePoint> deadline);
    bool isCanceled() const noexcept { return reason.isCanceled(); }
    bool timedOut() const noexcept
    {
        return reason.root().kind() == Cancellation::Reason::Kind::Timeout;
    }
    //! Since the run's token was canceled; empty if it was not.
    std::optional<std::chrono::nanoseconds> sinceCancel() const;
};

} // namespace Demo
