// SPDX-License-Identifier: MIT
#include "runsnapshot.h"

#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <algorithm>

namespace Demo {

using std::chrono::nanoseconds;

namespace {

std::optional<RunSnapshot::TimePoint> timePointOf(const QDeadlineTimer &deadline)
{
    // QDeadlineTimer counts on CLOCK_MONOTONIC, as std::chrono::steady_clock does.
    if (deadline.isForever())
        return std::nullopt;
    return RunSnapshot::TimePoint(nanoseconds(deadline.deadlineNSecs()));
}

nanoseconds nonNegative(nanoseconds duration)
{
    return std::max(duration, nanoseconds::zero());
}

} // namespace

RunSnapshot::TimePoint RunSnapshot::dueAt(const Cancellation::Reason &reason,
                                          std::optional<TimePoint> deadline)
{
    const Cancellation::Reason root = reason.root();
    if (root.kind() == Cancellation::Reason::Kind::Timeout && deadline)
        return std::min(*deadline, root.canceledAt());
    return root.canceledAt();
}

RunSnapshot RunSnapshot::take(const WorkerRunner &runner, TimePoint now,
                              const RunConfig &idleConfig)
{
    RunSnapshot snapshot;
    snapshot.takenAt = now;
    const Cancellation::Source *root = runner.rootSource();
    snapshot.hasRun = root != nullptr;
    snapshot.config = snapshot.hasRun ? runner.config() : idleConfig;
    if (!root)
        return snapshot;
    snapshot.runNumber = runner.runNumber();
    snapshot.running = runner.isRunning();
    snapshot.paused = runner.isPaused();
    // reason() only reads; isCanceled() could notice a poll-only deadline.
    snapshot.reason = root->reason();
    // After a timeout, deadline() still reports the deadline that passed.
    snapshot.deadline = timePointOf(root->deadline());
    if (snapshot.timedOut() && snapshot.deadline)
        snapshot.noticedLate = nonNegative(snapshot.reason.canceledAt() - *snapshot.deadline);
    if (snapshot.isCanceled())
        snapshot.pausedSinceCancel = runner.pausedBetween(snapshot.reason.canceledAt(), now);
    snapshot.totalLines = runner.totalLines();

    const int count = runner.workerCount();
    snapshot.workers.reserve(std::size_t(count));
    bool allStoppedByRun = true;
    for (int i = 0; i < count; ++i) {
        const WorkerStats stats = runner.workerStats(i);
        WorkerSnapshot worker;
        worker.state = stats.state;
        worker.lines = stats.lines;
        worker.ignoresToken = stats.ignoresToken;
        worker.stoppedAt = stats.stoppedAt;
        worker.reason = runner.workerToken(i).reason();
        if (worker.isCanceled()) {
            worker.cancelDueAt = dueAt(worker.reason, snapshot.deadline);
            // A worker that ignores its token may have ended before the cancel.
            if (worker.stoppedAt && *worker.stoppedAt >= *worker.cancelDueAt) {
                worker.stopLatency = *worker.stoppedAt - *worker.cancelDueAt;
                worker.stopLatencyPaused =
                        runner.pausedBetween(*worker.cancelDueAt, *worker.stoppedAt);
            }
        }

        if (worker.isAlive())
            ++snapshot.alive;
        if (worker.isYetToNotice())
            ++snapshot.yetToNotice;
        if (worker.ignoresToken && worker.isAlive())
            ++snapshot.ignoringAlive;
        if (worker.isCanceledAlone())
            ++snapshot.canceledAlone;
        if (worker.ignoredCancellation())
            ++snapshot.ignoredCancellation;
        if (!worker.ignoresToken && worker.isCanceled() && !worker.isCanceledAlone()) {
            ++snapshot.stoppedByRun;
            if (!worker.stopLatency) {
                allStoppedByRun = false;
            } else if (!snapshot.slowestStop || *worker.stopLatency > *snapshot.slowestStop) {
                snapshot.slowestStop = worker.stopLatency;
                snapshot.slowestStopPaused = worker.stopLatencyPaused;
            }
        }
        snapshot.workers.push_back(std::move(worker));
    }
    if (!allStoppedByRun) {
        snapshot.slowestStop.reset();
        snapshot.slowestStopPaused = nanoseconds::zero();
    }
    return snapshot;
}

std::optional<nanoseconds> RunSnapshot::sinceCancel() const
{
    if (!reason.isCanceled())
        return std::nullopt;
    return nonNegative(takenAt - reason.canceledAt());
}

} // namespace Demo
