// SPDX-License-Identifier: MIT
#include "gui/workertablemodel.h"

#include <Cancellation/source.h>

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Demo;
using namespace std::chrono_literals;

namespace {

QString stateText(const WorkerTableModel &model, int row)
{
    return model.index(row, WorkerTableModel::StateColumn).data().toString();
}

// A worker that ignores its token; canceled \a canceledAgo before it stopped, if given.
WorkerSnapshot ignoringWorker(WorkerState state,
                              std::optional<std::chrono::nanoseconds> canceledAgo)
{
    WorkerSnapshot worker;
    worker.state = state;
    worker.ignoresToken = true;
    if (canceledAgo) {
        worker.reason = Cancellation::Reason(Cancellation::Reason::Kind::UserRequest);
        worker.cancelDueAt = worker.reason.canceledAt();
        if (state == WorkerState::Stopped) {
            worker.stoppedAt = *worker.cancelDueAt + *canceledAgo;
            worker.stopLatency = *canceledAgo;
        }
    }
    return worker;
}

RunSnapshot snapshotOf(const WorkerRunner &runner)
{
    return RunSnapshot::take(runner, std::chrono::steady_clock::now());
}

} // namespace

class tst_WorkerTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ignoringStateText_data();
    void ignoringStateText();
    void ignoringWorkerReportedAfterCancel();
    void ignoringWorkerEndedOnItsOwn();
};

void tst_WorkerTableModel::ignoringStateText_data()
{
    QTest::addColumn<WorkerState>("state");
    QTest::addColumn<bool>("canceled");
    QTest::addColumn<QString>("text");
    QTest::newRow("sleeping") << WorkerState::Sleeping << false
                              << QStringLiteral("sleeping, token unused");
    QTest::newRow("sleeping, canceled")
            << WorkerState::Sleeping << true << QStringLiteral("ignoring cancellation");
    QTest::newRow("stopped, never canceled")
            << WorkerState::Stopped << false << QStringLiteral("ended on its own");
    QTest::newRow("stopped, ignored")
            << WorkerState::Stopped << true << QStringLiteral("ignored cancellation");
}

void tst_WorkerTableModel::ignoringStateText()
{
    QFETCH(WorkerState, state);
    QFETCH(bool, canceled);
    QFETCH(QString, text);
    QCOMPARE(WorkerTableModel::ignoringStateText(
                     ignoringWorker(state, canceled ? std::optional(1s) : std::nullopt)),
             text);
}

void tst_WorkerTableModel::ignoringWorkerReportedAfterCancel()
{
    WorkerRunner runner;
    WorkerTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config;
    config.workers = 2;
    config.interval = 1ms;
    config.ignoringWorkers = 1;
    config.ignoredLineLimit = 20;
    QVERIFY(runner.start(config));
    model.setSnapshot(snapshotOf(runner));
    QCOMPARE(model.rowCount(), 2);
    runner.cancel();
    QVERIFY(finished.wait(10000));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setSnapshot(snapshotOf(runner));
    QVERIFY(changed.count() > 0);
    QCOMPARE(stateText(model, 0), QStringLiteral("ignored cancellation"));
    QCOMPARE(model.worker(0).lines, quint64(20));
    QCOMPARE(stateText(model, 1), QStringLiteral("stopped"));
    QVERIFY(model.index(0, WorkerTableModel::StateColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("never looks at its token")));
}

void tst_WorkerTableModel::ignoringWorkerEndedOnItsOwn()
{
    WorkerRunner runner;
    WorkerTableModel model;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config;
    config.workers = 1;
    config.interval = 1ms;
    config.ignoringWorkers = 1;
    config.ignoredLineLimit = 3;
    QVERIFY(runner.start(config));
    model.setSnapshot(snapshotOf(runner));
    QVERIFY(finished.wait(10000)); // nobody canceled it
    model.setSnapshot(snapshotOf(runner));
    QCOMPARE(stateText(model, 0), QStringLiteral("ended on its own"));
    QCOMPARE(model.worker(0).lines, quint64(3));
    QVERIFY(!runner.rootSource()->isCanceled());
}

QTEST_GUILESS_MAIN(tst_WorkerTableModel)
#include "tst_workertablemodel.moc"
