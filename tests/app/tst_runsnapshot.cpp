// SPDX-License-Identifier: MIT
// RunSnapshot against scripted runs: each fact is computed here again, independently, from the
// runner's raw counters and the tokens, and compared with the snapshot's.
#include "core/runsnapshot.h"

#include <Cancellation/source.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <chrono>
#include <optional>

using namespace Demo;
using namespace std::chrono_literals;
using Cancellation::Reason;
using std::chrono::nanoseconds;
using std::chrono::steady_clock;

namespace {

RunSnapshot take(const WorkerRunner &runner)
{
    return RunSnapshot::take(runner, steady_clock::now());
}

steady_clock::time_point deadlineOf(const Cancellation::Source &source)
{
    return steady_clock::time_point(nanoseconds(source.deadline().deadlineNSecs()));
}

} // namespace

class tst_RunSnapshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void beforeTheFirstRun();
    void timeoutIsMeasuredFromTheDeadline_data();
    void timeoutIsMeasuredFromTheDeadline();
    void mixedRunCountsEachWorkerOnce();
    void pauseIsCountedApartInTheStop();
    void runThatEndsPausedStopsCountingThePause();
};

void tst_RunSnapshot::beforeTheFirstRun()
{
    WorkerRunner runner;
    RunConfig controls { .workers = 7, .interval = 20ms, .mode = WaitMode::Poll };
    const RunSnapshot run = RunSnapshot::take(runner, steady_clock::now(), controls);
    QVERIFY(!run.hasRun);
    QVERIFY(!run.running);
    QCOMPARE(run.runNumber, quint64(0));
    QCOMPARE(run.config.workers, 7); // the controls' config, for the idle text and code preview
    QVERIFY(run.workers.empty());
    QVERIFY(!run.isCanceled());
}

void tst_RunSnapshot::timeoutIsMeasuredFromTheDeadline_data()
{
    QTest::addColumn<TimeoutStyle>("style");
    QTest::newRow("deadline checked on poll") << TimeoutStyle::Deadline;
    QTest::newRow("timer") << TimeoutStyle::Timer;
}

// Poll mode with a 300 ms sleep and a 50 ms timeout: the worker is asleep at the deadline. With
// a deadline checked on poll, the token is canceled only at the worker's next check, about
// 250 ms late; the stop is due at the deadline either way, so both styles report a stop about
// 250 ms after it (defect: the window said "17 ms after cancel" for the deadline style).
void tst_RunSnapshot::timeoutIsMeasuredFromTheDeadline()
{
    QFETCH(TimeoutStyle, style);
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig run { .workers = 1, .interval = 300ms, .mode = WaitMode::Poll };
    run.timeout = 50ms;
    run.timeoutStyle = style;
    QVERIFY(runner.start(run));
    QVERIFY(finished.wait(10000));

    const Cancellation::Source &root = *runner.rootSource();
    const Reason reason = root.reason();
    QCOMPARE(reason.kind(), Reason::Kind::Timeout);
    const steady_clock::time_point deadline = deadlineOf(root);
    const WorkerStats stats = runner.workerStats(0);
    QVERIFY(stats.stoppedAt);

    const RunSnapshot snapshot = take(runner);
    QVERIFY(snapshot.timedOut());
    QVERIFY(snapshot.deadline == deadline);
    QVERIFY(snapshot.noticedLate == reason.canceledAt() - deadline);
    QCOMPARE(snapshot.workers.size(), std::size_t(1));
    const WorkerSnapshot &worker = snapshot.workers[0];
    QVERIFY(worker.cancelDueAt == deadline);
    QVERIFY(worker.stopLatency == *stats.stoppedAt - deadline);
    QVERIFY(snapshot.slowestStop == worker.stopLatency);
    QCOMPARE(snapshot.stoppedByRun, 1);
    // The worker checked at the end of its first 300 ms sleep, 250 ms after the deadline.
    // Generous bounds for a loaded machine: the stop cannot come before that check.
    QVERIFY2(*worker.stopLatency >= 200ms,
             qPrintable(QString::number(worker.stopLatency->count())));
    if (style == TimeoutStyle::Deadline) {
        // Noticed by that check: the token itself was canceled late.
        QVERIFY(*snapshot.noticedLate >= 200ms);
        QVERIFY(*worker.stopLatency >= *snapshot.noticedLate);
    } else {
        // The timer fired at the deadline; the worker noticed at its check.
        QVERIFY2(*snapshot.noticedLate < 200ms,
                 qPrintable(QString::number(snapshot.noticedLate->count())));
    }
}

