// SPDX-License-Identifier: MIT
#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <atomic>
#include <csignal>
#include <memory>
#include <thread>

using namespace Cancellation;

namespace {

// Set by the test's own handler, which SignalCanceler must save and restore.
volatile std::sig_atomic_t g_previousHandlerCalls = 0;

extern "C" void previousHandler(int)
{
    g_previousHandlerCalls = g_previousHandlerCalls + 1;
}

using SignalHandler = void (*)(int);

SignalHandler currentHandler(int signalNumber)
{
    struct sigaction action = {};
    sigaction(signalNumber, nullptr, &action);
    return action.sa_handler;
}

// Installs previousHandler for the test's duration and puts back what was there.
class ScopedHandler
{
public:
    explicit ScopedHandler(int signalNumber) : m_signal(signalNumber)
    {
        struct sigaction action = {};
        action.sa_handler = previousHandler;
        sigemptyset(&action.sa_mask);
        sigaction(m_signal, &action, &m_saved);
    }
    ~ScopedHandler() { sigaction(m_signal, &m_saved, nullptr); }
    ScopedHandler(const ScopedHandler &) = delete;
    ScopedHandler &operator=(const ScopedHandler &) = delete;

private:
    int m_signal;
    struct sigaction m_saved = {};
};

const QRegularExpression SecondInstanceWarning(QStringLiteral("another SignalCanceler"));

} // namespace

class tst_SignalCanceler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { g_previousHandlerCalls = 0; }

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

void tst_SignalCanceler::signalCancelsTarget_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("text");
    QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("canceled by SIGINT");
    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("canceled by SIGTERM");
}

void tst_SignalCanceler::signalCancelsTarget()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, text);

    Source source;
    Token child = Source(source.token()).token();
    SignalCanceler canceler(&source);
    QVERIFY(canceler.isActive());
    QCOMPARE(canceler.target(), &source);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QVERIFY(received.isValid());

    QCOMPARE(raise(signalNumber), 0);
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
    QFETCH(int, signalNumber);
    ScopedHandler previous(signalNumber);
    Source source;
    {
        SignalCanceler canceler(&source);
        QVERIFY(canceler.isActive());
        QVERIFY(currentHandler(signalNumber) != &previousHandler);
    }
    QVERIFY(currentHandler(signalNumber) == &previousHandler);
    QCOMPARE(raise(signalNumber), 0); // handled synchronously on this thread
    QCOMPARE(g_previousHandlerCalls, 1);
    QVERIFY(!source.isCanceled());
}

void tst_SignalCanceler::everySignalIsReported()
{
    Source source;
    SignalCanceler canceler(&source);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QCOMPARE(raise(SIGINT), 0);
    QCOMPARE(raise(SIGTERM), 0);
    QCOMPARE(raise(SIGINT), 0);
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 3, 5000);
    QCOMPARE(received.at(0).at(0).toInt(), int(SIGINT));
    QCOMPARE(received.at(1).at(0).toInt(), int(SIGTERM));
    QCOMPARE(received.at(2).at(0).toInt(), int(SIGINT));
    // Only the first cancels; the reason stays.
    QCOMPARE(source.reason().signalNumber(), int(SIGINT));
}

void tst_SignalCanceler::withoutTargetOnlyReports()
{
    SignalCanceler canceler;
    QVERIFY(canceler.isActive());
    QCOMPARE(canceler.target(), nullptr);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QCOMPARE(raise(SIGTERM), 0);
    QVERIFY(received.wait(5000));
    QCOMPARE(received.at(0).at(0).toInt(), int(SIGTERM));
}

void tst_SignalCanceler::setTargetSwitchesTokens()
{
    Source first;
    Source second;
    SignalCanceler canceler(&first);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    canceler.setTarget(&second);
    QCOMPARE(canceler.target(), &second);
    QCOMPARE(raise(SIGINT), 0);
    QVERIFY(received.wait(5000));
    QVERIFY(!first.isCanceled());
    QVERIFY(second.isCanceled());

    canceler.setTarget(nullptr);
    QCOMPARE(raise(SIGINT), 0);
    QVERIFY(received.wait(5000));
    QVERIFY(!first.isCanceled());
}

void tst_SignalCanceler::destroyedTargetIsForgotten()
{
    auto source = std::make_unique<Source>();
    SignalCanceler canceler(source.get());
    source.reset();
    QCOMPARE(canceler.target(), nullptr);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    QCOMPARE(raise(SIGINT), 0);
    QVERIFY(received.wait(5000)); // and no use of the dead Source
}

void tst_SignalCanceler::signalOnAnotherThread()
{
    // raise() in a thread delivers the signal to that thread: the handler runs
    // there, and the Source is still canceled on the canceler's thread.
    Source source;
    std::atomic<Qt::HANDLE> canceledOn { nullptr };
    connect(
            &source, &Source::canceled, this,
            [&canceledOn] { canceledOn = QThread::currentThreadId(); }, Qt::DirectConnection);
    SignalCanceler canceler(&source);
    QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
    std::thread thread([] { raise(SIGINT); });
    thread.join();
    QVERIFY(received.wait(5000));
    QVERIFY(source.isCanceled());
    QCOMPARE(canceledOn.load(), QThread::currentThreadId());
}

void tst_SignalCanceler::secondInstanceStaysInactive()
{
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
        QCOMPARE(raise(SIGINT), 0);
        QVERIFY(ownerReceived.wait(5000));
        QCOMPARE(intruderReceived.count(), 0);
        QVERIFY(first.isCanceled());
        QVERIFY(!second.isCanceled());
    }
    // Destroying the inactive one left the owner's handlers alone.
    QCOMPARE(raise(SIGTERM), 0);
    QVERIFY(ownerReceived.wait(5000));
    QCOMPARE(ownerReceived.count(), 2);
}

void tst_SignalCanceler::newInstanceAfterDestruction()
{
    for (int round = 0; round < 3; ++round) {
        Source source;
        SignalCanceler canceler(&source);
        QVERIFY2(canceler.isActive(), qPrintable(QStringLiteral("round %1").arg(round)));
        QSignalSpy received(&canceler, &SignalCanceler::signalReceived);
        QCOMPARE(raise(SIGINT), 0);
        QVERIFY(received.wait(5000));
        QVERIFY(source.isCanceled());
    }
}

void tst_SignalCanceler::deletedFromItsOwnSlot()
{
    // Two signals are pending when the first slot deletes the canceler: the
    // second must not be read through the dead object.
    Source source;
    QPointer<SignalCanceler> canceler = new SignalCanceler(&source);
    int calls = 0;
    connect(canceler.data(), &SignalCanceler::signalReceived, this, [&canceler, &calls] {
        ++calls;
        delete canceler.data();
    });
    QCOMPARE(raise(SIGTERM), 0);
    QCOMPARE(raise(SIGTERM), 0);
    QTRY_VERIFY_WITH_TIMEOUT(canceler.isNull(), 5000);
    QCOMPARE(calls, 1);
    QVERIFY(source.isCanceled());
}

QTEST_GUILESS_MAIN(tst_SignalCanceler)
#include "tst_signalcanceler.moc"
