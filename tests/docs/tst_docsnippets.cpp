// SPDX-License-Identifier: MIT
// Runs the programs quoted in README.md and docs/using.md and checks what they print.
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include "platform.h"
#include "sanitizers.h"

#include <csignal>

class tst_DocSnippets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snippetRuns_data();
    void snippetRuns();
};

void tst_DocSnippets::snippetRuns_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QByteArray>("interruptAfter"); // send SIGINT once this appears; empty: never
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("readme-usage") << QStringLiteral(SNIPPET_snippet_readme_usage) << QByteArray()
                                  << QByteArray("canceled: \"timed out\"");
    QTest::newRow("worker-loop") << QStringLiteral(SNIPPET_snippet_worker_loop) << QByteArray()
                                 << QByteArray("canceled by user: enough");
    QTest::newRow("future-timeout") << QStringLiteral(SNIPPET_snippet_future_timeout)
                                    << QByteArray() << QByteArray("gave up: timed out");
    QTest::newRow("ctrl-c") << QStringLiteral(SNIPPET_snippet_ctrl_c) << QByteArray("Press Ctrl+C")
                            << QByteArray("worker stopped: canceled by SIGINT");
}

void tst_DocSnippets::snippetRuns()
{
    QFETCH(QString, program);
    QFETCH(QByteArray, interruptAfter);
    QFETCH(QByteArray, expected);

    if (RunningUnderThreadSanitizer && !interruptAfter.isEmpty()) {
        // TSan defers an asynchronous signal until the receiving thread next
        // enters an intercepted call; a main thread blocked in poll() inside
        // Debian's uninstrumented Qt may never do so. The normal build runs this
        // row, and tst_signalcanceler covers the handler under TSan.
        QSKIP("asynchronous SIGINT delivery is unreliable under ThreadSanitizer");
    }
    if (!TestPlatform::CanSignalProcesses && !interruptAfter.isEmpty())
        QSKIP("sends SIGINT to the snippet (Unix)");
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program);
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
    QByteArray output;
    if (!interruptAfter.isEmpty()) {
        QVERIFY(QTest::qWaitFor(
                [&] {
                    process.waitForReadyRead(100);
                    output += process.readAll();
                    return output.contains(interruptAfter);
                },
                10'000));
        QVERIFY(TestPlatform::sendSignal(process.processId(), SIGINT));
    }
    QVERIFY2(process.waitForFinished(30'000), "the snippet did not finish within 30 s");
    output += process.readAll();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(output.contains(expected), output.constData());
}

QTEST_GUILESS_MAIN(tst_DocSnippets)
#include "tst_docsnippets.moc"
