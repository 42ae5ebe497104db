// SPDX-License-Identifier: MIT
#include "runtext.h"

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
