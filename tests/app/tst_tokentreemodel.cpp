// SPDX-License-Identifier: MIT
#include "gui/tokentreemodel.h"

#include "core/durationparser.h"
#include "core/workerrunner.h"

#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include "platform.h"

#include <csignal>
#include <memory>
#include <vector>

using namespace Demo;
using namespace std::chrono_literals;
using Cancellation::Reason;
using Cancellation::Source;

namespace {

// A root Source and its children, as WorkerRunner makes them.
struct Tree
{
    explicit Tree(int children)
    {
        root.setDebugName(QStringLiteral("run"));
        for (int i = 0; i < children; ++i) {
            workers.push_back(std::make_unique<Source>(root.token()));
            workers.back()->setDebugName(QStringLiteral("worker %1").arg(i + 1));
        }
    }
    QList<Source *> workerList() const
    {
        QList<Source *> list;
        for (const auto &worker : workers)
            list.append(worker.get());
        return list;
    }

    Source root;
    std::vector<std::unique_ptr<Source>> workers;
};

QString text(const QModelIndex &index, int column)
{
    return index.siblingAtColumn(column).data().toString();
}

QString stateOf(const QModelIndex &index)
{
    return text(index, TokenTreeModel::StateColumn);
}

QString reasonOf(const QModelIndex &index)
{
    return text(index, TokenTreeModel::ReasonColumn);
}

} // namespace

class tst_TokenTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noRunShowsOnlyTheSignal();
    void structureMatchesTheSources();
    void cancelingTheRootCancelsEveryChild();
    void cancelingOneChildLeavesTheOthersLive_data();
    void cancelingOneChildLeavesTheOthersLive();
    void refreshReportsOnlyChangedRows();
    void cancelRefusesWhatItCannotCancel();
    void signalNodeArmsAndFires();
    void followsARealRun();
    void childrenShowWhenTheCancelReachedThem();
};

void tst_TokenTreeModel::noRunShowsOnlyTheSignal()
{
    TokenTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex signal = model.signalIndex();
    QCOMPARE(model.index(0, 0), signal);
    QCOMPARE(model.kind(signal), TokenTreeModel::NodeKind::Signal);
    QCOMPARE(text(signal, TokenTreeModel::NameColumn), QStringLiteral("SIGINT (Ctrl+C)"));
    QCOMPARE(stateOf(signal), QStringLiteral("not installed"));
    QCOMPARE(model.rowCount(signal), 0);
    QVERIFY(!model.runIndex().isValid());
    QVERIFY(!model.workerIndex(0).isValid());
    QVERIFY(!model.cancel(signal));
}

void tst_TokenTreeModel::structureMatchesTheSources()
{
    Tree tree(3);
    TokenTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setSources(&tree.root, tree.workerList());
    QCOMPARE(reset.count(), 1);

    // SIGINT -> run -> worker 1..3
    const QModelIndex signal = model.signalIndex();
    QCOMPARE(model.rowCount(signal), 1);
    const QModelIndex run = model.index(0, 0, signal);
    QCOMPARE(run, model.runIndex());
    QCOMPARE(model.parent(run), signal);
    QCOMPARE(model.kind(run), TokenTreeModel::NodeKind::Run);
    QCOMPARE(model.source(run), &tree.root);
    QCOMPARE(text(run, TokenTreeModel::NameColumn), QStringLiteral("run"));
    QCOMPARE(stateOf(run), QStringLiteral("live"));
    QCOMPARE(reasonOf(run), QString());
    QCOMPARE(model.rowCount(run), 3);
    for (int i = 0; i < 3; ++i) {
        const QModelIndex worker = model.index(i, 0, run);
        QCOMPARE(worker, model.workerIndex(i));
        QCOMPARE(model.parent(worker), run);
        QCOMPARE(model.kind(worker), TokenTreeModel::NodeKind::Worker);
        QCOMPARE(model.workerOf(worker), i);
        QCOMPARE(model.source(worker), tree.workers[std::size_t(i)].get());
        QCOMPARE(model.rowCount(worker), 0);
        QCOMPARE(text(worker, TokenTreeModel::NameColumn), QStringLiteral("worker %1").arg(i + 1));
        QCOMPARE(stateOf(worker), QStringLiteral("live"));
        QVERIFY(model.isCancelable(worker));
    }
    QVERIFY(!model.workerIndex(3).isValid());
    QCOMPARE(model.source(signal), nullptr);

    // A new run replaces the tree.
    Tree next(1);
    model.setSources(&next.root, next.workerList());
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.rowCount(model.runIndex()), 1);
    model.setSources(nullptr, {});
    QCOMPARE(model.rowCount(model.signalIndex()), 0);
}

