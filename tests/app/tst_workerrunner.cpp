// SPDX-License-Identifier: MIT
#include "core/runsnapshot.h"
#include "core/workerrunner.h"

#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QPointer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>

using namespace Demo;
using namespace std::chrono_literals;
using Cancellation::Reason;
using std::chrono::nanoseconds;

Q_DECLARE_METATYPE(Demo::RunConfig)

namespace {

// Collects the sink's lines; called on the worker threads.
class LineCollector
{
public:
    WorkerRunner::LineSink sink()
    {
        return [this](int worker, QStringView line) {
            std::lock_guard lock(m_mutex);
            m_lines.emplace_back(worker, line.toString());
        };
    }
    std::vector<std::pair<int, QString>> lines() const
    {
        std::lock_guard lock(m_mutex);
        return m_lines;
    }
    std::size_t count() const
    {
        std::lock_guard lock(m_mutex);
        return m_lines.size();
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::pair<int, QString>> m_lines;
};

} // namespace

class tst_WorkerRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromOptionsFillsDefaults();
    void runsAndCancelsAll();
    void lineTextNamesTheWorker();
    void cancelWorkerStopsOnlyThatOne();
    void rejectsSecondStartAndBadConfig_data();
    void rejectsSecondStartAndBadConfig();
    void zeroTimeoutPrintsNothing_data();
    void zeroTimeoutPrintsNothing();
    void timeoutCancelsWithEitherStyle_data();
    void timeoutCancelsWithEitherStyle();
    void timeoutCountsFromTimeoutFrom();
    void setTimeoutRearmsAndDisarms();
    void waitModeStopsAtOnce();
    void pollModePrintsOnceMoreAfterCancel();
    void mixedModeRunsBothLoops();
    void pauseHoldsWorkersAndStepMovesEachOneStep();
    void recordsEventsInOrder();
    void eventQueueIsBounded();
    void restartsAfterFinished();
    void destructorCancelsAndJoins();
    void workerSourceIsTheWorkersChild();
    void ignoringWorkerEndsOnItsOwn();
    void ignoringWorkerOutlivesTheCancel();
    void allIgnoringWorkersFinishWithoutCancel();
};

void tst_WorkerRunner::fromOptionsFillsDefaults()
{
    const RunConfig defaults = RunConfig::fromOptions(DemoOptions());
    QCOMPARE(defaults.workers, 1);
    QCOMPARE(defaults.interval, nanoseconds(1s));
    QVERIFY(defaults.mode == WaitMode::Wait);
    QVERIFY(!defaults.timeout);
    QVERIFY(defaults.timeoutStyle == TimeoutStyle::Timer);
    QCOMPARE(defaults.ignoringWorkers, 0);
    QCOMPARE(defaults.ignoredLineLimit, 10);

    DemoOptions options;
    options.workers = 8;
    options.interval = 5ms;
    options.timeout = 0ns;
    options.mode = WaitMode::Poll;
    options.timeoutStyle = TimeoutStyle::Deadline;
    options.ignoringWorkers = 3;
    const RunConfig config = RunConfig::fromOptions(options);
    QCOMPARE(config.ignoringWorkers, 3);
    QCOMPARE(config.workers, 8);
    QCOMPARE(config.interval, nanoseconds(5ms));
    QVERIFY(config.timeout == 0ns);
    QVERIFY(config.mode == WaitMode::Poll);
    QVERIFY(config.timeoutStyle == TimeoutStyle::Deadline);
}

