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
                                                int windowSeconds, const QString &endText)
{
    QList<Label> result;
    if (windowSeconds <= 0 || plotWidth <= 0)
        return result;
    const int gap = minimumGap(metrics);
    const int widest = metrics.horizontalAdvance(tr("-%1 s").arg(windowSeconds));
    const double perSecond = double(plotWidth) / windowSeconds;
    int step = 1;
    for (const int candidate : { 1, 2, 5, 10 }) {
        step = candidate;
        if (candidate * perSecond >= widest + gap)
            break;
    }

    // From the right edge leftwards, so that "now" is always kept and a clamped label at the
    // left edge gives way to its neighbour rather than overlapping it.
    int limit = width; // the next label's right edge must stay left of this
    for (int ago = 0; ago <= windowSeconds; ago += step) {
        const QString text = ago > 0 ? tr("-%1 s").arg(ago) : endText;
        const int w = metrics.horizontalAdvance(text);
        if (w > width)
            continue;
        const int x = left + int(std::lround((windowSeconds - ago) * perSecond));
        const int x0 = std::clamp(x - w / 2, 0, std::max(0, width - w - 2));
        if (x0 + w > limit)
            continue;
        result.prepend({ QRect(x0, top, w, metrics.height()), text, ago });
        limit = x0 - gap;
    }
    return result;
}

} // namespace Demo
