// SPDX-License-Identifier: MIT
#include "gui/explanationpanel.h"

#include <QtTest/QTest>

using namespace Demo;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(Demo::RunSnapshot)

class tst_ExplanationPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void explain_data();
    void explain();
    void collapses();
};

namespace {

// A run canceled (by kind) the given time before the snapshot was taken.
void cancel(RunSnapshot &run, Cancellation::Reason::Kind kind, std::chrono::nanoseconds ago)
{
    run.reason = Cancellation::Reason(kind);
    run.takenAt = run.reason.canceledAt() + ago;
}

} // namespace

void tst_ExplanationPanel::explain_data()
{
    QTest::addColumn<RunSnapshot>("snapshot");
    QTest::addColumn<QStringList>("expected"); // parts the sentence must contain

    QTest::newRow("idle") << RunSnapshot() << QStringList { QStringLiteral("Nothing is running") };

    RunSnapshot running;
    running.hasRun = running.running = true;
    running.workers.resize(4);
    running.alive = 4;
    running.config.mode = WaitMode::Poll;
    QTest::newRow("running poll") << running
                                  << QStringList { QStringLiteral("Running 4 workers in poll mode"),
                                                   QStringLiteral("then checks its token") };
    RunSnapshot runningWait = running;
    runningWait.config.mode = WaitMode::Wait;
    runningWait.canceledAlone = 1;
    QTest::newRow("running wait, one canceled alone")
            << runningWait
            << QStringList { QStringLiteral("in wait mode"),
                             QStringLiteral("1 worker canceled alone") };

    RunSnapshot sleeping = running;
    cancel(sleeping, Cancellation::Reason::Kind::UserRequest, 300ms);
    sleeping.yetToNotice = 2;
    QTest::newRow("canceled, two still to notice")
            << sleeping
            << QStringList { QStringLiteral("Canceled 0.3 s ago; 2 workers are still to notice "
                                            "it at their next check") };
    RunSnapshot oneSleeping = sleeping;
    cancel(oneSleeping, Cancellation::Reason::Kind::Timeout, 300ms);
    oneSleeping.yetToNotice = 1;
    QTest::newRow("timed out, one still to notice")
            << oneSleeping
            << QStringList { QStringLiteral("Timed out 0.3 s ago; 1 worker is still to notice") };

    // A cancel that lands while the run is paused is noticed only once it goes on.
    RunSnapshot heldAtPause = sleeping;
    heldAtPause.paused = true;
    QTest::newRow("canceled while paused")
            << heldAtPause
            << QStringList { QStringLiteral("Canceled 0.3 s ago, and the run is paused: 2 workers "
                                            "are yet to notice it"),
                             QStringLiteral("resume (F8) or step (F10)") };
    RunSnapshot resumed = sleeping;
    cancel(resumed, Cancellation::Reason::Kind::UserRequest, 3s);
    resumed.pausedSinceCancel = 2500ms;
    QTest::newRow("canceled, paused, resumed")
            << resumed
            << QStringList { QStringLiteral("up to 1 s after the cancel plus the 2.5 s the run "
                                            "was paused") };
    RunSnapshot pausedRun = running;
    pausedRun.paused = true;
    QTest::newRow("running, paused")
            << pausedRun
            << QStringList { QStringLiteral("Running 4 workers"),
                             QStringLiteral("Paused: each holds before its next step") };

    // Those that look at their token have stopped; one that ignores it has not.
    RunSnapshot ignoring = sleeping;
    ignoring.yetToNotice = 0;
    ignoring.ignoringAlive = 1;
    QTest::newRow("canceled, one ignoring")
            << ignoring << QStringList { QStringLiteral("1 worker is ignoring the token") };

    RunSnapshot done = running;
    done.running = false;
    done.alive = 0;
    cancel(done, Cancellation::Reason::Kind::UserRequest, 2s);
    done.stoppedByRun = 4;
    done.slowestStop = 870ms;
    QTest::newRow("all stopped, poll")
            << done
            << QStringList { QStringLiteral("All 4 workers stopped within 870 ms of the cancel"),
                             QStringLiteral("up to one interval late") };
    RunSnapshot donePaused = done;
    donePaused.slowestStop = 8600ms;
    donePaused.slowestStopPaused = 6200ms;
    QTest::newRow("all stopped, mostly paused")
            << donePaused
            << QStringList { QStringLiteral("All 4 workers stopped within 8.6 s of the cancel, "
                                            "6.2 s of it paused") };
    RunSnapshot doneByDeadline = done;
    cancel(doneByDeadline, Cancellation::Reason::Kind::Timeout, 2s);
    QTest::newRow("all stopped after the deadline")
            << doneByDeadline
            << QStringList { QStringLiteral("Timed out. All 4 workers stopped within 870 ms of "
                                            "the deadline") };
    RunSnapshot doneWait = done;
    doneWait.config.mode = WaitMode::Wait;
    doneWait.workers.resize(1);
    doneWait.stoppedByRun = 1;
    doneWait.slowestStop = 120us;
    QTest::newRow("stopped, wait, one worker")
            << doneWait
            << QStringList { QStringLiteral("The worker stopped within"),
                             QStringLiteral("at once") };
    RunSnapshot ignored = done;
    ignored.stoppedByRun = 3;
    ignored.ignoredCancellation = 1;
    QTest::newRow("stopped, one ignored the cancel")
            << ignored
            << QStringList { QStringLiteral("3 of 4 workers stopped"),
                             QStringLiteral("1 worker ignored the cancel") };
    RunSnapshot both = done;
    both.workers.resize(2);
    both.stoppedByRun = 2;
    QTest::newRow("both stopped") << both
                                  << QStringList { QStringLiteral(
                                             "Both workers stopped within 870 ms") };
    RunSnapshot alone = done;
    alone.reason = Cancellation::Reason();
    alone.stoppedByRun = 0;
    alone.canceledAlone = 4;
    alone.slowestStop.reset();
    QTest::newRow("each canceled alone")
            << alone << QStringList { QStringLiteral("each canceled alone") };
}

void tst_ExplanationPanel::explain()
{
    QFETCH(RunSnapshot, snapshot);
    QFETCH(QStringList, expected);
    const QString text = ExplanationPanel::explain(snapshot);
    for (const QString &part : expected)
        QVERIFY2(text.contains(part), qPrintable(text));
    ExplanationPanel panel;
    panel.setSnapshot(snapshot);
    QCOMPARE(panel.text(), text);
}

void tst_ExplanationPanel::collapses()
{
    ExplanationPanel panel;
    panel.show();
    QVERIFY(panel.isExpanded());
    panel.setExpanded(false);
    QVERIFY(!panel.isExpanded());
    panel.setExpanded(true);
    QVERIFY(panel.isExpanded());
    QVERIFY(!panel.accessibleName().isEmpty());
}

QTEST_MAIN(tst_ExplanationPanel)
#include "tst_explanationpanel.moc"