void tst_WorkerRunner::runsAndCancelsAll()
{
    LineCollector collector;
    WorkerRunner runner;
    runner.setLineSink(collector.sink());
    QSignalSpy started(&runner, &WorkerRunner::started);
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(!runner.isRunning());
    QCOMPARE(runner.rootSource(), nullptr);

    QVERIFY(runner.start(RunConfig { .workers = 4, .interval = 1ms }));
    QCOMPARE(started.count(), 1);
    QVERIFY(runner.isRunning());
    QVERIFY(runner.rootSource());
    QCOMPARE(runner.workerCount(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(runner.totalLines() >= 20, 10000);
    QCOMPARE(runner.aliveWorkers(), 4);

    runner.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.count(), 1);
    QVERIFY(!runner.isRunning());
    QCOMPARE(runner.aliveWorkers(), 0);
    QCOMPARE(runner.rootSource()->reason().kind(), Reason::Kind::UserRequest);

    // The sink saw every counted line, and nothing after finished().
    QCOMPARE(quint64(collector.count()), runner.totalLines());
    quint64 sum = 0;
    const auto canceledAt = runner.rootSource()->reason().canceledAt();
    for (int i = 0; i < 4; ++i) {
        const WorkerStats stats = runner.workerStats(i);
        QCOMPARE(stats.state, WorkerState::Stopped);
        QVERIFY(stats.lines > 0);
        QVERIFY(stats.stoppedAt && *stats.stoppedAt >= canceledAt);
        sum += stats.lines;
    }
    QCOMPARE(sum, runner.totalLines());
    // Out of range: a default snapshot, no crash.
    QCOMPARE(runner.workerStats(4).lines, quint64(0));
    QVERIFY(!runner.workerStats(-1).stoppedAt);
}

void tst_WorkerRunner::lineTextNamesTheWorker()
{
    for (int workers : { 1, 3 }) {
        LineCollector collector;
        WorkerRunner runner;
        runner.setLineSink(collector.sink());
        QSignalSpy finished(&runner, &WorkerRunner::finished);
        QVERIFY(runner.start(RunConfig { .workers = workers, .interval = 1ms }));
        QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(workers - 1).lines > 0
                                         && runner.workerStats(0).lines > 0,
                                 10000);
        runner.cancel();
        QVERIFY(finished.wait(10000));
        std::set<int> seen;
        for (const auto &[worker, line] : collector.lines()) {
            const QString expected = workers == 1
                    ? QStringLiteral("Hello World!")
                    : QStringLiteral("[worker %1] Hello World!").arg(worker + 1);
            QCOMPARE(line, expected);
            seen.insert(worker);
        }
        QVERIFY(seen.count(0) && seen.count(workers - 1));
    }
}

void tst_WorkerRunner::cancelWorkerStopsOnlyThatOne()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 3, .interval = 1ms }));
    QVERIFY(!runner.cancelWorker(3));
    QVERIFY(!runner.cancelWorker(-1));

    QVERIFY(runner.cancelWorker(1));
    QVERIFY(!runner.cancelWorker(1)); // already canceled
    QTRY_COMPARE_WITH_TIMEOUT(runner.workerStats(1).state, WorkerState::Stopped, 10000);
    QCOMPARE(runner.aliveWorkers(), 2);
    QVERIFY(runner.isRunning());
    QVERIFY(!runner.rootSource()->isCanceled());
    const quint64 stoppedLines = runner.workerStats(1).lines;
    const quint64 before = runner.workerStats(0).lines;
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(0).lines > before + 5, 10000);
    QCOMPARE(runner.workerStats(1).lines, stoppedLines);
    QCOMPARE(finished.count(), 0);

    runner.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.aliveWorkers(), 0);
}

void tst_WorkerRunner::rejectsSecondStartAndBadConfig_data()
{
    QTest::addColumn<RunConfig>("config");
    QTest::newRow("0 workers") << RunConfig { .workers = 0, .interval = 1s };
    QTest::newRow("257 workers") << RunConfig { .workers = 257, .interval = 1s };
    QTest::newRow("0 interval") << RunConfig { .workers = 1, .interval = 0ns };
    QTest::newRow("interval > 1 h") << RunConfig { .workers = 1, .interval = 1h + 1ns };
    RunConfig negativeTimeout { .workers = 1, .interval = 1s };
    negativeTimeout.timeout = -1ms;
    QTest::newRow("negative timeout") << negativeTimeout;
    RunConfig longTimeout { .workers = 1, .interval = 1s };
    longTimeout.timeout = 25h;
    QTest::newRow("timeout > 24 h") << longTimeout;
    RunConfig tooManyIgnoring { .workers = 2, .interval = 1s };
    tooManyIgnoring.ignoringWorkers = 3;
    QTest::newRow("3 of 2 workers ignoring") << tooManyIgnoring;
    RunConfig negativeIgnoring { .workers = 2, .interval = 1s };
    negativeIgnoring.ignoringWorkers = -1;
    QTest::newRow("-1 ignoring workers") << negativeIgnoring;
    RunConfig zeroLimit { .workers = 2, .interval = 1s };
    zeroLimit.ignoringWorkers = 1;
    zeroLimit.ignoredLineLimit = 0;
    QTest::newRow("ignored line limit 0") << zeroLimit;
    RunConfig noSlowdown { .workers = 1, .interval = 1s };
    noSlowdown.slowdown = 0;
    QTest::newRow("slowdown 0") << noSlowdown;
    RunConfig hugeSlowdown { .workers = 1, .interval = 1s };
    hugeSlowdown.slowdown = RunConfig::MaxSlowdown + 1;
    QTest::newRow("slowdown above the maximum") << hugeSlowdown;
}