void tst_TokenTreeModel::cancelingTheRootCancelsEveryChild()
{
    Tree tree(4);
    TokenTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSources(&tree.root, tree.workerList());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QVERIFY(model.cancel(model.runIndex()));
    QVERIFY(tree.root.isCanceled());
    QCOMPARE(stateOf(model.runIndex()), QStringLiteral("canceled"));
    QCOMPARE(reasonOf(model.runIndex()), QStringLiteral("canceled by user: from the token tree"));
    QVERIFY(!model.isCancelable(model.runIndex()));
    for (int i = 0; i < 4; ++i) {
        const QModelIndex worker = model.workerIndex(i);
        QVERIFY(tree.workers[std::size_t(i)]->isCanceled());
        QCOMPARE(stateOf(worker), QStringLiteral("canceled"));
        // Short in its column, below the parent's row that says why; whole in its tooltip.
        QCOMPARE(reasonOf(worker), QStringLiteral("parent canceled"));
        QCOMPARE(worker.siblingAtColumn(TokenTreeModel::ReasonColumn).data(Qt::ToolTipRole),
                 QStringLiteral("parent canceled (canceled by user: from the token tree)"));
        QVERIFY(!model.isCancelable(worker));
    }
    // The run's row, then the four workers in one stretch.
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex(), model.workerIndex(0));
    QCOMPARE(changed.at(1).at(1).toModelIndex().row(), 3);
    QVERIFY(!model.cancel(model.runIndex())); // already canceled
}

void tst_TokenTreeModel::cancelingOneChildLeavesTheOthersLive_data()
{
    QTest::addColumn<int>("worker");
    QTest::newRow("first") << 0;
    QTest::newRow("middle") << 1;
    QTest::newRow("last") << 2;
}

void tst_TokenTreeModel::cancelingOneChildLeavesTheOthersLive()
{
    QFETCH(int, worker);
    Tree tree(3);
    TokenTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSources(&tree.root, tree.workerList());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QVERIFY(model.cancel(model.workerIndex(worker)));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), worker);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), worker);
    QVERIFY(!tree.root.isCanceled());
    QCOMPARE(stateOf(model.runIndex()), QStringLiteral("live"));
    for (int i = 0; i < 3; ++i) {
        const bool canceled = i == worker;
        QCOMPARE(tree.workers[std::size_t(i)]->isCanceled(), canceled);
        QCOMPARE(stateOf(model.workerIndex(i)),
                 canceled ? QStringLiteral("canceled") : QStringLiteral("live"));
        QCOMPARE(reasonOf(model.workerIndex(i)),
                 canceled ? QStringLiteral("canceled by user: from the token tree") : QString());
    }

    // Canceling the root afterwards: the canceled child keeps its own reason.
    QVERIFY(model.cancel(model.runIndex()));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(reasonOf(model.workerIndex(i)).startsWith(QStringLiteral("parent canceled")),
                 i != worker);
}

void tst_TokenTreeModel::refreshReportsOnlyChangedRows()
{
    Tree tree(5);
    TokenTreeModel model;
    model.setSources(&tree.root, tree.workerList());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refresh();
    QCOMPARE(changed.count(), 0); // nothing changed

    // Canceled behind the model's back: it shows the snapshot until refresh().
    QVERIFY(tree.workers[1]->cancel());
    QVERIFY(tree.workers[3]->cancel());
    QCOMPARE(stateOf(model.workerIndex(1)), QStringLiteral("live"));
    model.refresh();
    QCOMPARE(changed.count(), 2); // rows 1 and 3, not the live row between them
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
    QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 3);
    QCOMPARE(stateOf(model.workerIndex(1)), QStringLiteral("canceled"));
    QCOMPARE(stateOf(model.workerIndex(2)), QStringLiteral("live"));
    model.refresh();
    QCOMPARE(changed.count(), 2);
}

void tst_TokenTreeModel::cancelRefusesWhatItCannotCancel()
{
    TokenTreeModel model;
    QVERIFY(!model.cancel(QModelIndex()));
    auto tree = std::make_unique<Tree>(2);
    model.setSources(&tree->root, tree->workerList());
    QVERIFY(!model.cancel(model.signalIndex()));
    QVERIFY(!model.isCancelable(model.signalIndex()));
    QVERIFY(model.cancel(model.workerIndex(0)));
    QVERIFY(!model.cancel(model.workerIndex(0)));

    // The Sources go away (the runner's next start does that): the model keeps the last state.
    tree.reset();
    QCOMPARE(model.source(model.runIndex()), nullptr);
    QVERIFY(!model.cancel(model.runIndex()));
    QVERIFY(!model.isCancelable(model.workerIndex(1)));
    model.refresh();
    QCOMPARE(stateOf(model.workerIndex(0)), QStringLiteral("canceled"));
    QCOMPARE(stateOf(model.workerIndex(1)), QStringLiteral("live"));
}

