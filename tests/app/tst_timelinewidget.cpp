// SPDX-License-Identifier: MIT
#include "gui/timelineaxis.h"
#include "gui/timelinemodel.h"
#include "gui/timelinewidget.h"

#include <QtGui/QFontMetrics>
#include <QtGui/QImage>
#include <QtTest/QTest>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QScrollBar>

using namespace Demo;
using namespace std::chrono_literals;
using TimePoint = TimelineModel::TimePoint;

class tst_TimelineWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void axisLabelsNeverTouch_data();
    void axisLabelsNeverTouch();
    void axisLabelsEverySecondWhenThereIsRoom();
    void twoHundredFiftySixLanesStayApart();
    void deadlineIsDrawnAheadOfNow();
};

void tst_TimelineWidget::axisLabelsNeverTouch_data()
{
    QTest::addColumn<int>("pointSize");
    QTest::addColumn<int>("ahead");
    for (const int ahead : { 0, 5 }) {
        for (const int size : { 6, 9, 12, 20, 40 })
            QTest::addRow("%dpt, %d s ahead", size, ahead) << size << ahead;
    }
}

// Every width from a sliver to a wide screen: the labels keep their gap, stay inside the
// widget, always include now, and count out from it in one step.
void tst_TimelineWidget::axisLabelsNeverTouch()
{
    QFETCH(int, pointSize);
    QFETCH(int, ahead);
    QFont font;
    font.setPointSize(pointSize);
    const QFontMetrics metrics(font);
    const int gap = TimelineAxis::minimumGap(metrics);
    QVERIFY(gap > 0);
    for (int width = 40; width <= 3000; width += 3) {
        const int left = 30;
        const int plotWidth = std::max(1, width - left - 4);
        const auto labels = TimelineAxis::labels(metrics, left, plotWidth, width, 100, 10,
                                                 QStringLiteral("now"), ahead);
        const QByteArray where = QByteArray::number(width) + " px wide";
        if (metrics.horizontalAdvance(QStringLiteral("now")) + 2 <= width) {
            const auto now = std::find_if(labels.begin(), labels.end(),
                                          [](const auto &label) { return label.secondsAgo == 0; });
            QVERIFY2(now != labels.end(), where);
            QCOMPARE(now->text, QStringLiteral("now"));
            if (ahead == 0)
                QCOMPARE(labels.last().secondsAgo, 0);
        }
        for (qsizetype i = 0; i < labels.size(); ++i) {
            const QRect r = labels.at(i).rect;
            QVERIFY2(r.left() >= 0 && r.right() < width, where);
            QCOMPARE(r.width(), metrics.horizontalAdvance(labels.at(i).text));
            QCOMPARE(r.top(), 100);
            if (i == 0)
                continue;
            const QRect before = labels.at(i - 1).rect;
            QVERIFY2(r.left() - before.right() - 1 >= gap,
                     where + ": " + labels.at(i - 1).text.toUtf8() + " touches "
                             + labels.at(i).text.toUtf8());
            QVERIFY(labels.at(i - 1).secondsAgo > labels.at(i).secondsAgo);
        }
    }
}

// Room to spare: all eleven labels, -10 s to now, each centred on its grid line but the ends.
void tst_TimelineWidget::axisLabelsEverySecondWhenThereIsRoom()
{
    const QFontMetrics metrics { QFont() };
    const int left = 30;
    const int plotWidth = 100 * metrics.horizontalAdvance(QStringLiteral("-10 s"));
    const auto labels = TimelineAxis::labels(metrics, left, plotWidth, left + plotWidth + 4, 0, 10,
                                             QStringLiteral("end"));
    QCOMPARE(labels.size(), 11);
    QCOMPARE(labels.first().text, QStringLiteral("-10 s"));
    QCOMPARE(labels.last().text, QStringLiteral("end"));
    for (qsizetype i = 1; i + 1 < labels.size(); ++i) {
        const int gridX =
                left + int(std::lround((10 - labels.at(i).secondsAgo) * plotWidth / 10.0));
        QVERIFY(qAbs(labels.at(i).rect.center().x() - gridX) <= 1);
    }

    // With 5 s ahead: -10 s to +5 s, now among them, each on its grid line but the ends.
    const auto withFuture = TimelineAxis::labels(metrics, left, plotWidth, left + plotWidth + 4, 0,
                                                 10, QStringLiteral("now"), 5);
    QCOMPARE(withFuture.size(), 16);
    QCOMPARE(withFuture.at(10).text, QStringLiteral("now"));
    QCOMPARE(withFuture.last().text, QStringLiteral("+5 s"));
    for (qsizetype i = 1; i + 1 < withFuture.size(); ++i) {
        const int gridX =
                left + int(std::lround((10 - withFuture.at(i).secondsAgo) * plotWidth / 15.0));
        QVERIFY(qAbs(withFuture.at(i).rect.center().x() - gridX) <= 1);
    }
}