void tst_WorkerRunner::rejectsSecondStartAndBadConfig()
{
    QFETCH(RunConfig, config);
    WorkerRunner runner;
    QSignalSpy started(&runner, &WorkerRunner::started);
    QTest::ignoreMessage(QtWarningMsg, "start(): configuration out of range");
    QVERIFY(!runner.start(config));
    QVERIFY(!runner.isRunning());
    QCOMPARE(runner.rootSource(), nullptr);

    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 2, .interval = 1s }));
    Cancellation::Source *root = runner.rootSource();
    QTest::ignoreMessage(QtWarningMsg, "start(): a run is already active");
    QVERIFY(!runner.start(RunConfig { .workers = 2, .interval = 1s }));
    QCOMPARE(runner.rootSource(), root);
    QCOMPARE(started.count(), 1);
    runner.cancel();
    QVERIFY(finished.wait(10000));
}

void tst_WorkerRunner::zeroTimeoutPrintsNothing_data()
{
    QTest::addColumn<TimeoutStyle>("style");
    QTest::addColumn<WaitMode>("mode");
    QTest::newRow("timer, wait") << TimeoutStyle::Timer << WaitMode::Wait;
    QTest::newRow("timer, poll") << TimeoutStyle::Timer << WaitMode::Poll;
    QTest::newRow("deadline, wait") << TimeoutStyle::Deadline << WaitMode::Wait;
    QTest::newRow("deadline, poll") << TimeoutStyle::Deadline << WaitMode::Poll;
}

void tst_WorkerRunner::zeroTimeoutPrintsNothing()
{
    QFETCH(TimeoutStyle, style);
    QFETCH(WaitMode, mode);
    LineCollector collector;
    WorkerRunner runner;
    runner.setLineSink(collector.sink());
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config { .workers = 4, .interval = 1ms, .mode = mode };
    config.timeout = 0ns;
    config.timeoutStyle = style;
    QVERIFY(runner.start(config));
    QVERIFY(runner.rootSource()->isCanceled()); // before any worker ran
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.totalLines(), quint64(0));
    QCOMPARE(collector.count(), std::size_t(0));
    QCOMPARE(runner.rootSource()->reason().kind(), Reason::Kind::Timeout);
}

void tst_WorkerRunner::timeoutCancelsWithEitherStyle_data()
{
    zeroTimeoutPrintsNothing_data();
}

void tst_WorkerRunner::timeoutCancelsWithEitherStyle()
{
    QFETCH(TimeoutStyle, style);
    QFETCH(WaitMode, mode);
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config { .workers = 2, .interval = 5ms, .mode = mode };
    config.timeout = 50ms;
    config.timeoutStyle = style;
    const auto startedAt = std::chrono::steady_clock::now();
    QVERIFY(runner.start(config));
    QVERIFY(finished.wait(10000));
    const Reason reason = runner.rootSource()->reason();
    QCOMPARE(reason.kind(), Reason::Kind::Timeout);
    // Never early: the deadline is a lower bound, whoever notices it.
    QVERIFY(reason.canceledAt() - startedAt >= 50ms);
    QVERIFY(runner.totalLines() > 0);
}

