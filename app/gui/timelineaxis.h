// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QRect>
#include <QtCore/QString>

class QFontMetrics;

namespace Demo {

// Where the timeline's time labels go ("-10 s" ... "now"). One job: labels that never touch,
// never leave the widget, and are as frequent as that allows.
class TimelineAxis
{
    Q_DECLARE_TR_FUNCTIONS(Demo::TimelineAxis)

public:
    struct Label
    {
        QRect rect; // in the widget, the text's advance by one line height
        QString text;
        int secondsAgo; // 0 for now, negative ahead of it
    };

    // Labels for a window of \a windowSeconds before now and \a aheadSeconds after it, drawn
    // over [left, left + plotWidth] of a widget \a width wide, at \a top: every 1, 2, 5 or 10 s,
    // the densest step whose labels keep a gap of at least minimumGap(metrics). Now reads
    // \a endText ("now" or "end") and is always kept; a label that would come too close to a
    // kept one is left out.
    static QList<Label> labels(const QFontMetrics &metrics, int left, int plotWidth, int width,
                               int top, int windowSeconds, const QString &endText,
                               int aheadSeconds = 0);

    // The least horizontal space between two labels.
    static int minimumGap(const QFontMetrics &metrics);
};

} // namespace Demo