// 256 workers: each lane keeps its own row of pixels, so the ticks of all 256 can be told
// apart, and a scroll area around the widget scrolls rather than squeezing them together.
void tst_TimelineWidget::twoHundredFiftySixLanesStayApart()
{
    constexpr int Lanes = 256;
    const TimePoint t0(std::chrono::hours(1));
    TimelineModel model;
    model.reset(Lanes);
    std::vector<WorkerEvent> events;
    for (int i = 0; i < Lanes; ++i) {
        WorkerEvent e;
        e.worker = i;
        e.type = WorkerEvent::Type::Printed;
        e.time = t0 + 5s;
        e.line = 1;
        events.push_back(e);
    }
    model.addEvents(events);
    model.advanceTo(t0 + 8s);

    QScrollArea scroll;
    auto *timeline = new TimelineWidget(&model);
    QPalette palette = timeline->palette();
    const QColor tick(0, 200, 0);
    palette.setColor(QPalette::Highlight, tick);
    timeline->setPalette(palette);
    scroll.setWidget(timeline);
    scroll.setWidgetResizable(true);
    scroll.resize(640, 300); // far less than 256 lanes of 3 px
    scroll.show();
    QVERIFY(QTest::qWaitForWindowExposed(&scroll));
    QTRY_VERIFY(timeline->height() >= Lanes * 3);
    QVERIFY(scroll.verticalScrollBar()->maximum() > 0);

    const QImage image = timeline->grab().toImage();
    int column = -1;
    for (int x = 0; x < image.width() && column < 0; ++x) {
        for (int y = 0; y < image.height(); ++y) {
            if (image.pixelColor(x, y) == tick) {
                column = x;
                break;
            }
        }
    }
    QVERIFY(column >= 0);
    int runs = 0;
    bool inRun = false;
    for (int y = 0; y < image.height(); ++y) {
        const bool isTick = image.pixelColor(column, y) == tick;
        runs += isTick && !inRun ? 1 : 0;
        inRun = isTick;
    }
    QCOMPARE(runs, Lanes);
}

namespace {

// The mean column of \a color's pixels in rows [top, bottom) of \a image; -1 if none.
double meanColumnOf(const QImage &image, const QColor &color, int top, int bottom)
{
    qint64 sum = 0;
    int count = 0;
    for (int y = top; y < std::min(bottom, image.height()); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (QColor(image.pixel(x, y)) == color) {
                sum += x;
                ++count;
            }
        }
    }
    return count ? double(sum) / count : -1;
}

} // namespace

// A deadline ahead of now is drawn where it will be: 1 s and 3 s ahead lie two fifteenths of
// the plot apart (10 s back, 5 s ahead). One beyond the view is an arrow at the right edge.
void tst_TimelineWidget::deadlineIsDrawnAheadOfNow()
{
    const TimePoint t0(std::chrono::hours(1));
    const QColor deadlineColor(108, 113, 196);
    const auto render = [&](std::optional<TimePoint> deadline) {
        TimelineModel model;
        model.reset(2);
        model.advanceTo(t0);
        model.setDeadline(deadline);
        TimelineWidget timeline(&model);
        timeline.resize(800, 200);
        return timeline.grab().toImage();
    };
    const QImage none = render(std::nullopt);
    // The lanes: two of 40 px, the most a lane gets; the axis and the legend are below.
    QCOMPARE(meanColumnOf(none, deadlineColor, 0, 80), -1.0);

    // Below the marks on the top edge.
    const QImage one = render(t0 + 1s);
    const QImage three = render(t0 + 3s);
    const double x1 = meanColumnOf(one, deadlineColor, 12, 80);
    const double x3 = meanColumnOf(three, deadlineColor, 12, 80);
    QVERIFY(x1 > 400 && x3 > x1);
    const double plotWidth = 800 - 40; // less the lane numbers, about 30 px here, and a margin
    QVERIFY2(std::abs((x3 - x1) - 2 * plotWidth / 15) <= 8,
             qPrintable(QStringLiteral("%1 and %2").arg(x1).arg(x3)));

    // A run canceled before its deadline: that deadline never came, and is not drawn.
    {
        TimelineModel model;
        model.reset(2);
        model.advanceTo(t0);
        model.setDeadline(t0 + 3s);
        model.setCanceledAt(t0 - 1s);
        TimelineWidget timeline(&model);
        timeline.resize(800, 200);
        QCOMPARE(meanColumnOf(timeline.grab().toImage(), deadlineColor, 12, 80), -1.0);
    }

    const QImage later = render(t0 + 8s);
    const double arrow = meanColumnOf(later, deadlineColor, 0, 40);
    QVERIFY2(arrow > 500, qPrintable(QString::number(arrow)));
    QCOMPARE(meanColumnOf(later, deadlineColor, 40, 80), -1.0); // no line within the view
}

QTEST_MAIN(tst_TimelineWidget)
#include "tst_timelinewidget.moc"