void tst_WorkerRunner::timeoutCountsFromTimeoutFrom()
{
    using namespace std::chrono;
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config { .workers = 2, .interval = 1s };
    config.timeout = 1h;
    config.timeoutFrom = steady_clock::now() - 10min;
    QVERIFY(runner.start(config));
    // The deadline is timeoutFrom + timeout, to the nanosecond, not now + timeout.
    QCOMPARE(runner.rootSource()->deadline().deadlineNSecs(),
             duration_cast<nanoseconds>((*config.timeoutFrom + 1h).time_since_epoch()).count());
    runner.cancel();
    QVERIFY(finished.wait(10000));

    // A deadline already passed when the run starts cancels before any worker prints.
    config.timeout = 500ms;
    config.timeoutFrom = steady_clock::now() - 1s;
    LineCollector collector;
    runner.setLineSink(collector.sink());
    QVERIFY(runner.start(config));
    QVERIFY(runner.rootSource()->isCanceled());
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.rootSource()->reason().kind(), Reason::Kind::Timeout);
    QCOMPARE(runner.totalLines(), quint64(0));
    QCOMPARE(collector.count(), std::size_t(0));
}

void tst_WorkerRunner::setTimeoutRearmsAndDisarms()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    runner.setTimeout(1ms); // no run: nothing to arm, no crash
    RunConfig config { .workers = 2, .interval = 1s };
    config.timeout = 1h;
    QVERIFY(runner.start(config));
    QVERIFY(!runner.rootSource()->deadline().isForever());

    runner.setTimeout(std::nullopt);
    QVERIFY(runner.rootSource()->deadline().isForever());

    const auto rearmedAt = std::chrono::steady_clock::now();
    runner.setTimeout(20ms);
    QVERIFY(finished.wait(10000));
    const Reason reason = runner.rootSource()->reason();
    QCOMPARE(reason.kind(), Reason::Kind::Timeout);
    QVERIFY(reason.canceledAt() - rearmedAt >= 20ms);
}

void tst_WorkerRunner::waitModeStopsAtOnce()
{
    // A 1 h interval: a worker that slept it out would hang the test; the token's
    // wait returns at the cancel.
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 16, .interval = 1h }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(15).state == WorkerState::Sleeping, 10000);
    runner.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.totalLines(), quint64(0));
    // Generous: the wake-up takes microseconds, but CI machines stall; far below the interval.
    const auto slowest = RunSnapshot::take(runner, std::chrono::steady_clock::now()).slowestStop;
    QVERIFY(slowest);
    QVERIFY2(*slowest < 5s, qPrintable(QString::number(slowest->count())));
}

void tst_WorkerRunner::pollModePrintsOnceMoreAfterCancel()
{
    // The article's loop checks only after a whole sleep, then prints before
    // checking again: a cancel during the sleep costs one more line.
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 1, .interval = 500ms, .mode = WaitMode::Poll }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(0).state == WorkerState::Sleeping, 10000);
    const auto canceledAt = std::chrono::steady_clock::now();
    runner.cancel();
    QCOMPARE(runner.workerStats(0).lines, quint64(0));
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.workerStats(0).lines, quint64(1));
    // It slept the rest of its interval; the check before the sleep was at most
    // one interval before the cancel, so the latency is in (0, interval].
    const nanoseconds latency =
            *RunSnapshot::take(runner, std::chrono::steady_clock::now()).slowestStop;
    QVERIFY(latency > 0ns);
    QVERIFY(std::chrono::steady_clock::now() - canceledAt >= latency);
}

// Odd-numbered workers (even indexes) run the article's loop, the others wait on the token:
// canceled during their sleep, the pollers print one more line and the waiters none.
void tst_WorkerRunner::mixedModeRunsBothLoops()
{
    RunConfig config { .workers = 4, .interval = 500ms, .mode = WaitMode::Mixed };
    QVERIFY(config.modeOf(0) == WaitMode::Poll && config.modeOf(2) == WaitMode::Poll);
    QVERIFY(config.modeOf(1) == WaitMode::Wait && config.modeOf(3) == WaitMode::Wait);
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(config));
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(0).state == WorkerState::Sleeping
                                     && runner.workerStats(2).state == WorkerState::Sleeping,
                             10000);
    runner.cancel();
    QVERIFY(finished.wait(10000));
    if (runner.workerStats(0).lines > 1 || runner.workerStats(2).lines > 1)
        QSKIP("a poller's 500 ms sleep ended before the cancel: too slow a machine to tell");
    QCOMPARE(runner.workerStats(0).lines, quint64(1));
    QCOMPARE(runner.workerStats(2).lines, quint64(1));
    QCOMPARE(runner.workerStats(1).lines, quint64(0));
    QCOMPARE(runner.workerStats(3).lines, quint64(0));
}

