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

WorkerStats ignoringStats(WorkerState state, bool ignored)
{
    WorkerStats stats;
    stats.state = state;
    stats.ignoresToken = true;
    stats.ignoredCancellation = ignored;
    return stats;
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
    QTest::addColumn<bool>("ignored");
    QTest::addColumn<QString>("text");
    QTest::newRow("sleeping") << WorkerState::Sleeping << false << false
                              << QStringLiteral("sleeping, ignores its token");
    QTest::newRow("sleeping, canceled") << WorkerState::Sleeping << true << false
                                        << QStringLiteral("sleeping, ignoring cancellation");
    QTest::newRow("stopped, never canceled") << WorkerState::Stopped << false << false
                                             << QStringLiteral("stopped, ended on its own");
    QTest::newRow("stopped, ignored")
            << WorkerState::Stopped << true << true << QStringLiteral("ignored cancellation");
}

void tst_WorkerTableModel::ignoringStateText()
{
    QFETCH(WorkerState, state);
    QFETCH(bool, canceled);
    QFETCH(bool, ignored);
    QFETCH(QString, text);
    QCOMPARE(WorkerTableModel::ignoringStateText(ignoringStats(state, ignored), canceled), text);
}

void tst_WorkerTableModel::ignoringWorkerReportedAfterCancel()
{
    WorkerRunner runner;
    WorkerTableModel model(&runner);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config;
    config.workers = 2;
    config.interval = 1ms;
    config.ignoringWorkers = 1;
    config.ignoredLineLimit = 20;
    QVERIFY(runner.start(config));
    model.reset();
    QCOMPARE(model.rowCount(), 2);
    runner.cancel();
    model.markAllCanceled();
    QVERIFY(finished.wait(10000));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refresh();
    QVERIFY(changed.count() > 0);
    QCOMPARE(stateText(model, 0), QStringLiteral("ignored cancellation"));
    QCOMPARE(model.stats(0).lines, quint64(20));
    QCOMPARE(stateText(model, 1), QStringLiteral("stopped"));
    QVERIFY(model.index(0, WorkerTableModel::StateColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("never looks at its token")));
}

void tst_WorkerTableModel::ignoringWorkerEndedOnItsOwn()
{
    WorkerRunner runner;
    WorkerTableModel model(&runner);
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config;
    config.workers = 1;
    config.interval = 1ms;
    config.ignoringWorkers = 1;
    config.ignoredLineLimit = 3;
    QVERIFY(runner.start(config));
    model.reset();
    QVERIFY(finished.wait(10000)); // nobody canceled it
    model.refresh();
    QCOMPARE(stateText(model, 0), QStringLiteral("stopped, ended on its own"));
    QCOMPARE(model.stats(0).lines, quint64(3));
    QVERIFY(!runner.rootSource()->isCanceled());
}

QTEST_GUILESS_MAIN(tst_WorkerTableModel)
#include "tst_workertablemodel.moc"
