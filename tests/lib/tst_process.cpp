// SPDX-License-Identifier: MIT
#include <Cancellation/process.h>
#include <Cancellation/source.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <latch>
#include <memory>
#include <thread>

using namespace Cancellation;
using namespace std::chrono_literals;

#if defined(__SANITIZE_THREAD__)
// QProcess forks this multi-threaded test (QtTest's watchdog, the cancel threads); the child only
// execs the helper, but ThreadSanitizer stops the test at the fork unless told that this is fine.
extern "C" const char *__tsan_default_options()
{
    return "die_after_fork=0";
}
#endif

namespace {

// Starts the helper in \a mode and waits until it has set up its SIGTERM handling.
bool startHelper(QProcess &process, const char *mode)
{
    process.start(QStringLiteral(CANCELLATION_PROCESS_HELPER), { QString::fromLatin1(mode) });
    if (!process.waitForStarted(10000))
        return false;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(10000))
            return false;
    }
    return process.readLine() == "ready\n";
}

// The link of \a first is gone: its cancel does not stop the next run.
void checkTheNextRunIsLeftAlone(QProcess &process, Source &first)
{
    QTRY_COMPARE(first.token().registrationCount(), 0);
    QVERIFY(startHelper(process, "graceful"));
    first.cancel();
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(!finished.wait(300)); // still running
    process.kill();
    QVERIFY(finished.wait(10000));
}

} // namespace

class tst_Process : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void terminateStopsAGracefulProcess();
    void killComesAfterTheGracePeriod();
    void zeroGraceKills();
    void canceledBeforeStartTerminatesOnStart();
    void finishedProcessIsLeftAlone();
    void linkEndsWithTheRun();
    void linkIsForTheRunGoingOnAtTheCall();
    void cancelAfterTheRunDoesNotStopARestartInItsFinishedSlot();
    void failedStartEndsTheLink();
    void linkMadeAsTheRunStartsIsForThatRun();
    void processDestroyedFirst();
    void cancelRacesProcessDestruction();
};

void tst_Process::initTestCase()
{
#ifdef Q_OS_WIN
    QSKIP("QProcess::terminate() posts WM_CLOSE on Windows, which a console helper ignores");
#endif
}

// SIGTERM, from a cancel on another thread: the process cleans up and exits normally, long
// before the grace period would have ended in a kill.
void tst_Process::terminateStopsAGracefulProcess()
{
    Source source;
    QProcess process;
    terminateOnCancel(&process, source.token(), 30s);
    QVERIFY(startHelper(process, "graceful"));
    QSignalSpy finished(&process, &QProcess::finished);
    std::thread([&source] { source.cancel(); }).join();
    QVERIFY(finished.wait(10000)); // the terminate comes through the event loop
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 3);
    QCOMPARE(process.readAll(), QByteArray("terminated\n"));
}

// A process that ignores SIGTERM is killed, and not before the grace period has passed.
void tst_Process::killComesAfterTheGracePeriod()
{
    Source source;
    QProcess process;
    terminateOnCancel(&process, source.token(), 300ms);
    QVERIFY(startHelper(process, "ignore-term"));
    QSignalSpy finished(&process, &QProcess::finished);
    QElapsedTimer sinceCancel;
    sinceCancel.start();
    source.cancel();
    QVERIFY(finished.wait(10000));
    QVERIFY2(sinceCancel.elapsed() >= 300, qPrintable(QString::number(sinceCancel.elapsed())));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
}

void tst_Process::zeroGraceKills()
{
    Source source;
    QProcess process;
    terminateOnCancel(&process, source.token(), 0ms);
    QVERIFY(startHelper(process, "graceful"));
    QSignalSpy finished(&process, &QProcess::finished);
    source.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit); // killed, not asked
    QCOMPARE(process.readAll(), QByteArray());
}

// Canceled before it starts: stopped as soon as it has started (by SIGTERM or, if that came
// before the helper's handler, by the default action or the kill), within the minute it runs.
void tst_Process::canceledBeforeStartTerminatesOnStart()
{
    Source source;
    source.cancel();
    QProcess process;
    terminateOnCancel(&process, source.token(), 200ms);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(CANCELLATION_PROCESS_HELPER), { QStringLiteral("ignore-term") });
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
}

