// SPDX-License-Identifier: MIT
// The adapters to Qt's own cancellation: futures.h, concurrent.h, threads.h.
#include <Cancellation/concurrent.h>
#include <Cancellation/futures.h>
#include <Cancellation/source.h>
#include <Cancellation/threads.h>

#include <QtCore/QPromise>
#include <QtCore/QThreadPool>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <thread>

#include "gate.h"

using namespace Cancellation;
using namespace std::chrono_literals;

class tst_Adapters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenCancelsFuture();
    void unregisteredLinkLeavesFutureAlone();
    void futureCancelsSource();
    void runPassesTokenAndResult();
    void runCancelsFutureWhenTokenIs();
    void runWithPromise();
    void runCanceledBeforeStartNeverCalls();
    void runCanceledWhileQueuedLeavesTheQueue();
    void runCancelRacesStart();
    void tokenRequestsThreadInterruption();
};

void tst_Adapters::tokenCancelsFuture()
{
    Source source;
    QPromise<int> promise;
    promise.start();
    const Registration link = cancelFutureWhenCanceled(source.token(), promise.future());
    QVERIFY(!promise.future().isCanceled());
    source.cancel();
    QVERIFY(promise.future().isCanceled());
    QVERIFY(promise.isCanceled());
    promise.finish();
}

void tst_Adapters::unregisteredLinkLeavesFutureAlone()
{
    Source source;
    QPromise<void> promise;
    promise.start();
    {
        const Registration link = cancelFutureWhenCanceled(source.token(), promise.future());
        QCOMPARE(source.token().registrationCount(), 1);
    }
    QCOMPARE(source.token().registrationCount(), 0);
    source.cancel();
    QVERIFY(!promise.future().isCanceled());
    promise.finish();
}

void tst_Adapters::futureCancelsSource()
{
    Source source;
    QPromise<int> promise;
    promise.start();
    cancelWhenFutureCanceled(&source, promise.future());
    QVERIFY(!source.isCanceled());
    promise.future().cancel();
    QTRY_VERIFY(source.isCanceled());
    QCOMPARE(source.reason().kind(), Reason::Kind::UserRequest);
    QCOMPARE(source.reason().message(), QStringLiteral("QFuture canceled"));
    promise.finish();
    // The watcher deletes itself once the future has finished.
    QTRY_COMPARE(source.findChildren<QFutureWatcherBase *>().size(), 0);
}

void tst_Adapters::runPassesTokenAndResult()
{
    Source source;
    QFuture<int> future = Cancellation::run(
            source.token(),
            [](const Token &token, int x) { return token.isCanceled() ? -1 : 2 * x; }, 21);
    QCOMPARE(future.result(), 42);
    QVERIFY(!future.isCanceled());
}

void tst_Adapters::runCancelsFutureWhenTokenIs()
{
    Source source;
    std::latch started(1);
    std::atomic<bool> sawCancel = false;
    QFuture<void> future = Cancellation::run(source.token(), [&](const Token &token) {
        started.count_down();
        sawCancel = token.waitFor(60s); // returns at once on cancel
    });
    started.wait();
    source.cancel();
    future.waitForFinished();
    QVERIFY(sawCancel);
    QVERIFY(future.isCanceled());
}

