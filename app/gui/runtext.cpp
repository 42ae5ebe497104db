// SPDX-License-Identifier: MIT
#include "runtext.h"

namespace Demo {

QString RunText::workers(int count)
{
    return count == 1 ? tr("1 worker") : tr("%1 workers").arg(count);
}

QString RunText::mode(WaitMode mode)
{
    return mode == WaitMode::Poll ? tr("sleep, then check") : tr("wait on the token");
}

QString RunText::wallClock(std::chrono::steady_clock::time_point time,
                           std::chrono::steady_clock::time_point steadyNow, const QTime &wallNow)
{
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(steadyNow - time);
    return wallNow.addMSecs(-int(age.count())).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace Demo
