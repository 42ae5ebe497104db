// SPDX-License-Identifier: MIT
#include "gui/loopcodepanel.h"

#include <QtTest/QTest>

#include <numeric>

using namespace Demo;

Q_DECLARE_METATYPE(Demo::WaitMode)
Q_DECLARE_METATYPE(Demo::WorkerState)

class tst_LoopCodePanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void marginCountsTheWorkersOnEachLine();
    void lineFor_data();
    void lineFor();
    void codeShowsTheTimeoutStyle();
    void linesAreShort();
    void highlightFollowsTheWorker_data();
    void highlightFollowsTheWorker();
    void noRunNoHighlight();
};

void tst_LoopCodePanel::lineFor_data()
{
    QTest::addColumn<WaitMode>("mode");
    QTest::addColumn<WorkerState>("state");
    QTest::addColumn<bool>("ignoresToken");
    // The highlighted line must contain this text: the mapping follows the code, not numbers.
    QTest::addColumn<QString>("code");

    QTest::newRow("poll starting")
            << WaitMode::Poll << WorkerState::Starting << false << QStringLiteral("void worker(");
    QTest::newRow("poll checking") << WaitMode::Poll << WorkerState::Checking << false
                                   << QStringLiteral("while (!token.isCanceled())");
    QTest::newRow("poll sleeping") << WaitMode::Poll << WorkerState::Sleeping << false
                                   << QStringLiteral("sleep_for(interval)");
    QTest::newRow("poll printing") << WaitMode::Poll << WorkerState::Printing << false
                                   << QStringLiteral("print(\"Hello World!\")");
    QTest::newRow("poll stopping")
            << WaitMode::Poll << WorkerState::Stopping << false << QStringLiteral("// stopped");
    QTest::newRow("poll stopped") << WaitMode::Poll << WorkerState::Stopped << false
                                  << QStringLiteral("// stopped");
    QTest::newRow("wait starting")
            << WaitMode::Wait << WorkerState::Starting << false << QStringLiteral("void worker(");
    QTest::newRow("wait checking") << WaitMode::Wait << WorkerState::Checking << false
                                   << QStringLiteral("token.waitFor(interval)");
    QTest::newRow("wait sleeping") << WaitMode::Wait << WorkerState::Sleeping << false
                                   << QStringLiteral("token.waitFor(interval)");
    QTest::newRow("wait printing") << WaitMode::Wait << WorkerState::Printing << false
                                   << QStringLiteral("print(\"Hello World!\")");
    QTest::newRow("wait stopped") << WaitMode::Wait << WorkerState::Stopped << false
                                  << QStringLiteral("// stopped");
    // A worker that ignores its token runs the same loop in either mode.
    for (const WaitMode mode : { WaitMode::Poll, WaitMode::Wait }) {
        const char *name = mode == WaitMode::Poll ? "poll" : "wait";
        QTest::addRow("%s, ignoring, starting", name)
                << mode << WorkerState::Starting << true << QStringLiteral("void worker(");
        QTest::addRow("%s, ignoring, sleeping", name)
                << mode << WorkerState::Sleeping << true << QStringLiteral("sleep_for(interval)");
        QTest::addRow("%s, ignoring, printing", name) << mode << WorkerState::Printing << true
                                                      << QStringLiteral("print(\"Hello World!\")");
        QTest::addRow("%s, ignoring, stopped", name)
                << mode << WorkerState::Stopped << true << QStringLiteral("on its own");
    }
}

void tst_LoopCodePanel::lineFor()
{
    QFETCH(WaitMode, mode);
    QFETCH(WorkerState, state);
    QFETCH(bool, ignoresToken);
    QFETCH(QString, code);

    // The worker's lines do not depend on the timeout style.
    for (const auto style : { std::optional<TimeoutStyle>(), std::optional(TimeoutStyle::Timer),
                              std::optional(TimeoutStyle::Deadline) }) {
        const QStringList lines = LoopCodePanel::codeLines(mode, style, ignoresToken);
        const int line = LoopCodePanel::lineFor(mode, state, ignoresToken);
        QVERIFY(line >= 0 && line < lines.size());
        QVERIFY2(lines.at(line).contains(code), qPrintable(lines.at(line)));
    }
}

void tst_LoopCodePanel::codeShowsTheTimeoutStyle()
{
    const QString timer =
            LoopCodePanel::codeLines(WaitMode::Poll, TimeoutStyle::Timer, false).join(u'\n');
    QVERIFY(timer.contains(QStringLiteral("source.cancelAfter(timeout);")));
    QVERIFY(!timer.contains(QStringLiteral("PollOnly")));
    const QString deadline =
            LoopCodePanel::codeLines(WaitMode::Wait, TimeoutStyle::Deadline, false).join(u'\n');
    QVERIFY(deadline.contains(QStringLiteral("Source::DeadlineCheck::PollOnly")));
    const QString none = LoopCodePanel::codeLines(WaitMode::Wait, std::nullopt, false).join(u'\n');
    QVERIFY(!none.contains(QStringLiteral("cancelAfter")));
    // Each mode shows its own loop only.
    QVERIFY(timer.contains(QStringLiteral("sleep_for"))
            && !timer.contains(QStringLiteral("waitFor")));
    QVERIFY(deadline.contains(QStringLiteral("waitFor"))
            && !deadline.contains(QStringLiteral("sleep_for")));
    // The ignoring loop never mentions the token in its loop.
    const QStringList ignoring = LoopCodePanel::codeLines(WaitMode::Wait, std::nullopt, true);
    QVERIFY(!ignoring.mid(2, 3).join(u'\n').contains(QStringLiteral("token.")));
    QVERIFY(ignoring.join(u'\n').contains(QStringLiteral("i < limit")));
}

