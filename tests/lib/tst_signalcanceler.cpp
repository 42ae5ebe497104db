// SPDX-License-Identifier: MIT
#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include "platform.h"

#include <atomic>
#include <csignal>
#include <memory>
#include <thread>

using namespace Cancellation;

// Every test but activeWhereSupported() delivers signals with raise().
#define SKIP_WITHOUT_RAISE()                                                               \
  if (!TestPlatform::CanRaiseSignals)                                                      \
  QSKIP("Needs raise() to reach the handlers: on Windows, SignalCanceler handles console " \
        "control events, which a test cannot send to its own process alone")

namespace {

// Set by the test's own handler, which SignalCanceler must save and restore.
volatile std::sig_atomic_t g_previousHandlerCalls = 0;

extern "C" void previousHandler(int)
{
    g_previousHandlerCalls = g_previousHandlerCalls + 1;
}

const QRegularExpression SecondInstanceWarning(QStringLiteral("another SignalCanceler"));

} // namespace

class tst_SignalCanceler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { g_previousHandlerCalls = 0; }

    void activeWhereSupported();
    void signalCancelsTarget_data();
    void signalCancelsTarget();
    void restoresPreviousHandlers_data();
    void restoresPreviousHandlers();
    void everySignalIsReported();
    void withoutTargetOnlyReports();
    void setTargetSwitchesTokens();
    void destroyedTargetIsForgotten();
    void signalOnAnotherThread();
    void secondInstanceStaysInactive();
    void newInstanceAfterDestruction();
    void deletedFromItsOwnSlot();
};

void tst_SignalCanceler::activeWhereSupported()
{
    // POSIX signals on Unix, console control events on Windows; nothing elsewhere.
#if defined(Q_OS_UNIX) || defined(Q_OS_WIN)
    SignalCanceler owner;
    QVERIFY(owner.isActive());
    QTest::ignoreMessage(QtWarningMsg, SecondInstanceWarning);
    SignalCanceler second;
    QVERIFY(!second.isActive());
#else
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not supported")));
    SignalCanceler canceler;
    QVERIFY(!canceler.isActive());
#endif
}

void tst_SignalCanceler::signalCancelsTarget_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("text");
    QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("canceled by SIGINT");
    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("canceled by SIGTERM");
}

void tst_SignalCanceler::signalCancelsTarget()
{
    SKIP_WITHOUT_RAISE();
    QFETCH(int, signalNumber);
    QFETCH(QString, text);

    Source source;
    Token child = Source(source.token()).token();
    SignalCanceler canceler(&source);
    QVERIFY(canceler.isActive());
    QCOMPARE(canceler.target(), &source);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QVERIFY(received.isValid());

    QVERIFY(TestPlatform::raiseSignal(signalNumber));
    // The handler only writes to the socketpair: nothing is canceled until the
    // event loop reads it.
    QVERIFY(!source.isCanceled());
    QVERIFY(received.wait(5000));

    QCOMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toInt(), signalNumber);
    QVERIFY(source.isCanceled());
    QCOMPARE(source.reason().kind(), Reason::Kind::SystemSignal);
    QCOMPARE(source.reason().signalNumber(), signalNumber);
    QCOMPARE(source.reasonText(), text);
    QVERIFY(child.isCanceled());
}

void tst_SignalCanceler::restoresPreviousHandlers_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

void tst_SignalCanceler::restoresPreviousHandlers()
{
    SKIP_WITHOUT_RAISE();
    QFETCH(int, signalNumber);
    const TestPlatform::ScopedSignalHandler previous(signalNumber, previousHandler);
    QVERIFY(previous.isValid());
    Source source;
    {
        SignalCanceler canceler(&source);
        QVERIFY(canceler.isActive());
        QVERIFY(TestPlatform::ScopedSignalHandler::current(signalNumber) != &previousHandler);
    }
    QVERIFY(TestPlatform::ScopedSignalHandler::current(signalNumber) == &previousHandler);
    QVERIFY(TestPlatform::raiseSignal(signalNumber)); // handled synchronously on this thread
    QCOMPARE(g_previousHandlerCalls, 1);
    QVERIFY(!source.isCanceled());
}

void tst_SignalCanceler::everySignalIsReported()
{
    SKIP_WITHOUT_RAISE();
    Source source;
    SignalCanceler canceler(&source);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QVERIFY(TestPlatform::raiseSignal(SIGINT));
    QVERIFY(TestPlatform::raiseSignal(SIGTERM));
    QVERIFY(TestPlatform::raiseSignal(SIGINT));
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 3, 5000);
    QCOMPARE(received.at(0).at(0).toInt(), int(SIGINT));
    QCOMPARE(received.at(1).at(0).toInt(), int(SIGTERM));
    QCOMPARE(received.at(2).at(0).toInt(), int(SIGINT));
    // Only the first cancels; the reason stays.
    QCOMPARE(source.reason().signalNumber(), int(SIGINT));
}

