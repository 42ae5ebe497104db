// SPDX-License-Identifier: MIT
#include <Cancellation/signalwait.h>
#include <Cancellation/source.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <atomic>
#include <latch>
#include <memory>
#include <optional>
#include <thread>

using namespace Cancellation;
using namespace std::chrono_literals;

class Emitter : public QObject
{
    Q_OBJECT

public:
    int receiverCount() const { return receivers(SIGNAL(fired())); }

Q_SIGNALS:
    void fired();
};

namespace {

// What a callback saw: how often it ran, the last result, and on which thread.
struct Outcome
{
    int calls = 0;
    std::optional<SignalWaitResult> result;
    QThread *thread = nullptr;

    auto recorder()
    {
        return [this](SignalWaitResult r) {
            ++calls;
            result = r;
            thread = QThread::currentThread();
        };
    }
};

// Waits for \a outcome's callback, then checks that it ran once, on this thread, also once
// whatever came later has been delivered.
void checkCalledOnceHere(const Outcome &outcome)
{
    QVERIFY(QTest::qWaitFor([&outcome] { return outcome.calls > 0; }, 10000));
    QCoreApplication::processEvents();
    QCOMPARE(outcome.calls, 1);
    QCOMPARE(outcome.thread, QThread::currentThread());
}

} // namespace

class tst_SignalWait : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signalEndsTheWait();
    void cancelEndsTheWaitThroughTheEventLoop();
    void cancelFromAnotherThread();
    void timeoutIsNeverEarly();
    void callersTimeoutIsACancel();
    void canceledTokenEndsTheWaitWhenTheLoopRuns();
    void senderDestroyed();
    void contextDestroyedFirst();
    void senderDestroyedWithItsContext();
    void waitOnAWorkerThread();
    void zeroTimeout();
    void signalFromAnotherThread();
    void callbackDestroysItsContext();
    void senderEmitsWhileItsContextIsDestroyed();
    void signalRacesCancel();
    void signalEmittedBeforeACancelWins();
    void signalEmittedBeforeTheTimeoutWins();
    void timeoutBelowZeroHasPassed();
    void signalRacesTheContextsDestruction();
    void senderDestroyedOnAnotherThreadRacesTheContext();
};

void tst_SignalWait::signalEndsTheWait()
{
    Source source;
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder(),
                       10s);
    QCOMPARE(outcome.calls, 0);
    Q_EMIT emitter.fired();
    QCOMPARE(outcome.calls, 0); // never inside the emit
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Signaled);
    Q_EMIT emitter.fired();
    source.cancel();
    QCoreApplication::processEvents();
    QCOMPARE(outcome.calls, 1); // exactly once
    QTRY_VERIFY(context.children().isEmpty()); // the wait is gone
}

// Never inside cancel(): the callback comes from the event loop.
void tst_SignalWait::cancelEndsTheWaitThroughTheEventLoop()
{
    Source source;
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder());
    QVERIFY(source.cancel());
    QCOMPARE(outcome.calls, 0);
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Canceled);
    Q_EMIT emitter.fired();
    QCOMPARE(outcome.calls, 1);
}

void tst_SignalWait::cancelFromAnotherThread()
{
    Source source;
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder());
    std::thread([&source] { source.cancel(); }).join();
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Canceled);
    QCOMPARE(outcome.thread, QThread::currentThread());
}

void tst_SignalWait::timeoutIsNeverEarly()
{
    Source source;
    QObject context;
    Emitter emitter;
    Outcome outcome;
    QElapsedTimer elapsed;
    elapsed.start();
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder(),
                       150ms);
    QTRY_COMPARE(outcome.calls, 1);
    QVERIFY2(elapsed.elapsed() >= 150, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(outcome.result, SignalWaitResult::TimedOut);
    QVERIFY(!source.isCanceled()); // the caller's token is untouched
}

// The caller's own token timing out is a cancel of the wait, not the wait's timeout.
void tst_SignalWait::callersTimeoutIsACancel()
{
    Source source;
    source.cancelAfter(20ms);
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder(),
                       10s);
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Canceled);
}

void tst_SignalWait::canceledTokenEndsTheWaitWhenTheLoopRuns()
{
    Source source;
    source.cancel();
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder());
    QCOMPARE(outcome.calls, 0);
    QCoreApplication::processEvents();
    QCOMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Canceled);
}

void tst_SignalWait::senderDestroyed()
{
    Source source;
    QObject context;
    auto emitter = std::make_unique<Emitter>();
    Outcome outcome;
    onSignalOrCanceled(emitter.get(), &Emitter::fired, source.token(), &context,
                       outcome.recorder());
    emitter.reset();
    QCOMPARE(outcome.calls, 0);
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::SenderDestroyed);
}