void tst_TokenTreeModel::signalNodeArmsAndFires()
{
    Tree tree(2);
    Cancellation::SignalCanceler canceler;
    QVERIFY(canceler.isActive());
    TokenTreeModel model;
    model.setSignalCanceler(&canceler);
    model.setSources(&tree.root, tree.workerList());
    QCOMPARE(stateOf(model.signalIndex()), QStringLiteral("idle")); // no target yet
    canceler.setTarget(&tree.root);
    model.refresh();
    QCOMPARE(stateOf(model.signalIndex()), QStringLiteral("armed"));
    QCOMPARE(reasonOf(model.signalIndex()), QStringLiteral("cancels the run's token"));

    if (!TestPlatform::CanRaiseSignals)
        QSKIP("raise() does not reach the SignalCanceler here (Windows: console control events)");
    QSignalSpy received(&canceler, &Cancellation::SignalCanceler::signalReceived);
    QVERIFY(TestPlatform::raiseSignal(SIGINT));
    QVERIFY(received.wait(10000));
    model.refresh();
    QCOMPARE(stateOf(model.signalIndex()), QStringLiteral("fired"));
    QCOMPARE(reasonOf(model.signalIndex()), QStringLiteral("canceled the run's token"));
    QCOMPARE(reasonOf(model.runIndex()), QStringLiteral("canceled by SIGINT"));
    QCOMPARE(model.workerIndex(1)
                     .siblingAtColumn(TokenTreeModel::ReasonColumn)
                     .data(Qt::ToolTipRole),
             QStringLiteral("parent canceled (canceled by SIGINT)"));

    // Canceled otherwise, the run's token no longer waits for Ctrl+C.
    Tree next(1);
    canceler.setTarget(&next.root);
    model.setSources(&next.root, next.workerList());
    QCOMPARE(stateOf(model.signalIndex()), QStringLiteral("armed"));
    QVERIFY(model.cancel(model.runIndex()));
    QCOMPARE(stateOf(model.signalIndex()), QStringLiteral("idle"));
}

void tst_TokenTreeModel::followsARealRun()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    RunConfig config;
    config.workers = 3;
    config.interval = 1ms;
    QVERIFY(runner.start(config));
    TokenTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<Source *> workers;
    for (int i = 0; i < runner.workerCount(); ++i)
        workers.append(runner.workerSource(i));
    model.setSources(runner.rootSource(), workers);
    QCOMPARE(model.rowCount(model.runIndex()), 3);

    // Worker 2 alone, from the tree: it stops, the others keep printing.
    QVERIFY(model.cancel(model.workerIndex(1)));
    QTRY_COMPARE_WITH_TIMEOUT(runner.workerStats(1).state, WorkerState::Stopped, 10000);
    QCOMPARE(runner.aliveWorkers(), 2);
    QCOMPARE(stateOf(model.runIndex()), QStringLiteral("live"));

    // The run from the tree: every worker stops.
    QVERIFY(model.cancel(model.runIndex()));
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.aliveWorkers(), 0);
    QCOMPARE(stateOf(model.workerIndex(0)), QStringLiteral("canceled"));
    QCOMPARE(reasonOf(model.workerIndex(2)), QStringLiteral("parent canceled"));
    QCOMPARE(reasonOf(model.workerIndex(1)),
             QStringLiteral("canceled by user: from the token tree"));
}

// The run's cancel reaches each child a little later: each child's row says how much, as its
// reason's time minus the run's. A child canceled alone, and the run itself, show nothing.
void tst_TokenTreeModel::childrenShowWhenTheCancelReachedThem()
{
    Tree tree(16);
    TokenTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSources(&tree.root, tree.workerList());
    QVERIFY(tree.workers[3]->cancel());
    QVERIFY(tree.root.cancel());
    model.refresh();
    const Reason run = tree.root.token().reason();
    QCOMPARE(text(model.runIndex(), TokenTreeModel::ReachedColumn), QString());
    for (int i = 0; i < 16; ++i) {
        const Reason reason = tree.workers[std::size_t(i)]->token().reason();
        const QString shown = text(model.workerIndex(i), TokenTreeModel::ReachedColumn);
        if (i == 3) {
            QCOMPARE(shown, QString()); // canceled alone, before the run
            QVERIFY(!TokenTreeModel::propagationDelay(reason));
            continue;
        }
        const auto delay = TokenTreeModel::propagationDelay(reason);
        QVERIFY(delay);
        QCOMPARE(*delay, reason.canceledAt() - run.canceledAt());
        QVERIFY(*delay >= 0ns);
        QCOMPARE(shown, QStringLiteral("+") + DurationParser::format(*delay));
    }
    QCOMPARE(model.headerData(TokenTreeModel::ReachedColumn, Qt::Horizontal).toString(),
             QStringLiteral("Reached after"));
}

QTEST_GUILESS_MAIN(tst_TokenTreeModel)
#include "tst_tokentreemodel.moc"
