// SPDX-License-Identifier: MIT
#include "librarycalls.h"

#include "workerrunner.h"

#include <array>
#include <utility>

namespace Demo::LibraryCalls {

namespace {

QString deadlineCheck(TimeoutStyle style)
{
    return style == TimeoutStyle::Deadline ? QStringLiteral("Source::DeadlineCheck::PollOnly")
                                           : QStringLiteral("Source::DeadlineCheck::Timer");
}

QString result(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

// "cancel()", or "cancelWithMessage(\"...\")".
QString cancelCall(const QString &message)
{
    return message.isEmpty() ? QStringLiteral("cancel()")
                             : QStringLiteral("cancelWithMessage(\"%1\")").arg(message);
}

} // namespace

QString durationLiteral(std::chrono::nanoseconds duration)
{
    using namespace std::chrono;
    static constexpr std::array<std::pair<nanoseconds, const char *>, 5> units { {
            { hours(1), "h" },
            { minutes(1), "min" },
            { seconds(1), "s" },
            { milliseconds(1), "ms" },
            { microseconds(1), "us" },
    } };
    for (const auto &[unit, suffix] : units) {
        if (duration.count() != 0 && duration % unit == nanoseconds::zero())
            return QString::number(duration / unit) + QLatin1String(suffix);
    }
    return QString::number(duration.count()) + QLatin1String("ns");
}

QString start(const RunConfig &config)
{
    QString calls = config.workers == 1
            ? QStringLiteral("Source root; Source worker1(root.token())")
            : QStringLiteral("Source root; Source worker1(root.token()) ... worker%1(root.token())")
                      .arg(config.workers);
    if (config.timeout) {
        calls += QStringLiteral("; root.cancelAfter(%1, %2)")
                         .arg(durationLiteral(*config.timeout), deadlineCheck(config.timeoutStyle));
    }
    return calls;
}

QString cancelAll(bool value, const QString &message)
{
    const QString call = QStringLiteral("root.") + cancelCall(message);
    return value ? QStringLiteral("%1 returned true: the run's token is canceled").arg(call)
                 : QStringLiteral("%1 returned false: it was canceled already, and nothing "
                                  "changed")
                           .arg(call);
}

QString cancelWorker(int worker, bool value, const QString &message)
{
    return QStringLiteral("worker%1.%2 returned %3")
            .arg(worker + 1)
            .arg(cancelCall(message), result(value));
}

QString setTimeout(std::optional<std::chrono::nanoseconds> timeout, TimeoutStyle style)
{
    if (!timeout)
        return QStringLiteral("root.cancelAfter(std::chrono::nanoseconds::max()): no timeout");
    return QStringLiteral("root.cancelAfter(%1, %2)")
            .arg(durationLiteral(*timeout), deadlineCheck(style));
}

} // namespace Demo::LibraryCalls