// Paused, every worker holds before its next step; each step() moves each worker exactly one
// step along its loop (check, sleep, print), so six steps print exactly two lines each. A cancel
// while paused lands on the token at once, and the workers stop at the step that checks it.
void tst_WorkerRunner::pauseHoldsWorkersAndStepMovesEachOneStep()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(!runner.isPaused());
    runner.setPaused(true); // no run: nothing to pause
    QVERIFY(!runner.isPaused());
    QVERIFY(runner.start(RunConfig { .workers = 2, .interval = 2ms, .mode = WaitMode::Poll }));
    QTRY_VERIFY(runner.totalLines() >= 4);
    runner.setPaused(true);
    QVERIFY(runner.isPaused());
    QTRY_COMPARE(runner.heldWorkers(), 2);
    const quint64 lines = runner.totalLines();
    const auto next = [](WorkerState state) {
        switch (state) {
        case WorkerState::Checking:
            return WorkerState::Sleeping;
        case WorkerState::Sleeping:
            return WorkerState::Printing;
        case WorkerState::Printing:
            return WorkerState::Checking;
        default:
            return state;
        }
    };
    for (int round = 0; round < 6; ++round) {
        const WorkerState first = runner.workerStats(0).state;
        const WorkerState second = runner.workerStats(1).state;
        QVERIFY(first != WorkerState::Stopped && second != WorkerState::Stopped);
        runner.step();
        QTRY_VERIFY(runner.heldWorkers() == 2 && runner.workerStats(0).state == next(first)
                    && runner.workerStats(1).state == next(second));
    }
    QCOMPARE(runner.totalLines(), lines + 4);

    // A worker held anywhere but at its check prints once more before it sees the cancel.
    quint64 oneMore = 0;
    for (int i = 0; i < 2; ++i)
        oneMore += runner.workerStats(i).state == WorkerState::Checking ? 0 : 1;
    QVERIFY(runner.cancel());
    QCOMPARE(runner.heldWorkers(), 2); // still held: the cancel waits for their next check
    QCOMPARE(runner.aliveWorkers(), 2);
    runner.setPaused(false);
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.totalLines(), lines + 4 + oneMore);
    QVERIFY(!runner.isPaused()); // a run that has ended is not paused
}

void tst_WorkerRunner::recordsEventsInOrder()
{
    WorkerRunner runner;
    QVERIFY(!runner.recordsEvents());
    runner.setRecordEvents(true);
    QVERIFY(runner.recordsEvents());
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 3, .interval = 1ms, .mode = WaitMode::Poll }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.totalLines() >= 15, 10000);
    runner.cancel();
    QVERIFY(finished.wait(10000));

    const std::vector<WorkerEvent> events = runner.takeEvents();
    QVERIFY(runner.takeEvents().empty()); // drained
    QCOMPARE(runner.droppedEvents(), quint64(0));
    std::map<int, std::vector<WorkerEvent>> perWorker;
    for (const WorkerEvent &event : events)
        perWorker[event.worker].push_back(event);
    QCOMPARE(perWorker.size(), std::size_t(3));
    for (const auto &[worker, list] : perWorker) {
        QVERIFY(list.size() >= 2);
        QCOMPARE(list.front().type, WorkerEvent::Type::Started);
        QCOMPARE(list.back().type, WorkerEvent::Type::Stopped);
        quint64 printed = 0;
        for (std::size_t i = 1; i < list.size(); ++i) {
            QVERIFY(list[i - 1].time <= list[i].time);
            if (list[i].type == WorkerEvent::Type::Printed)
                QCOMPARE(list[i].line, ++printed);
        }
        QCOMPARE(printed, runner.workerStats(worker).lines);
        QCOMPARE(list.back().line, printed);
    }
}

void tst_WorkerRunner::eventQueueIsBounded()
{
    // Nobody drains: the oldest events go, the queue stays at its cap.
    WorkerRunner runner;
    runner.setRecordEvents(true);
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 64, .interval = 1ms, .mode = WaitMode::Poll }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.droppedEvents() > 0, 30000);
    runner.cancel();
    QVERIFY(finished.wait(10000));
    const std::vector<WorkerEvent> events = runner.takeEvents();
    QCOMPARE(events.size(), WorkerRunner::MaxQueuedEvents);
    QCOMPARE(events.back().type, WorkerEvent::Type::Stopped); // the newest are kept
}

