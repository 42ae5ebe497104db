// SPDX-License-Identifier: MIT
#include "gui/timelinemodel.h"

#include <QtTest/QTest>

using namespace Demo;
using namespace std::chrono_literals;
using TimePoint = TimelineModel::TimePoint;

// Synthetic events on a fixed origin: no threads, no clock.
namespace {

const TimePoint T0 = TimePoint(std::chrono::hours(1));

WorkerEvent makeEvent(int worker, WorkerEvent::Type type, std::chrono::nanoseconds at,
                      quint64 line = 0)
{
    WorkerEvent e;
    e.worker = worker;
    e.type = type;
    e.time = T0 + at;
    e.line = line;
    return e;
}

} // namespace

class tst_TimelineModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ticksArePerLane();
    void oldTicksLeaveTheWindow();
    void denseLinesAreBinnedNotDropped();
    void lineAfterTheCancelIsCounted();
    void laneCancelIsTheEarlierCancel_data();
    void laneCancelIsTheEarlierCancel();
    void cancelAndDeadlineAreKept();
    void deadlineChangesAreMarked();
    void resetForgetsTheRun();
    void badLanesAreIgnored();
    void twoHundredFiftySixLanes();
};

void tst_TimelineModel::ticksArePerLane()
{
    TimelineModel model;
    model.reset(3);
    QCOMPARE(model.laneCount(), 3);
    model.addEvents({ makeEvent(0, WorkerEvent::Type::Started, 0ms),
                      makeEvent(0, WorkerEvent::Type::Sleeping, 1ms),
                      makeEvent(0, WorkerEvent::Type::Printed, 100ms, 1),
                      makeEvent(2, WorkerEvent::Type::Printed, 150ms, 1),
                      makeEvent(0, WorkerEvent::Type::Checking, 160ms),
                      makeEvent(0, WorkerEvent::Type::Printed, 200ms, 2) });
    model.advanceTo(T0 + 1s);
    QCOMPARE(model.bins(0).size(), std::size_t(2));
    QCOMPARE(model.bins(0).front().start, T0 + 100ms);
    QCOMPARE(model.bins(0).back().start, T0 + 200ms);
    QCOMPARE(model.linesInWindow(0), quint64(2));
    QCOMPARE(model.bins(1).size(), std::size_t(0));
    QCOMPARE(model.bins(2).size(), std::size_t(1));
    QCOMPARE(model.tickCount(0), quint64(2));
    QCOMPARE(model.startedAt(0), std::optional<TimePoint>(T0));
    QVERIFY(!model.startedAt(1));
    QVERIFY(!model.stoppedAt(0));
}

void tst_TimelineModel::oldTicksLeaveTheWindow()
{
    TimelineModel model;
    model.reset(1);
    for (int i = 0; i < 20; ++i)
        model.addEvent(makeEvent(0, WorkerEvent::Type::Printed, i * 1s, quint64(i + 1)));
    model.advanceTo(T0 + 19s);
    // The window is [9 s, 19 s]: ticks 9..19 s are in it, 0..8 s are gone.
    QCOMPARE(model.windowStart(), T0 + 9s);
    QCOMPARE(model.bins(0).size(), std::size_t(11));
    QCOMPARE(model.bins(0).front().start, T0 + 9s);
    QCOMPARE(model.linesInWindow(0), quint64(11));
    QCOMPARE(model.tickCount(0), quint64(20));
    // Time never goes back.
    model.advanceTo(T0 + 1s);
    QCOMPARE(model.now(), T0 + 19s);
    model.advanceTo(T0 + 30s);
    QVERIFY(model.bins(0).empty());
    QCOMPARE(model.linesInWindow(0), quint64(0));
}

// Defect: 8 workers at 1 ms kept only their newest 4,096 lines, so the lanes were blank from
// -10 s to -6 s though every line was printed. Dense lines are binned, never dropped.
void tst_TimelineModel::denseLinesAreBinnedNotDropped()
{
    TimelineModel model;
    model.reset(2);
    std::vector<WorkerEvent> events;
    for (int i = 0; i < 10000; ++i)
        events.push_back(makeEvent(0, WorkerEvent::Type::Printed, i * 1ms, quint64(i + 1)));
    model.addEvents(events);
    model.advanceTo(T0 + 10s);
    QCOMPARE(model.linesInWindow(0), quint64(10000)); // all of [0, 10 s]
    QCOMPARE(model.bins(0).size(), std::size_t(10s / TimelineModel::BinWidth));
    QCOMPARE(model.bins(0).front().start, T0);
    QCOMPARE(model.bins(0).back().start, T0 + 9995ms);
    for (const TimelineModel::Bin &bin : model.bins(0))
        QCOMPARE(bin.lines, quint32(5));
    QCOMPARE(model.tickCount(0), quint64(10000));
    QCOMPARE(model.recentTicks(0).size(), TimelineModel::RecentTicks);
    QCOMPARE(model.recentTicks(0).back(), T0 + 9999ms);
    QVERIFY(model.bins(1).empty());
    // Half a window later, half the lines are left.
    model.advanceTo(T0 + 15s);
    QCOMPARE(model.linesInWindow(0), quint64(5000));
}

