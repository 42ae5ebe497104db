// SPDX-License-Identifier: MIT
#include "runtext.h"

#include "core/durationparser.h"

#include <QtCore/QDateTime>

namespace Demo {

QString RunText::workers(int count)
{
    return count == 1 ? tr("1 worker") : tr("%1 workers").arg(count);
}

QString RunText::everyWorker(int count)
{
    switch (count) {
    case 1:
        return tr("The worker");
    case 2:
        return tr("Both workers");
    default:
        return tr("All %1").arg(workers(count));
    }
}

QString RunText::mode(WaitMode mode)
{
    switch (mode) {
    case WaitMode::Poll:
        return tr("sleep, then check");
    case WaitMode::Wait:
        return tr("wait on the token");
    case WaitMode::Mixed:
        return tr("odd workers sleep, then check; even ones wait on the token");
    }
    return QString();
}

QString RunText::speed(int slowdown)
{
    return slowdown <= 1 ? tr("1×") : tr("%L1×").arg(1.0 / slowdown);
}

QString RunText::stop(const WorkerSnapshot &worker)
{
    if (!worker.stopLatency)
        return {};
    const QString latency = DurationParser::format(*worker.stopLatency);
    const QString paused = worker.stopLatencyPaused > std::chrono::nanoseconds::zero()
            ? tr(", %1 of it while the run was paused")
                      .arg(DurationParser::format(worker.stopLatencyPaused))
            : QString();
    if (worker.ignoresToken)
        return tr("ignored its token and ran on for %1 after its cancel was due%2")
                .arg(latency, paused);
    if (worker.reason.root().kind() == Cancellation::Reason::Kind::Timeout)
        return tr("stopped %1 after the deadline%2").arg(latency, paused);
    return tr("stopped %1 after its token was canceled%2").arg(latency, paused);
}

QString RunText::wallClock(std::chrono::steady_clock::time_point time)
{
    struct Anchor
    {
        std::chrono::steady_clock::time_point steady = std::chrono::steady_clock::now();
        QDateTime wall = QDateTime::currentDateTime();
    };
    static const Anchor anchor;
    const auto sinceAnchor =
            std::chrono::duration_cast<std::chrono::milliseconds>(time - anchor.steady);
    return anchor.wall.addMSecs(sinceAnchor.count()).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace Demo