void tst_SignalWait::contextDestroyedFirst()
{
    Source source;
    Emitter emitter;
    Outcome outcome;
    auto context = std::make_unique<QObject>();
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), context.get(), outcome.recorder(),
                       50ms);
    QCOMPARE(source.token().childCount(), 1);
    context.reset();
    QCOMPARE(source.token().childCount(), 0); // the wait's link is gone with it
    Q_EMIT emitter.fired();
    source.cancel();
    // Past the timeout the wait no longer has, nothing comes.
    QVERIFY(!QTest::qWaitFor([&outcome] { return outcome.calls > 0; }, 150));
}

// A context whose destructor destroys the sender, as a widget destroys its child dialog:
// the callback, which would use the half-destroyed context, is not called.
void tst_SignalWait::senderDestroyedWithItsContext()
{
    struct Context : QObject
    {
        std::unique_ptr<Emitter> emitter = std::make_unique<Emitter>();
    };
    Source source;
    Outcome outcome;
    auto context = std::make_unique<Context>();
    onSignalOrCanceled(context->emitter.get(), &Emitter::fired, source.token(), context.get(),
                       outcome.recorder());
    context.reset();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(outcome.calls, 0);
}

// On a worker thread with its own event loop: the callback runs there, a cancel from here.
void tst_SignalWait::waitOnAWorkerThread()
{
    // Everything the worker uses is made on it, inside its run(): what crosses threads is the
    // token, atomics and the thread's start, which ThreadSanitizer can follow (it cannot see
    // through Qt's own queue, built without it).
    Source source;
    const Token token = source.token();
    std::atomic<bool> waiting = false;
    std::atomic<QThread *> calledOn = nullptr;
    std::atomic<int> calls = 0;
    const std::unique_ptr<QThread> worker(QThread::create([&] {
        QEventLoop loop;
        Emitter emitter;
        onSignalOrCanceled(&emitter, &Emitter::fired, token, &loop, [&](SignalWaitResult result) {
            if (result == SignalWaitResult::Canceled)
                calledOn = QThread::currentThread();
            ++calls;
            loop.quit();
        });
        waiting = true;
        loop.exec();
    }));
    worker->start();
    QTRY_VERIFY(waiting.load());
    source.cancel();
    QVERIFY(worker->wait(10000));
    QCOMPARE(calledOn.load(), worker.get());
    QCOMPARE(calls.load(), 1);
}

void tst_SignalWait::zeroTimeout()
{
    Source source;
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder(),
                       0ns);
    QCOMPARE(outcome.calls, 0);
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::TimedOut);
}

void tst_SignalWait::signalFromAnotherThread()
{
    Source source;
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder());
    std::thread([&emitter] { Q_EMIT emitter.fired(); }).join();
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Signaled);
    QCOMPARE(outcome.thread, QThread::currentThread());
}

// The callback may destroy the context, and with it the wait that calls it (ASan checks).
void tst_SignalWait::callbackDestroysItsContext()
{
    Source source;
    Emitter emitter;
    auto *context = new QObject;
    QPointer<QObject> watch = context;
    int calls = 0;
    onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), context,
                       [&calls, context](SignalWaitResult) {
                           ++calls;
                           delete context;
                       });
    source.cancel();
    QTRY_VERIFY(watch.isNull());
    Q_EMIT emitter.fired();
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
}

// A sender that emits from its destructor, run by the context's (a widget that owns a QProcess,
// whose destructor kills it and emits finished()): the callback does not run on the
// half-destroyed context.
void tst_SignalWait::senderEmitsWhileItsContextIsDestroyed()
{
    struct DyingEmitter : Emitter
    {
        ~DyingEmitter() override { Q_EMIT fired(); }
    };
    struct Context : QObject
    {
        DyingEmitter emitter;
    };
    Source source;
    Outcome outcome;
    auto context = std::make_unique<Context>();
    onSignalOrCanceled(&context->emitter, &Emitter::fired, source.token(), context.get(),
                       outcome.recorder());
    context.reset();
    QVERIFY(!QTest::qWaitFor([&outcome] { return outcome.calls > 0; }, 100));
}

// The signal, emitted on another thread, races a cancel on a third: the callback runs once,
// on the context's thread, with either result, 10,000 times (under TSan and ASan in CI).
void tst_SignalWait::signalRacesCancel()
{
    constexpr int Rounds = 10000;
    int signaled = 0;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        QObject context;
        Emitter emitter;
        Outcome outcome;
        onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder());
        std::latch ready(2);
        std::thread emitting([&] {
            ready.arrive_and_wait();
            Q_EMIT emitter.fired(); // decides the end on this thread, if first
        });
        std::thread canceling([&] {
            ready.arrive_and_wait();
            source.cancel();
        });
        emitting.join();
        canceling.join();
        checkCalledOnceHere(outcome);
        if (QTest::currentTestFailed())
            return;
        signaled += outcome.result == SignalWaitResult::Signaled ? 1 : 0;
    }
    qInfo("the signal won %d of %d rounds", signaled, Rounds);
}

