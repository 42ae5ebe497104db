// SPDX-License-Identifier: MIT
#include "timelineaxis.h"

#include <QtGui/QFontMetrics>

#include <algorithm>
#include <cmath>

namespace Demo {

int TimelineAxis::minimumGap(const QFontMetrics &metrics)
{
    return metrics.horizontalAdvance(QLatin1Char(' ')) * 2;
}

QList<TimelineAxis::Label> TimelineAxis::labels(const QFontMetrics &metrics, int left,
                                                int plotWidth, int width, int top,
                                                int windowSeconds, const QString &endText,
                                                int aheadSeconds)
{
    QList<Label> result;
    aheadSeconds = std::max(aheadSeconds, 0);
    if (windowSeconds <= 0 || plotWidth <= 0)
        return result;
    const int gap = minimumGap(metrics);
    const int widest = std::max(metrics.horizontalAdvance(tr("-%1 s").arg(windowSeconds)),
                                metrics.horizontalAdvance(tr("+%1 s").arg(aheadSeconds)));
    const double perSecond = double(plotWidth) / (windowSeconds + aheadSeconds);
    int step = 1;
    for (const int candidate : { 1, 2, 5, 10 }) {
        step = candidate;
        if (candidate * perSecond >= widest + gap)
            break;
    }
    // Where the label of \a ago would start, clamped into the widget.
    const auto startOf = [&](int ago, int w) {
        const int x = left + int(std::lround((windowSeconds - ago) * perSecond));
        return std::clamp(x - w / 2, 0, std::max(0, width - w - 2));
    };

    // Now first, so that it is always kept; then outwards from it, so that a clamped label at
    // an edge gives way to its neighbour rather than overlapping it.
    const int nowWidth = metrics.horizontalAdvance(endText);
    if (nowWidth > width)
        return result;
    const int nowStart = startOf(0, nowWidth);
    result.append({ QRect(nowStart, top, nowWidth, metrics.height()), endText, 0 });
    int from = nowStart + nowWidth + gap; // the next label ahead must start at or after this
    for (int ahead = step; ahead <= aheadSeconds; ahead += step) {
        const QString text = tr("+%1 s").arg(ahead);
        const int w = metrics.horizontalAdvance(text);
        const int x0 = startOf(-ahead, w);
        if (x0 < from || x0 + w > width)
            continue;
        result.append({ QRect(x0, top, w, metrics.height()), text, -ahead });
        from = x0 + w + gap;
    }
    int limit = nowStart - gap; // the next label back must end at or before this
    for (int ago = step; ago <= windowSeconds; ago += step) {
        const QString text = tr("-%1 s").arg(ago);
        const int w = metrics.horizontalAdvance(text);
        if (w > width)
            continue;
        const int x0 = startOf(ago, w);
        if (x0 + w > limit)
            continue;
        result.prepend({ QRect(x0, top, w, metrics.height()), text, ago });
        limit = x0 - gap;
    }
    return result;
}

} // namespace Demo