// Worker 1 ignores its token, worker 2 is canceled alone, then the run is canceled: each worker
// is counted once, under what really happened to it (defect: "All 4 workers stopped 3.2 ms after
// cancel" while worker 1 ran on for seconds, and "waiting for 1 worker" that never would).
void tst_RunSnapshot::mixedRunCountsEachWorkerOnce()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig run { .workers = 4, .interval = 2ms, .mode = WaitMode::Wait };
    run.ignoringWorkers = 1;
    run.ignoredLineLimit = 200; // about 0.4 s: it outlives the cancel below
    QVERIFY(runner.start(run));
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(1).lines > 0, 10000);

    QVERIFY(runner.cancelWorker(1));
    QTRY_COMPARE_WITH_TIMEOUT(runner.workerStats(1).state, WorkerState::Stopped, 10000);
    RunSnapshot snapshot = take(runner);
    QVERIFY(snapshot.running);
    QVERIFY(!snapshot.isCanceled());
    QCOMPARE(snapshot.canceledAlone, 1);
    QVERIFY(snapshot.workers[1].isCanceledAlone());
    QCOMPARE(snapshot.workers[1].reason.kind(), Reason::Kind::UserRequest);
    QVERIFY(snapshot.workers[1].stopLatency
            == *runner.workerStats(1).stoppedAt - runner.workerSource(1)->reason().canceledAt());

    runner.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(runner.workerStats(2).state == WorkerState::Stopped
                                     && runner.workerStats(3).state == WorkerState::Stopped,
                             10000);
    snapshot = take(runner);
    if (snapshot.workers[0].isAlive()) { // worker 1 has not printed its 200 lines yet
        QCOMPARE(snapshot.yetToNotice, 0); // it never notices: it is not waiting to
        QCOMPARE(snapshot.ignoringAlive, 1);
        QVERIFY(snapshot.workers[0].ignoredCancellation());
    }

    QVERIFY(finished.wait(10000));
    snapshot = take(runner);
    QVERIFY(!snapshot.running);
    const steady_clock::time_point canceledAt = runner.rootSource()->reason().canceledAt();
    std::optional<nanoseconds> slowest;
    for (int i : { 2, 3 }) {
        const WorkerStats stats = runner.workerStats(i);
        const nanoseconds latency = *stats.stoppedAt - canceledAt;
        QVERIFY(snapshot.workers[std::size_t(i)].stopLatency == latency);
        QCOMPARE(snapshot.workers[std::size_t(i)].reason.kind(), Reason::Kind::ParentCanceled);
        slowest = std::max(slowest.value_or(nanoseconds::zero()), latency);
    }
    QCOMPARE(snapshot.stoppedByRun, 2); // not the ignoring one, not the one canceled alone
    QVERIFY(snapshot.slowestStop == slowest);
    QCOMPARE(snapshot.canceledAlone, 1);
    QCOMPARE(snapshot.ignoredCancellation, 1);
    QCOMPARE(snapshot.workers[0].lines, quint64(200));
    QVERIFY(snapshot.workers[0].stopLatency == *runner.workerStats(0).stoppedAt - canceledAt);
    QVERIFY(*snapshot.workers[0].stopLatency > *snapshot.slowestStop);
    QCOMPARE(snapshot.alive, 0);
    QCOMPARE(snapshot.yetToNotice, 0);
    quint64 lines = 0;
    for (const WorkerSnapshot &worker : snapshot.workers)
        lines += worker.lines;
    QCOMPARE(snapshot.totalLines, lines);
}

