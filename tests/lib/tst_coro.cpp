// SPDX-License-Identifier: MIT
#include <Cancellation/coro.h>
#include <Cancellation/network.h>
#include <Cancellation/source.h>

#include <QCoro/QCoroNetworkReply>
#include <QCoro/QCoroSignal>
#include <QCoro/QCoroTimer>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QTest>

#include "httpserver.h"

#include <atomic>
#include <coroutine>
#include <latch>
#include <optional>
#include <stdexcept>
#include <thread>

using namespace Cancellation;
using namespace std::chrono_literals;

class Emitter : public QObject
{
    Q_OBJECT

public:
    int receiverCount() const { return receivers(SIGNAL(fired(int))); }

Q_SIGNALS:
    void fired(int value);
};

// The coroutines here are named lambdas, called once they are named: a coroutine lambda's
// captures live in the closure, not in the frame, so the closure must outlive the coroutine.

namespace {

// A coroutine whose frame the test destroys while it waits: QCoro's Task never does that.
struct Manual
{
    struct promise_type
    {
        Manual get_return_object()
        {
            return Manual { std::coroutine_handle<promise_type>::from_promise(*this) };
        }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() { }
        void unhandled_exception() { std::terminate(); }
    };
    std::coroutine_handle<promise_type> handle;
};

// Answers \a value after \a delay; counts in \a ended that it ran to its end, as a task
// given up on still does.
QCoro::Task<int> answerAfter(std::chrono::milliseconds delay, int value, int *ended = nullptr)
{
    co_await QCoro::sleepFor(delay);
    if (ended)
        ++*ended;
    co_return value;
}

QCoro::Task<> sleepThenCount(std::chrono::milliseconds delay, int *ended)
{
    co_await QCoro::sleepFor(delay);
    ++*ended;
}

QCoro::Task<int> failAfter(std::chrono::milliseconds delay)
{
    co_await QCoro::sleepFor(delay);
    throw std::runtime_error("the device went away");
}

} // namespace

class tst_Coro : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void awaitTokenResumesOnItsThread();
    void awaitCanceledTokenDoesNotSuspend();
    void frameDestroyedWhileWaitingIsNotResumed();
    void taskThatCompletes();
    void taskCutShortByCancel();
    void timeoutIsNeverEarly();
    void timeoutBelowZeroHasPassed();
    void voidTask();
    void exceptionReachesTheAwaiter();
    void taskThatEndsOnAnotherThread();
    void networkReplyUnderAToken();
    void awaitSignalOrCancel();
    void signalOrCanceledKnownAlreadyDoesNotSuspend();
    void signalRacesCancel();
};

// A cancel on another thread resumes the coroutine on the thread that awaited, never inside
// the cancel.
void tst_Coro::awaitTokenResumesOnItsThread()
{
    Source source;
    std::optional<Reason> reason;
    QThread *resumedOn = nullptr;
    const auto taskBody = [&]() -> QCoro::Task<> {
        reason = co_await source.token();
        resumedOn = QThread::currentThread();
    };
    auto task = taskBody();
    QVERIFY(!reason);
    std::thread([&source] { source.cancelWithMessage(QStringLiteral("stop")); }).join();
    QVERIFY(!reason); // not before this thread's event loop runs
    QTRY_VERIFY(reason.has_value());
    QCOMPARE(reason->message(), QStringLiteral("stop"));
    QCOMPARE(resumedOn, QThread::currentThread());
    QVERIFY(task.isReady());
}

void tst_Coro::awaitCanceledTokenDoesNotSuspend()
{
    Source source;
    source.cancel();
    bool resumed = false;
    const auto taskBody = [&]() -> QCoro::Task<> {
        co_await source.token();
        resumed = true;
    };
    auto task = taskBody();
    QVERIFY(resumed);
    QVERIFY(task.isReady());
}