void tst_SignalCanceler::withoutTargetOnlyReports()
{
    SKIP_WITHOUT_RAISE();
    SignalCanceler canceler;
    QVERIFY(canceler.isActive());
    QCOMPARE(canceler.target(), nullptr);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QVERIFY(TestPlatform::raiseSignal(SIGTERM));
    QVERIFY(received.wait(5000));
    QCOMPARE(received.at(0).at(0).toInt(), int(SIGTERM));
}

void tst_SignalCanceler::setTargetSwitchesTokens()
{
    SKIP_WITHOUT_RAISE();
    Source first;
    Source second;
    SignalCanceler canceler(&first);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    canceler.setTarget(&second);
    QCOMPARE(canceler.target(), &second);
    QVERIFY(TestPlatform::raiseSignal(SIGINT));
    QVERIFY(received.wait(5000));
    QVERIFY(!first.isCanceled());
    QVERIFY(second.isCanceled());

    canceler.setTarget(nullptr);
    QVERIFY(TestPlatform::raiseSignal(SIGINT));
    QVERIFY(received.wait(5000));
    QVERIFY(!first.isCanceled());
}

void tst_SignalCanceler::destroyedTargetIsForgotten()
{
    SKIP_WITHOUT_RAISE();
    auto source = std::make_unique<Source>();
    SignalCanceler canceler(source.get());
    source.reset();
    QCOMPARE(canceler.target(), nullptr);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QVERIFY(TestPlatform::raiseSignal(SIGINT));
    QVERIFY(received.wait(5000)); // and no use of the dead Source
}

void tst_SignalCanceler::signalOnAnotherThread()
{
    SKIP_WITHOUT_RAISE();
    // raise() in a thread delivers the signal to that thread: the handler runs
    // there, and the Source is still canceled on the canceler's thread.
    Source source;
    std::atomic<Qt::HANDLE> canceledOn { nullptr };
    connect(
            &source, &Source::canceled, this,
            [&canceledOn] { canceledOn = QThread::currentThreadId(); }, Qt::DirectConnection);
    SignalCanceler canceler(&source);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    std::thread thread([] { TestPlatform::raiseSignal(SIGINT); });
    thread.join();
    QVERIFY(received.wait(5000));
    QVERIFY(source.isCanceled());
    QCOMPARE(canceledOn.load(), QThread::currentThreadId());
}

void tst_SignalCanceler::secondInstanceStaysInactive()
{
    SKIP_WITHOUT_RAISE();
    Source first;
    Source second;
    SignalCanceler owner(&first);
    QVERIFY(owner.isActive());
    QSignalSpy ownerReceived(&owner, &SignalCanceler::signalReceived);
    {
        QTest::ignoreMessage(QtWarningMsg, SecondInstanceWarning);
        SignalCanceler intruder(&second);
        QVERIFY(!intruder.isActive());
        QSignalSpy intruderReceived(&intruder, &SignalCanceler::signalReceived);
        QVERIFY(TestPlatform::raiseSignal(SIGINT));
        QVERIFY(ownerReceived.wait(5000));
        QCOMPARE(intruderReceived.count(), 0);
        QVERIFY(first.isCanceled());
        QVERIFY(!second.isCanceled());
    }
    // Destroying the inactive one left the owner's handlers alone.
    QVERIFY(TestPlatform::raiseSignal(SIGTERM));
    QVERIFY(ownerReceived.wait(5000));
    QCOMPARE(ownerReceived.count(), 2);
}

void tst_SignalCanceler::newInstanceAfterDestruction()
{
    SKIP_WITHOUT_RAISE();
    for (int round = 0; round < 3; ++round) {
        Source source;
        SignalCanceler canceler(&source);
        QVERIFY2(canceler.isActive(), qPrintable(QStringLiteral("round %1").arg(round)));
        QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
        QVERIFY(TestPlatform::raiseSignal(SIGINT));
        QVERIFY(received.wait(5000));
        QVERIFY(source.isCanceled());
    }
}

void tst_SignalCanceler::deletedFromItsOwnSlot()
{
    SKIP_WITHOUT_RAISE();
    // Two signals are pending when the first slot deletes the canceler: the
    // second must not be read through the dead object.
    Source source;
    QPointer<SignalCanceler> canceler = new SignalCanceler(&source);
    int calls = 0;
    connect(canceler.data(), &SignalCanceler::signalReceived, this, [&canceler, &calls] {
        ++calls;
        delete canceler.data();
    });
    QVERIFY(TestPlatform::raiseSignal(SIGTERM));
    QVERIFY(TestPlatform::raiseSignal(SIGTERM));
    QTRY_VERIFY_WITH_TIMEOUT(canceler.isNull(), 5000);
    QCOMPARE(calls, 1);
    QVERIFY(source.isCanceled());
}

QTEST_GUILESS_MAIN(tst_SignalCanceler)
#include "tst_signalcanceler.moc"