void tst_WorkerRunner::restartsAfterFinished()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 2, .interval = 1ms }));
    QPointer<Cancellation::Source> first = runner.rootSource();
    runner.cancel();
    QVERIFY(finished.wait(10000));
    QVERIFY(first); // still there after the run, for its reason

    QVERIFY(runner.start(RunConfig { .workers = 3, .interval = 1ms }));
    QVERIFY(first.isNull()); // replaced by the new run's root
    QVERIFY(!runner.rootSource()->isCanceled());
    QCOMPARE(runner.workerCount(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(2).lines > 0, 10000);
    runner.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.count(), 2);
}

void tst_WorkerRunner::destructorCancelsAndJoins()
{
    LineCollector collector;
    Cancellation::Token token;
    {
        WorkerRunner runner;
        runner.setLineSink(collector.sink());
        QVERIFY(runner.start(RunConfig { .workers = 8, .interval = 1ms }));
        token = runner.rootSource()->token();
        QTRY_VERIFY_WITH_TIMEOUT(runner.totalLines() >= 8, 10000);
    }
    QVERIFY(token.isCanceled());
    // Joined: no worker is left to print.
    const std::size_t after = collector.count();
    QCoreApplication::processEvents(); // a queued finished() hop must be dropped, not crash
    QCOMPARE(collector.count(), after);
}

void tst_WorkerRunner::workerSourceIsTheWorkersChild()
{
    WorkerRunner runner;
    QCOMPARE(runner.workerSource(0), nullptr);
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 3, .interval = 1ms }));
    QCOMPARE(runner.workerSource(3), nullptr);
    QCOMPARE(runner.workerSource(-1), nullptr);
    QCOMPARE(runner.rootSource()->token().childCount(), qsizetype(3));
    Cancellation::Source *second = runner.workerSource(1);
    QVERIFY(second);
    QCOMPARE(second->debugName(), QStringLiteral("worker 2"));

    // Canceling it is cancelWorker(1): that worker alone stops.
    QVERIFY(second->cancel());
    QVERIFY(!runner.cancelWorker(1));
    QTRY_COMPARE_WITH_TIMEOUT(runner.workerStats(1).state, WorkerState::Stopped, 10000);
    QCOMPARE(runner.aliveWorkers(), 2);
    QVERIFY(!runner.workerSource(0)->isCanceled());

    runner.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.workerSource(0)->reason().kind(), Reason::Kind::ParentCanceled);
}

void tst_WorkerRunner::ignoringWorkerEndsOnItsOwn()
{
    // Never canceled: it prints its limit and ends, while the others keep going.
    LineCollector collector;
    WorkerRunner runner;
    runner.setLineSink(collector.sink());
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config { .workers = 2, .interval = 1ms };
    config.ignoringWorkers = 1;
    config.ignoredLineLimit = 5;
    QVERIFY(runner.start(config));
    QVERIFY(runner.workerStats(0).ignoresToken);
    QVERIFY(!runner.workerStats(1).ignoresToken);
    QTRY_COMPARE_WITH_TIMEOUT(runner.workerStats(0).state, WorkerState::Stopped, 10000);
    QCOMPARE(runner.aliveWorkers(), 1);
    QVERIFY(runner.isRunning());
    const WorkerStats ignoring = runner.workerStats(0);
    QCOMPARE(ignoring.lines, quint64(5));
    QVERIFY(ignoring.stoppedAt);
    QVERIFY(!runner.rootSource()->isCanceled());

    runner.cancel();
    QVERIFY(finished.wait(10000));
    // Its token was canceled after it had ended: it ignored nothing, and has no stop latency.
    const RunSnapshot run = RunSnapshot::take(runner, std::chrono::steady_clock::now());
    QVERIFY(run.workers[0].isCanceled());
    QVERIFY(!run.workers[0].ignoredCancellation());
    QVERIFY(!run.workers[0].stopLatency);
    QVERIFY(!run.workers[1].ignoredCancellation());
    QCOMPARE(run.ignoredCancellation, 0);
    QCOMPARE(run.stoppedByRun, 1);
    std::size_t firstWorkerLines = 0;
    for (const auto &line : collector.lines())
        firstWorkerLines += line.first == 0 ? 1 : 0;
    QCOMPARE(firstWorkerLines, std::size_t(5));
}