// The frame goes while it waits on a token or a signal; the cancel that comes later resumes
// nothing (ASan in CI checks that nothing touches the freed frame). untilCanceled() is a QCoro
// task, whose frame QCoro never destroys while it waits.
void tst_Coro::frameDestroyedWhileWaitingIsNotResumed()
{
    Source source;
    Emitter emitter;
    int resumed = 0;
    const auto onTokenBody = [&]() -> Manual {
        co_await source.token();
        ++resumed;
    };
    Manual onToken = onTokenBody();
    const auto onSignalBody = [&]() -> Manual {
        co_await Cancellation::signalOrCanceled(&emitter, &Emitter::fired, source.token());
        ++resumed;
    };
    Manual onSignal = onSignalBody();
    QCOMPARE(source.token().registrationCount(), 1); // the token's; the signal wait's is a child
    QCOMPARE(source.token().childCount(), 1);
    onToken.handle.destroy();
    onSignal.handle.destroy();
    QCOMPARE(source.token().registrationCount(), 0);
    QTRY_COMPARE(source.token().childCount(), 0); // the signal wait goes with a deferred delete
    source.cancel();
    Q_EMIT emitter.fired(1);
    QVERIFY(!QTest::qWaitFor([&] { return resumed > 0; }, 100));
    QCOMPARE(source.token().registrationCount(), 0);
}

void tst_Coro::taskThatCompletes()
{
    Source source;
    std::optional<std::optional<int>> result;
    const auto taskBody = [&]() -> QCoro::Task<> {
        result = co_await untilCanceled(answerAfter(20ms, 42), source.token(), 10s);
    };
    auto task = taskBody();
    QTRY_VERIFY(result.has_value());
    QCOMPARE(result->value_or(-1), 42);
    QCOMPARE(source.token().childCount(), 0); // the timeout's Source is gone
}

// A cancel from another thread ends the wait at once; the task runs on to its end and its
// value is dropped.
void tst_Coro::taskCutShortByCancel()
{
    Source source;
    std::optional<std::optional<int>> result;
    int ended = 0;
    QElapsedTimer elapsed;
    elapsed.start();
    const auto taskBody = [&]() -> QCoro::Task<> {
        result = co_await untilCanceled(answerAfter(500ms, 42, &ended), source.token());
    };
    auto task = taskBody();
    std::thread([&source] { source.cancel(); }).join();
    QTRY_VERIFY(result.has_value());
    QVERIFY(!result->has_value());
    QCOMPARE(ended, 0); // it did not wait for the task...
    QTRY_COMPARE(ended, 1); // ...which ran to its end, its value dropped
    QVERIFY(!result->has_value());
}