// Defect: in poll mode the article's one last line, printed after the cancel, sat under the
// stop mark: the table said 3 lines, the timeline showed 2.
void tst_TimelineModel::lineAfterTheCancelIsCounted()
{
    TimelineModel model;
    model.reset(1);
    model.addEvent(makeEvent(0, WorkerEvent::Type::Started, 0ms));
    for (int i = 1; i <= 3; ++i)
        model.addEvent(makeEvent(0, WorkerEvent::Type::Printed, i * 100ms, quint64(i)));
    QCOMPARE(model.linesAfterCancel(0), 0); // not canceled
    model.setCanceledAt(T0 + 250ms);
    model.addEvent(makeEvent(0, WorkerEvent::Type::Stopped, 300ms + 40us, 3));
    model.advanceTo(T0 + 1s);
    QCOMPARE(model.linesInWindow(0), quint64(3));
    QCOMPARE(model.linesAfterCancel(0), 1);
}

// A lane's cancel mark is the earlier of the run's cancel and its worker's cancelDueAt; the
// worker is kept as the RunSnapshot gave it.
void tst_TimelineModel::laneCancelIsTheEarlierCancel_data()
{
    QTest::addColumn<std::optional<std::chrono::nanoseconds>>("runCancel");
    QTest::addColumn<std::optional<std::chrono::nanoseconds>>("workerDue");
    QTest::addColumn<std::optional<std::chrono::nanoseconds>>("laneCancel");
    using N = std::optional<std::chrono::nanoseconds>;
    QTest::newRow("the run's") << N(5s) << N() << N(5s);
    QTest::newRow("a timeout's deadline, before the timer fired") << N(5s) << N(4s) << N(4s);
    QTest::newRow("canceled alone") << N() << N(3s) << N(3s);
    QTest::newRow("alone, then the run") << N(4s) << N(3s) << N(3s);
    QTest::newRow("not canceled") << N() << N() << N();
}

void tst_TimelineModel::laneCancelIsTheEarlierCancel()
{
    QFETCH(std::optional<std::chrono::nanoseconds>, runCancel);
    QFETCH(std::optional<std::chrono::nanoseconds>, workerDue);
    QFETCH(std::optional<std::chrono::nanoseconds>, laneCancel);

    TimelineModel model;
    model.reset(2);
    if (runCancel)
        model.setCanceledAt(T0 + *runCancel);
    WorkerSnapshot worker;
    worker.lines = 7;
    if (workerDue) {
        worker.cancelDueAt = T0 + *workerDue;
        worker.stopLatency = 250ms;
    }
    model.setWorker(1, worker);
    QCOMPARE(model.laneCanceledAt(1),
             laneCancel ? std::optional<TimePoint>(T0 + *laneCancel) : std::nullopt);
    QCOMPARE(model.worker(1).lines, quint64(7));
    QCOMPARE(model.worker(1).stopLatency, worker.stopLatency);
    // Lane 0 was given no worker: only the run's cancel marks it.
    QCOMPARE(model.laneCanceledAt(0),
             runCancel ? std::optional<TimePoint>(T0 + *runCancel) : std::nullopt);
    QVERIFY(!model.worker(0).stopLatency);
}

void tst_TimelineModel::cancelAndDeadlineAreKept()
{
    TimelineModel model;
    model.reset(4);
    QVERIFY(!model.canceledAt());
    QVERIFY(!model.deadline());
    model.setDeadline(T0 + 2s);
    model.setCanceledAt(T0 + 2s + 3ms);
    model.advanceTo(T0 + 30s); // long past: they stay, off screen
    QCOMPARE(model.deadline(), std::optional<TimePoint>(T0 + 2s));
    QCOMPARE(model.canceledAt(), std::optional<TimePoint>(T0 + 2s + 3ms));
    QCOMPARE(model.laneCanceledAt(3), model.canceledAt());
    model.setDeadline(std::nullopt); // disarmed
    QVERIFY(!model.deadline());
}