// Defect: a signal emitted on another thread took two trips through the context's event loop, a
// cancel one: a signal emitted, and its emit returned, before the cancel lost to it in 100 of 100
// rounds.
void tst_SignalWait::signalEmittedBeforeACancelWins()
{
    constexpr int Rounds = 1000;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        QObject context;
        Emitter emitter;
        Outcome outcome;
        onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), &context, outcome.recorder());
        std::thread([&emitter] { Q_EMIT emitter.fired(); }).join();
        source.cancel(); // strictly after the emit
        checkCalledOnceHere(outcome);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(outcome.result, SignalWaitResult::Signaled);
        QCOMPARE(source.token().registrationCount(), 0);
    }
}

// Defect, as above: a signal emitted at once lost to a 30 ms timeout that passed while the
// context's thread was busy, 20 of 20 times.
void tst_SignalWait::signalEmittedBeforeTheTimeoutWins()
{
    QObject context;
    Emitter emitter;
    Outcome outcome;
    onSignalOrCanceled(&emitter, &Emitter::fired, Token(), &context, outcome.recorder(), 30ms);
    std::thread([&emitter] { Q_EMIT emitter.fired(); }).join();
    // Busy, without the event loop, until well past the timeout: the wait's timer thread has
    // long run its callback by then (if it has not, the signal wins all the same).
    Source busy;
    busy.cancelAfter(200ms);
    QVERIFY(busy.token().waitFor(10s));
    QTRY_COMPARE(outcome.calls, 1);
    QCOMPARE(outcome.result, SignalWaitResult::Signaled);
}

// Defect: a negative timeout (a remaining time already past) set none: the wait went on for
// ever. A timeout of zero or less has passed, and ends the wait through the event loop.
void tst_SignalWait::timeoutBelowZeroHasPassed()
{
    for (const std::chrono::nanoseconds timeout :
         { std::chrono::nanoseconds(-5ms), std::chrono::nanoseconds::min() }) {
        QObject context;
        Emitter emitter;
        Outcome outcome;
        onSignalOrCanceled(&emitter, &Emitter::fired, Token(), &context, outcome.recorder(),
                           timeout);
        QCOMPARE(outcome.calls, 0);
        QTRY_COMPARE(outcome.calls, 1);
        QCOMPARE(outcome.result, SignalWaitResult::TimedOut);
    }
}

// The signal, emitted on another thread, races the destruction of the context, and with it of
// the wait: the context goes before the event loop runs, so the callback never runs, whichever
// came first, 10,000 times (under TSan and ASan in CI).
void tst_SignalWait::signalRacesTheContextsDestruction()
{
    constexpr int Rounds = 10000;
    Emitter emitter;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        auto context = std::make_unique<QObject>();
        Outcome outcome;
        onSignalOrCanceled(&emitter, &Emitter::fired, source.token(), context.get(),
                           outcome.recorder());
        std::latch ready(2);
        std::thread emitting([&] {
            ready.arrive_and_wait();
            Q_EMIT emitter.fired();
        });
        ready.arrive_and_wait();
        context.reset();
        emitting.join();
        QCoreApplication::processEvents();
        QCOMPARE(outcome.calls, 0);
        QCOMPARE(source.token().registrationCount(), 0);
    }
    QCOMPARE(emitter.receiverCount(), 0); // every wait took its connection down
}

// The sender, living on another thread, is destroyed there while the context is destroyed here:
// as above, the callback never runs, 10,000 times (under TSan and ASan in CI).
void tst_SignalWait::senderDestroyedOnAnotherThreadRacesTheContext()
{
    constexpr int Rounds = 10000;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        auto context = std::make_unique<QObject>();
        Outcome outcome;
        Emitter *emitter = nullptr;
        std::latch made(2);
        std::latch waiting(2);
        std::thread owner([&] {
            auto own = std::make_unique<Emitter>(); // lives on this thread
            emitter = own.get();
            made.arrive_and_wait();
            waiting.arrive_and_wait();
            own.reset();
        });
        made.arrive_and_wait();
        onSignalOrCanceled(emitter, &Emitter::fired, source.token(), context.get(),
                           outcome.recorder());
        waiting.arrive_and_wait();
        context.reset();
        owner.join();
        QCoreApplication::processEvents();
        QCOMPARE(outcome.calls, 0);
        QCOMPARE(source.token().registrationCount(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_SignalWait)
#include "tst_signalwait.moc"
