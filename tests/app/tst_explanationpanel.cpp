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

void tst_ExplanationPanel::explain_data()
{
    QTest::addColumn<RunSnapshot>("snapshot");
    QTest::addColumn<QStringList>("expected"); // parts the sentence must contain

    QTest::newRow("idle") << RunSnapshot() << QStringList { QStringLiteral("Nothing is running") };

    RunSnapshot running;
    running.hasRun = running.running = true;
    running.workers = running.alive = 4;
    running.mode = WaitMode::Poll;
    QTest::newRow("running poll") << running
                                  << QStringList { QStringLiteral("Running 4 workers in poll mode"),
                                                   QStringLiteral("then checks its token") };
    RunSnapshot runningWait = running;
    runningWait.mode = WaitMode::Wait;
    runningWait.canceledAlone = 1;
    QTest::newRow("running wait, one canceled alone")
            << runningWait
            << QStringList { QStringLiteral("in wait mode"),
                             QStringLiteral("1 worker canceled alone") };

    RunSnapshot sleeping = running;
    sleeping.sinceCancel = 300ms;
    sleeping.unaware = 2;
    QTest::newRow("canceled, two still sleeping")
            << sleeping
            << QStringList { QStringLiteral("Canceled 0.3 s ago; 2 workers are still "
                                            "sleeping and will notice at their next "
                                            "check") };
    RunSnapshot oneSleeping = sleeping;
    oneSleeping.unaware = 1;
    oneSleeping.timedOut = true;
    QTest::newRow("timed out, one still sleeping")
            << oneSleeping
            << QStringList { QStringLiteral("Timed out 0.3 s ago; 1 worker is still sleeping") };

    RunSnapshot ignoring = sleeping;
    ignoring.ignoring = 1;
    QTest::newRow("canceled, one ignoring")
            << ignoring << QStringList { QStringLiteral("1 worker is ignoring the token") };

    RunSnapshot done = running;
    done.running = false;
    done.alive = 0;
    done.sinceCancel = 2s;
    done.slowestStop = 870ms;
    QTest::newRow("all stopped, poll")
            << done
            << QStringList { QStringLiteral("All 4 workers stopped within 870 ms"),
                             QStringLiteral("up to one interval late") };
    RunSnapshot doneWait = done;
    doneWait.mode = WaitMode::Wait;
    doneWait.workers = 1;
    doneWait.slowestStop = 120us;
    QTest::newRow("stopped, wait, one worker")
            << doneWait
            << QStringList { QStringLiteral("The worker stopped within"),
                             QStringLiteral("at once") };
    RunSnapshot ignored = done;
    ignored.ignoredCancellation = 1;
    QTest::newRow("stopped, one ignored the cancel")
            << ignored
            << QStringList { QStringLiteral("All 4 workers stopped"),
                             QStringLiteral("1 worker ignored the cancel") };
    RunSnapshot alone = done;
    alone.sinceCancel.reset();
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