// Paused, then canceled, then resumed: each stop is still measured from the cancel, and the
// part of it the run spent paused is found here again from the moments around the test's own
// resume (defect: "stopped within 8.6 s of the cancel ... up to one interval late" with a 2 s
// interval, 6 s of it paused, and the explanation never said so).
void tst_RunSnapshot::pauseIsCountedApartInTheStop()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 3, .interval = 2ms, .mode = WaitMode::Poll }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.totalLines() >= 3, 10000);
    runner.setPaused(true);
    QTRY_COMPARE_WITH_TIMEOUT(runner.heldWorkers(), 3, 10000);
    QVERIFY(runner.cancel());
    const steady_clock::time_point canceledAt = runner.rootSource()->reason().canceledAt();

    // Paused since before the cancel: all the time since is paused, at whatever moment it is read.
    RunSnapshot snapshot = RunSnapshot::take(runner, canceledAt + 1h);
    QVERIFY(snapshot.paused);
    QCOMPARE(snapshot.yetToNotice, 3);
    QCOMPARE(snapshot.pausedSinceCancel, nanoseconds(1h));
    QCOMPARE(RunSnapshot::take(runner, canceledAt).pausedSinceCancel, nanoseconds::zero());

    const steady_clock::time_point beforeResume = steady_clock::now();
    runner.setPaused(false);
    const steady_clock::time_point afterResume = steady_clock::now();
    QVERIFY(finished.wait(10000));

    snapshot = take(runner);
    QVERIFY(!snapshot.paused);
    std::optional<nanoseconds> slowest;
    nanoseconds slowestPaused {};
    for (int i = 0; i < 3; ++i) {
        const WorkerSnapshot &worker = snapshot.workers[std::size_t(i)];
        QVERIFY(worker.stopLatency == *runner.workerStats(i).stoppedAt - canceledAt);
        // The pause ended between the two clock reads around setPaused(false).
        QVERIFY(worker.stopLatencyPaused >= beforeResume - canceledAt);
        QVERIFY(worker.stopLatencyPaused <= afterResume - canceledAt);
        QVERIFY(worker.stopLatencyPaused <= *worker.stopLatency);
        if (!slowest || *worker.stopLatency > *slowest) {
            slowest = worker.stopLatency;
            slowestPaused = worker.stopLatencyPaused;
        }
    }
    QCOMPARE(snapshot.stoppedByRun, 3);
    QVERIFY(snapshot.slowestStop == slowest);
    QCOMPARE(snapshot.slowestStopPaused, slowestPaused);
    QVERIFY(snapshot.pausedSinceCancel >= beforeResume - canceledAt);
    QVERIFY(snapshot.pausedSinceCancel <= afterResume - canceledAt);
    // Over: reading it an hour later adds nothing.
    QCOMPARE(RunSnapshot::take(runner, snapshot.takenAt + 1h).pausedSinceCancel,
             snapshot.pausedSinceCancel);
}

// Canceled while paused, every worker stepped to its check and stopped there: the run ends
// still paused. Each stop was paused all along, and the pause ends with the run.
void tst_RunSnapshot::runThatEndsPausedStopsCountingThePause()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 2, .interval = 2ms, .mode = WaitMode::Poll }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.totalLines() >= 2, 10000);
    runner.setPaused(true);
    QTRY_COMPARE_WITH_TIMEOUT(runner.heldWorkers(), 2, 10000);
    QVERIFY(runner.cancel());
    const steady_clock::time_point canceledAt = runner.rootSource()->reason().canceledAt();
    // At most three steps each (sleep, print, check) bring every worker to its check.
    QTRY_VERIFY_WITH_TIMEOUT((runner.step(), runner.aliveWorkers() == 0), 10000);
    QVERIFY(finished.count() == 1 || finished.wait(10000));
    const steady_clock::time_point ended = steady_clock::now();

    const RunSnapshot snapshot = take(runner);
    QVERIFY(!snapshot.running);
    QVERIFY(!snapshot.paused); // a run that has ended is not paused
    for (int i = 0; i < 2; ++i) {
        const WorkerSnapshot &worker = snapshot.workers[std::size_t(i)];
        QVERIFY(worker.stopLatency == *runner.workerStats(i).stoppedAt - canceledAt);
        QCOMPARE(worker.stopLatencyPaused, *worker.stopLatency);
    }
    QCOMPARE(snapshot.slowestStopPaused, *snapshot.slowestStop);
    QVERIFY(snapshot.pausedSinceCancel >= *snapshot.slowestStop);
    QVERIFY(snapshot.pausedSinceCancel <= ended - canceledAt);
    QCOMPARE(RunSnapshot::take(runner, snapshot.takenAt + 1h).pausedSinceCancel,
             snapshot.pausedSinceCancel);
}

QTEST_GUILESS_MAIN(tst_RunSnapshot)
#include "tst_runsnapshot.moc"
