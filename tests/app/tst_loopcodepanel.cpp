// SPDX-License-Identifier: MIT
#include "gui/loopcodepanel.h"

#include <QtTest/QTest>

using namespace Demo;

Q_DECLARE_METATYPE(Demo::WaitMode)
Q_DECLARE_METATYPE(Demo::WorkerState)

class tst_LoopCodePanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lineFor_data();
    void lineFor();
    void codeShowsTheTimeoutStyle();
    void highlightFollowsTheWorker_data();
    void highlightFollowsTheWorker();
    void noRunNoHighlight();
};

void tst_LoopCodePanel::lineFor_data()
{
    QTest::addColumn<WaitMode>("mode");
    QTest::addColumn<WorkerState>("state");
    // The highlighted line must contain this text: the mapping follows the code, not numbers.
    QTest::addColumn<QString>("code");

    QTest::newRow("poll starting") << WaitMode::Poll << WorkerState::Starting << QStringLiteral("void worker(");
    QTest::newRow("poll checking") << WaitMode::Poll << WorkerState::Checking << QStringLiteral("while (!token.isCanceled())");
    QTest::newRow("poll sleeping") << WaitMode::Poll << WorkerState::Sleeping << QStringLiteral("sleep_for(interval)");
    QTest::newRow("poll printing") << WaitMode::Poll << WorkerState::Printing << QStringLiteral("print(\"Hello World!\")");
    QTest::newRow("poll stopping") << WaitMode::Poll << WorkerState::Stopping << QStringLiteral("// stopped");
    QTest::newRow("poll stopped") << WaitMode::Poll << WorkerState::Stopped << QStringLiteral("// stopped");
    QTest::newRow("wait starting") << WaitMode::Wait << WorkerState::Starting << QStringLiteral("void worker(");
    QTest::newRow("wait checking") << WaitMode::Wait << WorkerState::Checking << QStringLiteral("token.waitFor(interval)");
    QTest::newRow("wait sleeping") << WaitMode::Wait << WorkerState::Sleeping << QStringLiteral("token.waitFor(interval)");
    QTest::newRow("wait printing") << WaitMode::Wait << WorkerState::Printing << QStringLiteral("print(\"Hello World!\")");
    QTest::newRow("wait stopped") << WaitMode::Wait << WorkerState::Stopped << QStringLiteral("// stopped");
}

void tst_LoopCodePanel::lineFor()
{
    QFETCH(WaitMode, mode);
    QFETCH(WorkerState, state);
    QFETCH(QString, code);

    // The worker's lines do not depend on the timeout style.
    for (const auto style : { std::optional<TimeoutStyle>(), std::optional(TimeoutStyle::Timer),
                              std::optional(TimeoutStyle::Deadline) }) {
        const QStringList lines = LoopCodePanel::codeLines(mode, style);
        const int line = LoopCodePanel::lineFor(mode, state);
        QVERIFY(line >= 0 && line < lines.size());
        QVERIFY2(lines.at(line).contains(code), qPrintable(lines.at(line)));
    }
}

void tst_LoopCodePanel::codeShowsTheTimeoutStyle()
{
    const QString timer = LoopCodePanel::codeLines(WaitMode::Poll, TimeoutStyle::Timer).join(u'\n');
    QVERIFY(timer.contains(QStringLiteral("source.cancelAfter(timeout);")));
    QVERIFY(!timer.contains(QStringLiteral("PollOnly")));
    const QString deadline = LoopCodePanel::codeLines(WaitMode::Wait, TimeoutStyle::Deadline).join(u'\n');
    QVERIFY(deadline.contains(QStringLiteral("Source::DeadlineCheck::PollOnly")));
    const QString none = LoopCodePanel::codeLines(WaitMode::Wait, std::nullopt).join(u'\n');
    QVERIFY(!none.contains(QStringLiteral("cancelAfter")));
    // Each mode shows its own loop only.
    QVERIFY(timer.contains(QStringLiteral("sleep_for")) && !timer.contains(QStringLiteral("waitFor")));
    QVERIFY(deadline.contains(QStringLiteral("waitFor")) && !deadline.contains(QStringLiteral("sleep_for")));
}

void tst_LoopCodePanel::highlightFollowsTheWorker_data()
{
    QTest::addColumn<WaitMode>("mode");
    QTest::newRow("poll") << WaitMode::Poll;
    QTest::newRow("wait") << WaitMode::Wait;
}

void tst_LoopCodePanel::highlightFollowsTheWorker()
{
    QFETCH(WaitMode, mode);
    LoopCodePanel panel;
    panel.setCode(mode, TimeoutStyle::Deadline);
    QVERIFY(panel.mode() == mode);
    QCOMPARE(panel.lines(), LoopCodePanel::codeLines(mode, TimeoutStyle::Deadline));
    // A worker's life: start, then rounds of check/sleep/print, then stop.
    const WorkerState states[] = { WorkerState::Starting, WorkerState::Checking,
                                   WorkerState::Sleeping, WorkerState::Printing,
                                   WorkerState::Checking, WorkerState::Stopping,
                                   WorkerState::Stopped };
    for (const WorkerState state : states) {
        panel.setWorkerState(2, state);
        QCOMPARE(panel.currentLine(), LoopCodePanel::lineFor(mode, state));
    }
    // Switching the mode keeps following the state on the new code.
    const WaitMode other = mode == WaitMode::Poll ? WaitMode::Wait : WaitMode::Poll;
    panel.setCode(other, std::nullopt);
    panel.setWorkerState(0, WorkerState::Printing);
    QCOMPARE(panel.currentLine(), LoopCodePanel::lineFor(other, WorkerState::Printing));
    QVERIFY(panel.lines().at(panel.currentLine()).contains(QStringLiteral("Hello World!")));
}

void tst_LoopCodePanel::noRunNoHighlight()
{
    LoopCodePanel panel;
    QCOMPARE(panel.currentLine(), -1);
    panel.setWorkerState(0, WorkerState::Sleeping);
    QVERIFY(panel.currentLine() >= 0);
    panel.setWorkerState(-1, WorkerState::Sleeping);
    QCOMPARE(panel.currentLine(), -1);
    QVERIFY(!panel.accessibleName().isEmpty());
    QVERIFY(!panel.toolTip().isEmpty());
}

QTEST_MAIN(tst_LoopCodePanel)
#include "tst_loopcodepanel.moc"
