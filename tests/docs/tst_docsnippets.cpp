// SPDX-License-Identifier: MIT
// Runs the programs quoted in README.md and docs/using.md and checks what they print.
#include <QtCore/QProcess>
#include <QtTest/QTest>
#ifdef SNIPPET_snippet_network_timeout
#  include <QtNetwork/QTcpServer>
#endif

#include "platform.h"
#include "sanitizers.h"

#include <csignal>

class tst_DocSnippets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snippetRuns_data();
    void snippetRuns();

private:
#ifdef SNIPPET_snippet_network_timeout
    QTcpServer m_silentServer; // accepts connections (in the kernel's backlog), never answers
#endif
};

void tst_DocSnippets::snippetRuns_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("interruptAfter"); // send SIGINT once this appears; empty: never
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("readme-usage") << QStringLiteral(SNIPPET_snippet_readme_usage) << QStringList()
                                  << QByteArray() << QByteArray("canceled: \"timed out\"");
    QTest::newRow("worker-loop") << QStringLiteral(SNIPPET_snippet_worker_loop) << QStringList()
                                 << QByteArray() << QByteArray("canceled by user: enough");
    QTest::newRow("future-timeout")
            << QStringLiteral(SNIPPET_snippet_future_timeout) << QStringList() << QByteArray()
            << QByteArray("gave up: timed out");
    QTest::newRow("ctrl-c") << QStringLiteral(SNIPPET_snippet_ctrl_c) << QStringList()
                            << QByteArray("Press Ctrl+C")
                            << QByteArray("worker stopped: canceled by SIGINT");
    QTest::newRow("signal-wait") << QStringLiteral(SNIPPET_snippet_signal_wait) << QStringList()
                                 << QByteArray() << QByteArray("gave up waiting: timed out");
#ifdef SNIPPET_snippet_network_timeout
    if (!m_silentServer.isListening())
        QVERIFY(m_silentServer.listen(QHostAddress::LocalHost));
    QTest::newRow("network-timeout") << QStringLiteral(SNIPPET_snippet_network_timeout)
                                     << QStringList { QStringLiteral("http://127.0.0.1:%1/")
                                                              .arg(m_silentServer.serverPort()) }
                                     << QByteArray() << QByteArray("gave up: timed out");
#endif
#ifdef SNIPPET_snippet_coroutines
    QTest::newRow("coroutines") << QStringLiteral(SNIPPET_snippet_coroutines) << QStringList()
                                << QByteArray()
                                << QByteArray("service: timed out\nslept: true\ntoken: canceled "
                                              "by user: done");
#endif
#ifdef SNIPPET_snippet_process_timeout
    if (TestPlatform::CanSignalProcesses) // it runs sleep(1) and stops it with SIGTERM
        QTest::newRow("process-timeout")
                << QStringLiteral(SNIPPET_snippet_process_timeout) << QStringList() << QByteArray()
                << QByteArray("sleep stopped: timed out (by a signal)");
#endif
}

void tst_DocSnippets::snippetRuns()
{
    QFETCH(QString, program);
    QFETCH(QStringList, arguments);
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
    if (RunningUnderThreadSanitizer) {
        // The snippets are built with ThreadSanitizer too. One starts a child process after
        // the library's timer thread has started; its fork only execs, which ThreadSanitizer
        // must be told is fine, as tst_process does.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TSAN_OPTIONS"),
                           environment.value(QStringLiteral("TSAN_OPTIONS"))
                                   + QStringLiteral(" die_after_fork=0"));
        process.setProcessEnvironment(environment);
    }
    process.start(program, arguments);
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