void tst_Process::finishedProcessIsLeftAlone()
{
    Source source;
    QProcess process;
    terminateOnCancel(&process, source.token(), 0ms);
    process.start(QStringLiteral(CANCELLATION_PROCESS_HELPER), { QStringLiteral("exit") });
    QVERIFY(process.waitForFinished(10000));
    QTRY_COMPARE(source.token().registrationCount(), 0); // the link went with the run
    QSignalSpy errors(&process, &QProcess::errorOccurred);
    source.cancel();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(errors.count(), 0);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

// A QProcess used again: the cancel of the first run's token, which comes after that run, does
// not stop the second.
void tst_Process::linkEndsWithTheRun()
{
    Source first;
    QProcess process;
    terminateOnCancel(&process, first.token(), 0ms);
    process.start(QStringLiteral(CANCELLATION_PROCESS_HELPER), { QStringLiteral("exit") });
    QVERIFY(process.waitForFinished(10000));
    checkTheNextRunIsLeftAlone(process, first);
}

// Defect: linked while it ran, the process kept the link after that run: the old token's cancel
// stopped the next run.
void tst_Process::linkIsForTheRunGoingOnAtTheCall()
{
    Source first;
    QProcess process;
    process.start(QStringLiteral(CANCELLATION_PROCESS_HELPER), { QStringLiteral("exit") });
    QVERIFY(process.waitForStarted(10000));
    QCOMPARE(process.state(), QProcess::Running);
    terminateOnCancel(&process, first.token(), 0ms);
    QVERIFY(process.waitForFinished(10000));
    checkTheNextRunIsLeftAlone(process, first);
}

// Defect: a cancel that came in a finished() slot connected before the link, queued to the link,
// terminated the run that slot started next.
void tst_Process::cancelAfterTheRunDoesNotStopARestartInItsFinishedSlot()
{
    for (const bool restartInTheSlot : { true, false }) {
        Source first;
        QProcess process;
        bool restarted = false;
        bool started = false;
        connect(&process, &QProcess::finished, this, [&] {
            if (std::exchange(restarted, true))
                return;
            first.cancel(); // after the run: the link must not act on it any more
            if (restartInTheSlot)
                started = startHelper(process, "graceful");
        });
        terminateOnCancel(&process, first.token(), 0ms);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(CANCELLATION_PROCESS_HELPER), { QStringLiteral("exit") });
        QTRY_VERIFY_WITH_TIMEOUT(restarted, 10000);
        if (!restartInTheSlot) {
            QCoreApplication::processEvents(); // the queued cancel, before the next run
            started = startHelper(process, "graceful");
        }
        QVERIFY(started);
        const char *const when = restartInTheSlot ? "restarted in the slot" : "restarted later";
        QVERIFY2(!finished.wait(300), when);
        QVERIFY2(finished.count() == 1 && process.state() == QProcess::Running, when);
        process.disconnect(this);
        process.kill();
        QVERIFY(finished.wait(10000));
    }
}

// A start that fails is the link's run: it ends the link, and its token no longer stops a retry.
void tst_Process::failedStartEndsTheLink()
{
    Source first;
    QProcess process;
    process.setProgram(QStringLiteral("/nonexistent/cancellation-test-program"));
    terminateOnCancel(&process, first.token(), 0ms);
    QSignalSpy errors(&process, &QProcess::errorOccurred);
    process.start();
    QVERIFY(errors.count() == 1 || errors.wait(10000));
    QCOMPARE(errors.at(0).at(0).value<QProcess::ProcessError>(), QProcess::FailedToStart);
    checkTheNextRunIsLeftAlone(process, first);
}

// Linked from a stateChanged(Running) slot, which comes just before started() of the same run:
// the link is for that run, and its cancel stops it.
void tst_Process::linkMadeAsTheRunStartsIsForThatRun()
{
    Source source;
    QProcess process;
    bool linked = false;
    connect(&process, &QProcess::stateChanged, this, [&](QProcess::ProcessState state) {
        if (state == QProcess::Running && !std::exchange(linked, true))
            terminateOnCancel(&process, source.token(), 0ms);
    });
    QVERIFY(startHelper(process, "graceful"));
    QVERIFY(linked);
    QCOMPARE(source.token().registrationCount(), 1);
    QSignalSpy finished(&process, &QProcess::finished);
    source.cancel();
    QVERIFY(finished.wait(10000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit); // killed: a grace of zero
}

// The link goes with the QProcess; a later cancel finds nothing.
void tst_Process::processDestroyedFirst()
{
    Source source;
    auto process = std::make_unique<QProcess>();
    terminateOnCancel(process.get(), source.token(), 1s);
    QCOMPARE(source.token().registrationCount(), 1);
    process.reset();
    QCOMPARE(source.token().registrationCount(), 0);
    QVERIFY(source.cancel());
    QCoreApplication::processEvents();
}

// A cancel on another thread races the QProcess's destruction, 10,000 times (under TSan and
// ASan in CI).
void tst_Process::cancelRacesProcessDestruction()
{
    constexpr int Rounds = 10000;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        QPointer<QProcess> process = new QProcess;
        terminateOnCancel(process, source.token(), 0ms);
        std::latch ready(2);
        std::thread canceler([&] {
            ready.arrive_and_wait();
            source.cancel();
        });
        ready.arrive_and_wait();
        if (round % 2 == 0)
            QCoreApplication::processEvents(); // the queued terminate may come first
        if (round % 3 == 0)
            process->deleteLater();
        else
            delete process;
        canceler.join();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents();
        QVERIFY(process.isNull());
        QCOMPARE(source.token().registrationCount(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_Process)
#include "tst_process.moc"