void tst_Adapters::runWithPromise()
{
    Source source;
    std::latch started(1);
    std::atomic<bool> sawPromiseCanceled = false;
    QFuture<int> future = Cancellation::runWithPromise<int>(
            QThreadPool::globalInstance(), source.token(),
            [&](QPromise<int> &promise, const Token &token) {
                promise.addResult(1);
                started.count_down();
                token.waitFor(60s);
                // The adapter cancels the future on the canceling thread, right after
                // waking the waiters; the promise sees it soon after (a condition wait).
                const auto deadline = std::chrono::steady_clock::now() + 10s;
                while (!promise.isCanceled() && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::yield();
                sawPromiseCanceled = promise.isCanceled();
            });
    started.wait();
    QCOMPARE(future.resultAt(0), 1);
    source.cancel();
    future.waitForFinished();
    QVERIFY(sawPromiseCanceled);
    QVERIFY(future.isCanceled());
}

// A task whose token is canceled before it starts finishes canceled without calling its
// function (defect: run() always called it).
void tst_Adapters::runCanceledBeforeStartNeverCalls()
{
    Source source;
    source.cancel();
    std::atomic<int> calls = 0;
    QFuture<int> future = Cancellation::run(source.token(), [&calls](const Token &) {
        ++calls;
        return 1;
    });
    future.waitForFinished();
    QVERIFY(future.isCanceled());
    QVERIFY(future.isFinished());
    QCOMPARE(future.resultCount(), 0);
    QFuture<void> withPromise = Cancellation::runWithPromise<void>(
            QThreadPool::globalInstance(), source.token(),
            [&calls](QPromise<void> &, const Token &) { ++calls; });
    withPromise.waitForFinished();
    QVERIFY(withPromise.isCanceled());
    QCOMPARE(calls.load(), 0);
}

// A one-thread pool busy with another task: the queued task leaves the queue as soon as its
// token is canceled, and its future finishes then, not when the pool gets to it.
void tst_Adapters::runCanceledWhileQueuedLeavesTheQueue()
{
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    Gate gate;
    Source blockerSource;
    QFuture<void> blocker = Cancellation::run(&pool, blockerSource.token(),
                                              [&gate](const Token &) { gate.enterAndWait(); });
    QVERIFY(gate.waitEntered(10s));

    Source source;
    std::atomic<int> calls = 0;
    QFuture<QString> queued = Cancellation::run(
            &pool, source.token(),
            [&calls](const Token &, const QString &text) {
                ++calls;
                return text;
            },
            QStringLiteral("never"));
    QVERIFY(!queued.isFinished());
    source.cancel();
    // Finished by the cancel itself, while the pool's only thread is still blocked.
    QVERIFY(queued.isFinished());
    QVERIFY(queued.isCanceled());
    QCOMPARE(pool.activeThreadCount(), 1);

    gate.open();
    blocker.waitForFinished();
    QVERIFY(pool.waitForDone(10000));
    QCOMPARE(calls.load(), 0); // taken off the queue: it never ran
    QVERIFY(!blocker.isCanceled());
}

// Cancels race the start of queued tasks: each task either never runs, or runs with its token
// (canceled or not). Every future finishes, exactly once, and nothing leaks (LSan).
void tst_Adapters::runCancelRacesStart()
{
    QThreadPool pool;
    pool.setMaxThreadCount(2);
    constexpr int Rounds = 10'000;
    std::atomic<int> ran = 0;
    int canceledFutures = 0;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        QFuture<int> future = Cancellation::run(&pool, source.token(), [&ran](const Token &) {
            ++ran;
            return 7;
        });
        if (round % 2 == 0)
            source.cancel(); // while queued, starting or running
        future.waitForFinished();
        QVERIFY(future.isFinished());
        if (future.isCanceled()) {
            ++canceledFutures;
            QCOMPARE(round % 2, 0); // only a canceled token cancels the future
        } else {
            QCOMPARE(future.result(), 7);
        }
    }
    QVERIFY(pool.waitForDone(10000));
    // The odd rounds always ran; of the even ones, those the cancel came too late for.
    QVERIFY(ran.load() >= Rounds / 2);
    QVERIFY(ran.load() + canceledFutures >= Rounds);
    qInfo("%d of %d tasks ran; %d futures canceled", ran.load(), Rounds, canceledFutures);
}

void tst_Adapters::tokenRequestsThreadInterruption()
{
    Source source;
    std::atomic<bool> running = false;
    std::unique_ptr<QThread> thread(QThread::create([&running] {
        running = true;
        while (!QThread::currentThread()->isInterruptionRequested())
            std::this_thread::yield();
    }));
    const Registration link = requestInterruptionWhenCanceled(source.token(), thread.get());
    thread->start();
    QTRY_VERIFY(running.load());
    QVERIFY(!thread->isInterruptionRequested());
    source.cancel();
    QVERIFY(thread->isInterruptionRequested());
    QVERIFY(thread->wait(10'000));
}

QTEST_GUILESS_MAIN(tst_Adapters)
#include "tst_adapters.moc"
