// SPDX-License-Identifier: MIT
#include "demooptions.h"

namespace Demo {

QString toString(WaitMode mode)
{
    switch (mode) {
    case WaitMode::Wait:
        return QStringLiteral("wait");
    case WaitMode::Poll:
        return QStringLiteral("poll");
    case WaitMode::Mixed:
        return QStringLiteral("mixed");
    }
    return QString();
}

QString toString(TimeoutStyle style)
{
    switch (style) {
    case TimeoutStyle::Timer:
        return QStringLiteral("timer");
    case TimeoutStyle::Deadline:
        return QStringLiteral("deadline");
    }
    return QString();
}

std::optional<WaitMode> parseWaitMode(QStringView text)
{
    for (WaitMode mode : { WaitMode::Wait, WaitMode::Poll, WaitMode::Mixed }) {
        if (text.compare(toString(mode), Qt::CaseInsensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

std::optional<TimeoutStyle> parseTimeoutStyle(QStringView text)
{
    for (TimeoutStyle style : { TimeoutStyle::Timer, TimeoutStyle::Deadline }) {
        if (text.compare(toString(style), Qt::CaseInsensitive) == 0)
            return style;
    }
    return std::nullopt;
}

} // namespace Demo