// Arming, re-arming and disarming are each marked at the moment they were seen; the view
// reaches Ahead into the future from the first deadline on, also once it is disarmed.
void tst_TimelineModel::deadlineChangesAreMarked()
{
    using Kind = TimelineModel::DeadlineChange::Kind;
    const TimePoint t0(std::chrono::hours(1));
    TimelineModel model;
    model.reset(1);
    model.advanceTo(t0);
    model.setDeadline(std::nullopt);
    QVERIFY(model.deadlineChanges().empty());
    QCOMPARE(model.ahead(), 0s);
    model.setDeadline(t0 + 5s);
    model.setDeadline(t0 + 5s); // unchanged: no mark
    model.advanceTo(t0 + 1s);
    model.setDeadline(t0 + 3s);
    model.advanceTo(t0 + 2s);
    model.setDeadline(std::nullopt);
    const auto &changes = model.deadlineChanges();
    QCOMPARE(changes.size(), std::size_t(3));
    QVERIFY(changes[0].kind == Kind::Armed && changes[0].time == t0);
    QVERIFY(changes[1].kind == Kind::Rearmed && changes[1].time == t0 + 1s);
    QVERIFY(changes[2].kind == Kind::Disarmed && changes[2].time == t0 + 2s);
    QCOMPARE(model.ahead(), TimelineModel::Ahead); // the view does not rescale on a disarm
    QVERIFY(!model.deadline());
    // Nothing comes after the run's end: once its worker stopped, no future is shown.
    QVERIFY(!model.ended());
    model.addEvent(makeEvent(0, WorkerEvent::Type::Stopped, t0 + 3s - T0));
    QVERIFY(model.ended());
    QCOMPARE(model.ahead(), 0s);
    model.reset(1);
    QVERIFY(model.deadlineChanges().empty());
    QCOMPARE(model.ahead(), 0s);
}

void tst_TimelineModel::resetForgetsTheRun()
{
    TimelineModel model;
    model.reset(2);
    model.addEvent(makeEvent(1, WorkerEvent::Type::Printed, 1s));
    model.addEvent(makeEvent(1, WorkerEvent::Type::Stopped, 2s));
    model.setCanceledAt(T0 + 1500ms);
    WorkerSnapshot worker;
    worker.cancelDueAt = T0 + 1s;
    model.setWorker(0, worker);
    model.setDeadline(T0 + 1500ms);
    model.reset(5);
    QCOMPARE(model.laneCount(), 5);
    QVERIFY(model.bins(1).empty());
    QCOMPARE(model.tickCount(1), quint64(0));
    QVERIFY(!model.stoppedAt(1));
    QVERIFY(!model.laneCanceledAt(0));
    QVERIFY(!model.worker(0).cancelDueAt);
    QVERIFY(!model.canceledAt());
    QVERIFY(!model.deadline());
}

void tst_TimelineModel::badLanesAreIgnored()
{
    TimelineModel model;
    model.reset(-3);
    QCOMPARE(model.laneCount(), 0);
    model.reset(100000);
    QCOMPARE(model.laneCount(), Limits::MaxWorkers);
    model.reset(2);
    model.addEvent(makeEvent(-1, WorkerEvent::Type::Printed, 1s));
    model.addEvent(makeEvent(2, WorkerEvent::Type::Printed, 1s));
    WorkerSnapshot worker;
    worker.cancelDueAt = T0;
    model.setWorker(7, worker);
    model.setWorker(-1, worker);
    QVERIFY(model.bins(-1).empty());
    QVERIFY(model.bins(2).empty());
    QVERIFY(model.recentTicks(-1).empty());
    QCOMPARE(model.linesAfterCancel(5), 0);
    QCOMPARE(model.tickCount(0) + model.tickCount(1), quint64(0));
    QVERIFY(!model.laneCanceledAt(0));
    QVERIFY(!model.worker(99).cancelDueAt);
    QVERIFY(!model.worker(-1).cancelDueAt);
}

void tst_TimelineModel::twoHundredFiftySixLanes()
{
    // 256 workers in poll mode, 100 ms apart: the run's cancel at 5 s, each stops when its sleep
    // ends, up to one interval later.
    TimelineModel model;
    model.reset(256);
    std::vector<WorkerEvent> events;
    for (int w = 0; w < 256; ++w) {
        const auto phase = std::chrono::microseconds(w * 390); // 0 .. 99.5 ms
        events.push_back(makeEvent(w, WorkerEvent::Type::Started, phase));
        for (int i = 1; i <= 50; ++i)
            events.push_back(
                    makeEvent(w, WorkerEvent::Type::Printed, phase + i * 100ms, quint64(i)));
        events.push_back(makeEvent(w, WorkerEvent::Type::Stopped, phase + 5100ms, 50));
    }
    model.addEvents(events);
    model.setCanceledAt(T0 + 5s);
    model.advanceTo(T0 + 6s);
    QCOMPARE(model.laneCount(), 256);
    for (int w = 0; w < 256; ++w) {
        QCOMPARE(model.linesInWindow(w), quint64(50));
        QCOMPARE(model.stoppedAt(w),
                 std::optional<TimePoint>(T0 + 5100ms + std::chrono::microseconds(w * 390)));
        QCOMPARE(model.laneCanceledAt(w), std::optional<TimePoint>(T0 + 5s));
    }
}

QTEST_GUILESS_MAIN(tst_TimelineModel)
#include "tst_timelinemodel.moc"