void tst_WorkerRunner::ignoringWorkerOutlivesTheCancel()
{
    // The ignoring worker is held in its first line until the test has seen the others stop,
    // so "the others stop at once" does not depend on timing.
    struct Gate
    {
        std::mutex mutex;
        std::condition_variable cv;
        bool open = false;
        std::atomic<bool> held { false };
        void release()
        {
            {
                std::lock_guard lock(mutex);
                open = true;
            }
            cv.notify_all();
        }
    };
    Gate gate;
    LineCollector collector;
    const WorkerRunner::LineSink collect = collector.sink();
    WorkerRunner runner;
    runner.setLineSink([&gate, collect](int worker, QStringView line) {
        collect(worker, line);
        if (worker != 0 || gate.held.exchange(true))
            return;
        std::unique_lock lock(gate.mutex);
        gate.cv.wait(lock, [&gate] { return gate.open; });
    });
    // Declared after the runner: opens the gate before the runner joins, even if a check fails.
    const std::unique_ptr<Gate, void (*)(Gate *)> opener(&gate, [](Gate *g) { g->release(); });

    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config { .workers = 3, .interval = 1ms, .mode = WaitMode::Wait };
    config.ignoringWorkers = 1;
    QCOMPARE(config.ignoredLineLimit, 10);
    QVERIFY(runner.start(config));
    QTRY_VERIFY_WITH_TIMEOUT(gate.held.load(), 10000);
    runner.cancel();

    // Wait mode: the others wake at the cancel and stop while the ignoring one is still held.
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(1).state == WorkerState::Stopped
                                     && runner.workerStats(2).state == WorkerState::Stopped,
                             10000);
    QCOMPARE(runner.aliveWorkers(), 1);
    QCOMPARE(runner.workerStats(0).lines, quint64(1));
    QCOMPARE(runner.workerStats(0).state, WorkerState::Printing);
    QCOMPARE(finished.count(), 0);

    gate.release();
    QVERIFY(finished.wait(10000)); // 9 more lines at 1 ms each
    const WorkerStats ignoring = runner.workerStats(0);
    QCOMPARE(ignoring.lines, quint64(10)); // exactly its limit: the cancel changed nothing
    const RunSnapshot run = RunSnapshot::take(runner, std::chrono::steady_clock::now());
    QVERIFY(run.workers[0].ignoredCancellation());
    QVERIFY(run.workers[0].stopLatency);
    QCOMPARE(run.ignoredCancellation, 1);
    QCOMPARE(run.stoppedByRun, 2);
    for (int i = 1; i < 3; ++i) {
        QVERIFY(!runner.workerStats(i).ignoresToken);
        QVERIFY(!run.workers[std::size_t(i)].ignoredCancellation());
        // Stopped before the held worker was released, so well before it.
        QVERIFY(*run.workers[std::size_t(i)].stopLatency < *run.workers[0].stopLatency);
    }
    // The run's slowest stop counts only the workers its cancel stopped.
    QVERIFY(*run.slowestStop < *run.workers[0].stopLatency);
    std::size_t firstWorkerLines = 0;
    for (const auto &line : collector.lines())
        firstWorkerLines += line.first == 0 ? 1 : 0;
    QCOMPARE(firstWorkerLines, std::size_t(10));
}

void tst_WorkerRunner::allIgnoringWorkersFinishWithoutCancel()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config { .workers = 3, .interval = 1ms, .mode = WaitMode::Poll };
    config.ignoringWorkers = 3;
    config.ignoredLineLimit = 4;
    QVERIFY(runner.start(config));
    QVERIFY(finished.wait(10000));
    QVERIFY(!runner.rootSource()->isCanceled());
    QCOMPARE(runner.totalLines(), quint64(12));
    const RunSnapshot run = RunSnapshot::take(runner, std::chrono::steady_clock::now());
    QVERIFY(!run.slowestStop); // nobody was stopped by a cancel
    QCOMPARE(run.stoppedByRun, 0);
}

QTEST_GUILESS_MAIN(tst_WorkerRunner)
#include "tst_workerrunner.moc"