void tst_Coro::timeoutIsNeverEarly()
{
    Source source;
    std::optional<std::optional<int>> result;
    int ended = 0;
    QElapsedTimer elapsed;
    elapsed.start();
    const auto taskBody = [&]() -> QCoro::Task<> {
        result = co_await untilCanceled(answerAfter(1s, 42, &ended), source.token(), 100ms);
    };
    auto task = taskBody();
    QTRY_VERIFY(result.has_value());
    QVERIFY2(elapsed.elapsed() >= 100, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(!result->has_value());
    QCOMPARE(ended, 0);
    QVERIFY(!source.isCanceled()); // the timeout, not the caller's token
    QTRY_COMPARE(ended, 1);
}

// Defect: a negative timeout (a remaining time already past) set none, with only a warning from
// Source::cancelAfter(): untilCanceled() waited for the whole task. It has passed, as zero has.
void tst_Coro::timeoutBelowZeroHasPassed()
{
    Source source;
    std::optional<std::optional<int>> result;
    int ended = 0;
    const auto taskBody = [&]() -> QCoro::Task<> {
        result = co_await untilCanceled(answerAfter(1s, 42, &ended), source.token(), -5ms);
    };
    auto task = taskBody();
    QVERIFY(result.has_value()); // known at once: no suspension
    QVERIFY(!result->has_value());
    QVERIFY(task.isReady());
    QVERIFY(!source.isCanceled());
    QTRY_COMPARE_WITH_TIMEOUT(ended, 1, 10000); // the task itself runs to its end
}

void tst_Coro::voidTask()
{
    Source source;
    std::optional<bool> completed;
    const auto taskBody = [&]() -> QCoro::Task<> {
        completed = co_await untilCanceled(QCoro::sleepFor(10ms), source.token());
    };
    auto task = taskBody();
    QTRY_COMPARE(completed, std::optional<bool>(true));

    source.cancel();
    completed.reset();
    int ended = 0;
    const auto canceledBody = [&]() -> QCoro::Task<> {
        completed = co_await untilCanceled(sleepThenCount(200ms, &ended), source.token());
    };
    auto canceled = canceledBody();
    QCOMPARE(completed, std::optional<bool>(false)); // canceled already: no suspension
    QTRY_COMPARE(ended, 1);
}

// A task that throws: the awaiting coroutine gets the exception, unless the token came first.
void tst_Coro::exceptionReachesTheAwaiter()
{
    Source source;
    QString caught;
    const auto taskBody = [&]() -> QCoro::Task<> {
        try {
            co_await untilCanceled(failAfter(10ms), source.token());
        } catch (const std::runtime_error &error) {
            caught = QString::fromUtf8(error.what());
        }
    };
    auto task = taskBody();
    QTRY_COMPARE(caught, QStringLiteral("the device went away"));
}

// A task that ends on another thread: its result comes back to the awaiting thread. The other
// thread resumes the task only once it is awaited (go): QCoro's Task may not be awaited on one
// thread while it ends on another.
void tst_Coro::taskThatEndsOnAnotherThread()
{
    struct ResumeOnAnotherThread
    {
        std::thread *thread;
        const std::atomic<bool> *go;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const
        {
            *thread = std::thread([h, go = go] {
                while (!go->load())
                    std::this_thread::yield();
                h.resume();
            });
        }
        void await_resume() const noexcept { }
    };
    std::thread other;
    std::atomic<bool> go = false;
    std::atomic<QThread *> endedOn = nullptr;
    const auto elsewhere = [&]() -> QCoro::Task<int> {
        co_await ResumeOnAnotherThread { &other, &go };
        endedOn = QThread::currentThread();
        co_return 7;
    };
    Source source;
    std::optional<std::optional<int>> result;
    QThread *resumedOn = nullptr;
    const auto taskBody = [&]() -> QCoro::Task<> {
        result = co_await untilCanceled(elsewhere(), source.token());
        resumedOn = QThread::currentThread();
    };
    auto task = taskBody();
    go = true;
    QTRY_VERIFY(result.has_value());
    other.join();
    QVERIFY(endedOn.load() != QThread::currentThread());
    QCOMPARE(resumedOn, QThread::currentThread());
    QCOMPARE(result->value_or(-1), 7);
}

// A real reply: one that answers completes; one that never does is given up on a cancel,
// and abortOnCancel() on the same token ends the reply, and with it the task.
void tst_Coro::networkReplyUnderAToken()
{
    HttpServer server;
    QVERIFY(server.isListening());
    QNetworkAccessManager manager;
    Source source;
    const auto fetch = [&](const QString &path) -> QCoro::Task<QByteArray> {
        QNetworkReply *reply = manager.get(QNetworkRequest(server.url(path)));
        std::ignore = abortOnCancel(reply, source.token());
        co_await qCoro(reply).waitForFinished();
        reply->deleteLater();
        co_return reply->error() == QNetworkReply::NoError ? reply->readAll()
                                                           : reply->errorString().toUtf8();
    };

    std::optional<std::optional<QByteArray>> hello;
    const auto firstBody = [&]() -> QCoro::Task<> {
        hello = co_await untilCanceled(fetch(QStringLiteral("/hello")), source.token());
    };
    auto first = firstBody();
    QTRY_VERIFY_WITH_TIMEOUT(hello.has_value(), 10000);
    QCOMPARE(*hello, std::optional<QByteArray>("Hello World!\n"));

    std::optional<std::optional<QByteArray>> never;
    const auto secondBody = [&]() -> QCoro::Task<> {
        never = co_await untilCanceled(fetch(QStringLiteral("/never")), source.token());
    };
    auto second = secondBody();
    QTRY_COMPARE(manager.findChildren<QNetworkReply *>().size(), 1);
    source.cancel();
    QTRY_VERIFY(never.has_value());
    QVERIFY(!never->has_value());
    QTRY_COMPARE(manager.findChildren<QNetworkReply *>().size(), 0); // aborted and deleted
}

void tst_Coro::awaitSignalOrCancel()
{
    Source source;
    Emitter emitter;
    std::optional<SignalWaitResult> result;
    const auto wait = [&](std::chrono::nanoseconds timeout) -> QCoro::Task<> {
        result = co_await Cancellation::signalOrCanceled(&emitter, &Emitter::fired, source.token(),
                                                         timeout);
    };

    auto signaled = wait(10s);
    Q_EMIT emitter.fired(1);
    QTRY_COMPARE(result, std::optional(SignalWaitResult::Signaled));

    result.reset();
    auto timedOut = wait(50ms);
    QTRY_COMPARE(result, std::optional(SignalWaitResult::TimedOut));

    result.reset();
    auto canceled = wait(10s);
    QCOMPARE(emitter.receiverCount(), 1);
    std::thread([&source] { source.cancel(); }).join();
    QTRY_COMPARE(result, std::optional(SignalWaitResult::Canceled));
    QTRY_COMPARE(emitter.receiverCount(), 0); // nothing is left connected
}

// Defect: co_await signalOrCanceled() suspended on a token canceled already, though the header
// says an awaitable whose result is known does not. Neither does a timeout of zero or less.
void tst_Coro::signalOrCanceledKnownAlreadyDoesNotSuspend()
{
    Emitter emitter;
    Source canceled;
    canceled.cancel();
    Source live;
    std::optional<SignalWaitResult> result;
    const auto wait = [&](const Token &token, std::chrono::nanoseconds timeout) -> QCoro::Task<> {
        result = co_await Cancellation::signalOrCanceled(&emitter, &Emitter::fired, token, timeout);
    };
    auto onCanceled = wait(canceled.token(), 10s);
    QCOMPARE(result, std::optional(SignalWaitResult::Canceled));
    QVERIFY(onCanceled.isReady());
    for (const std::chrono::nanoseconds timeout : { 0ns, std::chrono::nanoseconds(-5ms) }) {
        result.reset();
        auto timedOut = wait(live.token(), timeout);
        QCOMPARE(result, std::optional(SignalWaitResult::TimedOut));
        QVERIFY(timedOut.isReady());
    }
    result.reset();
    auto both = wait(canceled.token(), 0ns); // the token's cancel came first
    QCOMPARE(result, std::optional(SignalWaitResult::Canceled));
    QCOMPARE(emitter.receiverCount(), 0); // nothing was connected
}

// A QCoro signal task (emitted on one thread) races a cancel (on another) under
// untilCanceled(): the awaiting coroutine resumes exactly once, 10,000 times (under TSan and
// ASan in CI).
void tst_Coro::signalRacesCancel()
{
    constexpr int Rounds = 10000;
    int completed = 0;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        Emitter emitter;
        int resumed = 0;
        std::optional<int> value;
        const auto onSignal = [](Emitter *e) -> QCoro::Task<int> {
            co_return co_await qCoro(e, &Emitter::fired); // the signal's argument
        };
        const auto taskBody = [&]() -> QCoro::Task<> {
            value = co_await untilCanceled(onSignal(&emitter), source.token());
            ++resumed;
        };
        auto task = taskBody();
        std::latch ready(2);
        std::thread emitting([&] {
            ready.arrive_and_wait();
            Q_EMIT emitter.fired(round); // queued to this thread
        });
        std::thread canceling([&] {
            ready.arrive_and_wait();
            source.cancel();
        });
        emitting.join();
        canceling.join();
        // The results are posted already: take them as they come, up to 10 s.
        QDeadlineTimer deadline(10s);
        while (resumed == 0 && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QCoreApplication::processEvents(); // a late signal or cancel changes nothing
        QCOMPARE(resumed, 1);
        if (value) {
            QCOMPARE(*value, round);
            ++completed;
        }
    }
    qInfo("the task won %d of %d rounds", completed, Rounds);
}

QTEST_GUILESS_MAIN(tst_Coro)
#include "tst_coro.moc"