// The panel sits beside the settings and the token at the window's default width: 38
// characters is what it shows there without scrolling (tst_mainwindow checks the window).
void tst_LoopCodePanel::linesAreShort()
{
    for (const WaitMode mode : { WaitMode::Poll, WaitMode::Wait }) {
        for (const auto style : { std::optional<TimeoutStyle>(), std::optional(TimeoutStyle::Timer),
                                  std::optional(TimeoutStyle::Deadline) }) {
            for (const bool ignoring : { false, true }) {
                for (const QString &line : LoopCodePanel::codeLines(mode, style, ignoring))
                    QVERIFY2(line.size() <= 38, qPrintable(line));
            }
        }
    }
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
    panel.setCode(mode, TimeoutStyle::Deadline, false);
    QVERIFY(panel.mode() == mode);
    QVERIFY(!panel.showsIgnoringLoop());
    QCOMPARE(panel.lines(), LoopCodePanel::codeLines(mode, TimeoutStyle::Deadline, false));
    // A worker's life: start, then rounds of check/sleep/print, then stop.
    const WorkerState states[] = { WorkerState::Starting, WorkerState::Checking,
                                   WorkerState::Sleeping, WorkerState::Printing,
                                   WorkerState::Checking, WorkerState::Stopping,
                                   WorkerState::Stopped };
    for (const WorkerState state : states) {
        panel.setWorkerState(2, state);
        QCOMPARE(panel.currentLine(), LoopCodePanel::lineFor(mode, state, false));
    }
    // Switching the mode keeps following the state on the new code.
    const WaitMode other = mode == WaitMode::Poll ? WaitMode::Wait : WaitMode::Poll;
    panel.setCode(other, std::nullopt, false);
    panel.setWorkerState(0, WorkerState::Printing);
    QCOMPARE(panel.currentLine(), LoopCodePanel::lineFor(other, WorkerState::Printing, false));
    QVERIFY(panel.lines().at(panel.currentLine()).contains(QStringLiteral("Hello World!")));
    // Following a worker that ignores its token: its code, the state kept.
    panel.setCode(other, std::nullopt, true);
    QVERIFY(panel.showsIgnoringLoop());
    QCOMPARE(panel.lines(), LoopCodePanel::codeLines(other, std::nullopt, true));
    panel.setWorkerState(0, WorkerState::Stopped);
    QVERIFY(panel.lines().at(panel.currentLine()).contains(QStringLiteral("on its own")));
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

// Four workers in poll mode: two asleep, one checking, one printing; each line counts those on
// it, and the counts follow the code when it changes.
void tst_LoopCodePanel::marginCountsTheWorkersOnEachLine()
{
    LoopCodePanel panel;
    panel.setCode(WaitMode::Poll, std::nullopt, false);
    const QList<WorkerState> states { WorkerState::Sleeping, WorkerState::Sleeping,
                                      WorkerState::Checking, WorkerState::Printing };
    panel.setWorkersOnCode(states);
    QList<int> counts = panel.workersPerLine();
    QCOMPARE(counts.size(), panel.lines().size());
    QCOMPARE(counts.at(LoopCodePanel::lineFor(WaitMode::Poll, WorkerState::Sleeping, false)), 2);
    QCOMPARE(counts.at(LoopCodePanel::lineFor(WaitMode::Poll, WorkerState::Checking, false)), 1);
    QCOMPARE(counts.at(LoopCodePanel::lineFor(WaitMode::Poll, WorkerState::Printing, false)), 1);
    QCOMPARE(std::accumulate(counts.begin(), counts.end(), 0), 4);

    // In wait mode, checking and waiting are the same line.
    panel.setCode(WaitMode::Wait, TimeoutStyle::Timer, false);
    counts = panel.workersPerLine();
    QCOMPARE(counts.size(), panel.lines().size());
    QCOMPARE(counts.at(LoopCodePanel::lineFor(WaitMode::Wait, WorkerState::Sleeping, false)), 3);
    QCOMPARE(std::accumulate(counts.begin(), counts.end(), 0), 4);

    panel.setWorkersOnCode({});
    counts = panel.workersPerLine();
    QCOMPARE(std::accumulate(counts.begin(), counts.end(), 0), 0);
}

QTEST_MAIN(tst_LoopCodePanel)
#include "tst_loopcodepanel.moc"
