// SPDX-License-Identifier: MIT
// LineRate against scripted line counts: every time is given, so every rate is exact.
#include "core/linerate.h"

#include <QtTest/QTest>

using namespace Demo;
using namespace std::chrono_literals;
using TimePoint = LineRate::TimePoint;

class tst_LineRate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void averagesOverThreeIntervals();
    void afterTheCancelCountsOnlyWhatStillPrints();
    void nothingBeforeTheMinimumSpan();
};

namespace {

// 4 workers at 100 ms print 40 lines/s until \a cancel, then worker 1 alone 10 lines/s; the
// count is sampled every 25 ms, as the window refreshes, up to \a until.
void feed(LineRate &rate, TimePoint t0, std::chrono::milliseconds cancel,
          std::chrono::milliseconds until, bool tellCancel)
{
    for (auto at = 0ms; at <= until; at += 25ms) {
        const quint64 lines = at <= cancel
                ? quint64(at.count() * 40 / 1000)
                : quint64(cancel.count() * 40 / 1000 + (at - cancel).count() * 10 / 1000);
        rate.add(t0 + at, lines, 100ms,
                 tellCancel && at >= cancel ? std::optional(t0 + cancel) : std::nullopt);
    }
}

} // namespace

void tst_LineRate::averagesOverThreeIntervals()
{
    LineRate rate;
    const TimePoint t0(1h);
    feed(rate, t0, 10s, 2s, false);
    QVERIFY(qAbs(rate.perSecond() - 40) < 1);
    rate.reset();
    QCOMPARE(rate.perSecond(), 0.0);
}

// 300 ms after the cancel, the last second holds 700 ms at 40 lines/s: averaged, 31 lines/s,
// though the run now prints 10. Counted from the cancel, 10.
void tst_LineRate::afterTheCancelCountsOnlyWhatStillPrints()
{
    const TimePoint t0(1h);
    LineRate averaged;
    feed(averaged, t0, 2000ms, 2300ms, false);
    QVERIFY2(averaged.perSecond() > 25, qPrintable(QString::number(averaged.perSecond())));
    LineRate fromCancel;
    feed(fromCancel, t0, 2000ms, 2300ms, true);
    QVERIFY2(qAbs(fromCancel.perSecond() - 10) < 1,
             qPrintable(QString::number(fromCancel.perSecond())));
}

void tst_LineRate::nothingBeforeTheMinimumSpan()
{
    LineRate rate;
    const TimePoint t0(1h);
    rate.add(t0, 0, 100ms, std::nullopt);
    rate.add(t0 + LineRate::MinimumSpan - 1ms, 100, 100ms, std::nullopt);
    QCOMPARE(rate.perSecond(), 0.0);
    rate.add(t0 + LineRate::MinimumSpan, 100, 100ms, std::nullopt);
    QCOMPARE(rate.perSecond(), 500.0);
}

QTEST_APPLESS_MAIN(tst_LineRate)
#include "tst_linerate.moc"
