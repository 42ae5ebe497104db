// SPDX-License-Identifier: MIT
#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <QtCore/QDebug>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QTest>

#include "platform.h"

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace Cancellation;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

qint64 msecsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

} // namespace

class tst_Token : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void DefaultTokenNeverCanceled();
    void CopiesCompareEqual();
    void MovedFromTokenIsNull();
    void DebugName();
    void DebugOutput();
    void LateRegistrationRunsInline_data();
    void LateRegistrationRunsInline();
    void LateRegistrationRunsInlineOnWorkerThread();
    void CallbackThrows();
    void CallbackThrowsInline();
    void ContextCallbackRunsOnContextThread();
    void ContextCallbackMayBeMoveOnly();
    void ReceiverDeletedBeforeQueuedDelivery_data();
    void ReceiverDeletedBeforeQueuedDelivery();
    void WaitWakesOnCancel_data();
    void WaitWakesOnCancel();
    void WaitTimesOutWhenLive();
    void WaitOnCanceledReturnsAtOnce();
    void WaitNoticesDeadlineArmedDuringWait_data();
    void WaitNoticesDeadlineArmedDuringWait();
};

void tst_Token::DefaultTokenNeverCanceled()
{
    const Token token;
    QVERIFY(!token.canBeCanceled());
    QVERIFY(!token.isCanceled());
    QCOMPARE(token.reason().kind(), Reason::Kind::None);
    QVERIFY(token.deadline().isForever());
    QVERIFY(token.debugName().isEmpty());
    QCOMPARE(token.childCount(), 0);
    QCOMPARE(token.registrationCount(), 0);

    // A callback on a token that can never cancel can never run.
    bool ran = false;
    Registration registration = token.onCanceled([&ran] { ran = true; });
    QVERIFY(!registration.isPending());
    QVERIFY(!registration.unregister());
    QVERIFY(!ran);

    // Waiting with a timeout returns false after the timeout, never early.
    const auto start = Clock::now();
    QVERIFY(!token.waitFor(20ms));
    QVERIFY(Clock::now() - start >= 20ms);
    QVERIFY(!token.waitFor(0ns));
    QVERIFY(!token.waitFor(-1s));

    // A Source with a default parent is simply a root: the parent can never cancel it.
    Source child(token);
    QVERIFY(!child.isCanceled());
    QVERIFY(child.token().canBeCanceled());
    QVERIFY(child.cancel());
    QVERIFY(!token.isCanceled());

    QVERIFY(Token() == token);
    QVERIFY(!(token == child.token()));
}

void tst_Token::CopiesCompareEqual()
{
    Source source;
    Source other;
    const Token a = source.token();
    const Token b = a; // NOLINT(performance-unnecessary-copy-initialization)
    Token c;
    c = source.token();
    QVERIFY(a == b);
    QVERIFY(a == c);
    QVERIFY(a == source.token());
    QVERIFY(!(a == other.token()));
    QVERIFY(a.canBeCanceled());

    // Every copy sees the one state.
    QVERIFY(source.cancelWithMessage(QStringLiteral("m")));
    QVERIFY(a.isCanceled() && b.isCanceled() && c.isCanceled());
    QVERIFY(a.reason() == c.reason());
    QCOMPARE(b.reason().message(), QStringLiteral("m"));
    QVERIFY(!other.token().isCanceled());

    // The Token metatype round-trips through QVariant.
    const QVariant variant = QVariant::fromValue(a);
    QVERIFY(variant.value<Token>() == a);
}

void tst_Token::DebugName()
{
    Source parent;
    Source child(parent.token());
    QVERIFY(parent.token().debugName().isEmpty());
    const Token token = parent.token();
    parent.setDebugName(QStringLiteral("download"));
    QCOMPARE(token.debugName(), QStringLiteral("download")); // set after the copy was made
    QVERIFY(child.token().debugName().isEmpty()); // not inherited
    child.setDebugName(QStringLiteral("chunk 1"));
    QCOMPARE(child.token().debugName(), QStringLiteral("chunk 1"));
    QCOMPARE(token.debugName(), QStringLiteral("download"));
}

void tst_Token::DebugOutput()
{
    const auto print = [](const auto &value) {
        QString text;
        QDebug(&text) << value;
        return text.trimmed();
    };

    QCOMPARE(print(Token()), QStringLiteral("Cancellation::Token(never canceled)"));

    Source source;
    QCOMPARE(print(source.token()), QStringLiteral("Cancellation::Token(\"live\")"));
    source.setDebugName(QStringLiteral("job"));
    QCOMPARE(print(source.token()), QStringLiteral("Cancellation::Token(\"job\", \"live\")"));
    QVERIFY(source.cancelWithMessage(QStringLiteral("enough")));
    QCOMPARE(print(source.token()),
             QStringLiteral("Cancellation::Token(\"job\", \"canceled by user: enough\")"));
    // A Source prints as its token.
    QCOMPARE(print(&source), print(source.token()));
    QCOMPARE(print(static_cast<const Source *>(nullptr)),
             QStringLiteral("Cancellation::Source(nullptr)"));

    // And through the message handler, as a user would see it.
    QTest::ignoreMessage(QtDebugMsg, "Cancellation::Token(never canceled)");
    qDebug() << Token();
}

void tst_Token::LateRegistrationRunsInline_data()
{
    QTest::addColumn<int>("how");
    QTest::addColumn<Reason::Kind>("expectedKind");
    // how: 0 = canceled, 1 = child born canceled, 2 = pull-only deadline already passed
    QTest::newRow("canceled") << 0 << Reason::Kind::UserRequest;
    QTest::newRow("born-canceled child") << 1 << Reason::Kind::ParentCanceled;
    QTest::newRow("pull-only deadline passed") << 2 << Reason::Kind::Timeout;
}

void tst_Token::LateRegistrationRunsInline()
{
    QFETCH(int, how);
    QFETCH(Reason::Kind, expectedKind);

    Source root;
    std::unique_ptr<Source> child;
    Token token;
    switch (how) {
    case 0:
        QVERIFY(root.cancel());
        token = root.token();
        break;
    case 1:
        QVERIFY(root.cancel());
        child = std::make_unique<Source>(root.token());
        QVERIFY(child->isCanceled());
        token = child->token();
        break;
    case 2: {
        // Pull-only: nothing fires on its own. Wait for a later timer-driven
        // sentinel instead of sleeping, then register without polling first.
        QVERIFY(root.cancelAfter(5ms, Source::DeadlineCheck::PollOnly));
        Source sentinel;
        QVERIFY(sentinel.cancelAfter(20ms));
        QVERIFY(sentinel.token().waitFor(10s));
        token = root.token();
        break;
    }
    }

    std::atomic<int> calls = 0;
    std::thread::id ranOn;
    Reason seen;
    bool ranBeforeReturn = false;
    Registration registration = token.onCanceled([&](const Reason &reason) {
        ++calls;
        ranOn = std::this_thread::get_id();
        seen = reason;
    });
    ranBeforeReturn = calls.load() == 1;
    QVERIFY(ranBeforeReturn);
    QCOMPARE(ranOn, std::this_thread::get_id());
    QCOMPARE(seen.kind(), expectedKind);
    QVERIFY(seen == token.reason());
    QVERIFY(!registration.isPending());
    QCOMPARE(token.registrationCount(), 0);
    QVERIFY(!registration.unregister()); // it ran: nothing to remove
    QCOMPARE(calls.load(), 1);

    // A callback that takes no argument works the same way.
    bool plain = false;
    const Registration second = token.onCanceled([&plain] { plain = true; });
    QVERIFY(plain);
}

void tst_Token::LateRegistrationRunsInlineOnWorkerThread()
{
    Source source;
    QVERIFY(source.cancel());
    std::thread::id ranOn;
    std::thread::id workerId;
    bool ranBeforeReturn = false;
    std::thread worker([&, token = source.token()] {
        workerId = std::this_thread::get_id();
        bool ran = false;
        Registration registration = token.onCanceled([&] {
            ran = true;
            ranOn = std::this_thread::get_id();
        });
        ranBeforeReturn = ran;
    });
    worker.join();
    QVERIFY(ranBeforeReturn);
    QCOMPARE(ranOn, workerId);
}

void tst_Token::CallbackThrows()
{
    Source source;
    const Token token = source.token();
    std::vector<int> order;
    std::vector<Registration> registrations;
    registrations.push_back(token.onCanceled([&] { order.push_back(1); }));
    registrations.push_back(token.onCanceled([&] {
        order.push_back(2);
        throw std::runtime_error("boom");
    }));
    registrations.push_back(token.onCanceled([&] { order.push_back(3); }));
    registrations.push_back(token.onCanceled([&] {
        order.push_back(4);
        throw 42; // not a std::exception
    }));
    registrations.push_back(token.onCanceled([&] { order.push_back(5); }));
    int signals = 0;
    connect(&source, &Source::canceled, this, [&signals] { ++signals; });

    QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("callback threw .*runtime_error.*: boom")));
    QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("callback threw a non-standard exception")));
    QVERIFY(source.cancel());
    QCOMPARE(order, (std::vector<int> { 1, 2, 3, 4, 5 }));
    QCOMPARE(signals, 1);
    QVERIFY(source.isCanceled());
    QCOMPARE(token.registrationCount(), 0);
    for (Registration &registration : registrations)
        QVERIFY(!registration.unregister());
    QVERIFY(!source.cancel());
    QCOMPARE(order.size(), size_t(5));
}

void tst_Token::CallbackThrowsInline()
{
    Source source;
    QVERIFY(source.cancel());
    QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(QStringLiteral("callback threw .*logic_error.*: late")));
    bool ran = false;
    const Registration registration = source.token().onCanceled([&ran] {
        ran = true;
        throw std::logic_error("late");
    });
    QVERIFY(ran); // and onCanceled() returned normally
}

// The context overload takes what the plain one takes, move-only callables included.
void tst_Token::ContextCallbackMayBeMoveOnly()
{
    Source source;
    QObject context;
    int result = 0;
    auto value = std::make_unique<int>(42);
    const Registration registration = source.token().onCanceled(
            &context, [&result, value = std::move(value)](const Reason &) { result = *value; });
    auto plain = std::make_unique<int>(7);
    int plainResult = 0;
    const Registration plainRegistration = source.token().onCanceled(
            [&plainResult, plain = std::move(plain)] { plainResult = *plain; });
    QVERIFY(source.cancel());
    QCOMPARE(plainResult, 7);
    QCOMPARE(result, 0); // queued to the context's thread, this one
    QTRY_COMPARE(result, 42);
}

void tst_Token::ContextCallbackRunsOnContextThread()
{
    QThread thread;
    QObject context;
    context.moveToThread(&thread);
    // The thread stops in started(), before its event loop runs, until released.
    // Besides letting us check that the call is queued, the latches are the
    // synchronisation ThreadSanitizer can see: Debian's Qt is not built with
    // TSan, so Qt's own hand-off of a posted event between threads is invisible
    // to it and would be reported as a race on the posted functor.
    std::latch running(1);
    std::latch release(1);
    connect(
            &thread, &QThread::started, &thread,
            [&] {
                running.count_down();
                release.wait();
            },
            Qt::DirectConnection);
    thread.start();
    // Whatever happens, release the thread and stop it before context is destroyed.
    bool released = false;
    const auto stop = qScopeGuard([&] {
        if (!released)
            release.count_down();
        thread.quit();
        thread.wait();
    });
    running.wait();

    Source source;
    std::atomic<QThread *> ranOn = nullptr;
    std::atomic<int> calls = 0;
    Reason seen;
    Registration registration = source.token().onCanceled(&context, [&](const Reason &reason) {
        seen = reason; // published by the release store to ranOn below
        ++calls;
        ranOn.store(QThread::currentThread(), std::memory_order_release);
    });
    QVERIFY(registration.isPending());
    QVERIFY(source.cancelWithMessage(QStringLiteral("ctx")));
    QVERIFY(!registration.isPending());
    QCOMPARE(calls.load(), 0); // queued: the context's thread has not reached its event loop
    released = true;
    release.count_down();

    QTRY_VERIFY(ranOn.load(std::memory_order_acquire) != nullptr);
    QCOMPARE(ranOn.load(), &thread);
    QCOMPARE(calls.load(), 1);
    QCOMPARE(seen.message(), QStringLiteral("ctx"));
    QVERIFY(seen == source.reason());
}

void tst_Token::ReceiverDeletedBeforeQueuedDelivery_data()
{
    QTest::addColumn<bool>("cancelOnOtherThread");
    QTest::newRow("cancel on this thread") << false;
    QTest::newRow("cancel on another thread") << true;
}

void tst_Token::ReceiverDeletedBeforeQueuedDelivery()
{
    QFETCH(bool, cancelOnOtherThread);

    Source source;
    auto *context = new QObject;
    QPointer<QObject> guard(context);
    std::atomic<int> calls = 0;
    Registration registration = source.token().onCanceled(context, [&calls] { ++calls; });

    if (cancelOnOtherThread) {
        std::thread canceler([&source] { source.cancel(); });
        canceler.join();
    } else {
        QVERIFY(source.cancel());
    }
    // The call is queued to this thread, which has not returned to its event loop yet.
    QVERIFY(source.isCanceled());
    QVERIFY(!registration.isPending());
    QCOMPARE(calls.load(), 0);

    delete context;
    QVERIFY(guard.isNull());
    // Deliver everything that is pending: the dropped call must not run.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QCOMPARE(calls.load(), 0);

    // Control: with the context alive, the same path does deliver.
    Source control;
    QObject alive;
    Registration controlRegistration = control.token().onCanceled(&alive, [&calls] { ++calls; });
    QVERIFY(control.cancel());
    QCOMPARE(calls.load(), 0); // queued, not run inside cancel()
    QTRY_COMPARE(calls.load(), 1);
}

void tst_Token::WaitWakesOnCancel_data()
{
    QTest::addColumn<int>("waiters");
    QTest::addColumn<int>("boundMs");
    QTest::addColumn<bool>("forever");
    // One waiter: the futex wake itself takes microseconds; 50 ms leaves room for
    // the scheduler on a loaded 2-core CI machine.
    QTest::newRow("1 waiter") << 1 << 50 << false;
    // 64 waiters on 2 cores must all be scheduled after the single wake-up
    // call; under TSan each runs several times slower. The bound only guards
    // against a waiter missing the wake and sleeping out its 10 s timeout.
    QTest::newRow("64 waiters") << 64 << 2000 << false;
    // Without a timeout the wait blocks with no deadline at all; a missed wake
    // would hang until the QtTest watchdog kills the test.
    QTest::newRow("1 waiter, no timeout") << 1 << 50 << true;
    QTest::newRow("64 waiters, no timeout") << 64 << 2000 << true;
}

void tst_Token::WaitWakesOnCancel()
{
    QFETCH(int, waiters);
    QFETCH(int, boundMs);
    QFETCH(bool, forever);

    Source source;
    const Token token = source.token();
    // Live: a short wait times out and returns false.
    QVERIFY(!token.waitFor(5ms));
    std::latch started(waiters + 1);
    std::vector<std::thread> threads;
    std::vector<char> results(static_cast<size_t>(waiters), 0);
    std::vector<Clock::time_point> returnedAt(static_cast<size_t>(waiters));
    threads.reserve(size_t(waiters));
    for (int i = 0; i < waiters; ++i) {
        threads.emplace_back([&, i] {
            started.arrive_and_wait();
            const bool canceled =
                    forever ? token.waitFor(std::chrono::nanoseconds::max()) : token.waitFor(10s);
            results[size_t(i)] = canceled ? 1 : 0;
            returnedAt[size_t(i)] = Clock::now();
        });
    }
    started.arrive_and_wait();
    const auto canceledAt = Clock::now();
    QVERIFY(source.cancel());
    for (std::thread &thread : threads)
        thread.join();

    qint64 worst = 0;
    for (int i = 0; i < waiters; ++i) {
        QVERIFY2(results[size_t(i)], qPrintable(QStringLiteral("waiter %1 returned false").arg(i)));
        worst = std::max(worst, msecsBetween(canceledAt, returnedAt[size_t(i)]));
    }
    QVERIFY2(worst < boundMs,
             qPrintable(QStringLiteral("slowest waiter returned %1 ms after cancel()").arg(worst)));
}

void tst_Token::WaitTimesOutWhenLive()
{
    Source source;
    const Token token = source.token();

    auto start = Clock::now();
    QVERIFY(!token.waitFor(20ms));
    QVERIFY(Clock::now() - start >= 20ms); // never early

    start = Clock::now();
    QVERIFY(!token.waitUntil(start + 15ms));
    QVERIFY(Clock::now() - start >= 15ms);

    start = Clock::now();
    const QDeadlineTimer deadline(10ms, Qt::PreciseTimer);
    QVERIFY(!token.waitUntil(deadline));
    QVERIFY(deadline.hasExpired());

    QVERIFY(!token.waitFor(0ns));
    QVERIFY(!token.waitUntil(Clock::now() - 1s));
    QVERIFY(!token.isCanceled());
}

void tst_Token::WaitOnCanceledReturnsAtOnce()
{
    Source source;
    QVERIFY(source.cancel());
    const Token token = source.token();
    const auto start = Clock::now();
    QVERIFY(token.waitFor(10s));
    QVERIFY(token.waitFor(0ns));
    QVERIFY(token.waitUntil(Clock::now() + 10s));
    QVERIFY(token.waitUntil(QDeadlineTimer(QDeadlineTimer::Forever)));
    QVERIFY(token.waitFor(std::chrono::nanoseconds::max()));
    // Generous: these must not block at all; 5 s only catches a wait that did.
    QVERIFY(Clock::now() - start < 5s);
}

void tst_Token::WaitNoticesDeadlineArmedDuringWait_data()
{
    QTest::addColumn<Source::DeadlineCheck>("check");
    QTest::addColumn<bool>("onParent");
    QTest::newRow("timer") << Source::DeadlineCheck::Timer << false;
    // No timer fires: only the waiter itself can notice the deadline.
    QTest::newRow("poll only") << Source::DeadlineCheck::PollOnly << false;
    QTest::newRow("timer, on the parent") << Source::DeadlineCheck::Timer << true;
    QTest::newRow("poll only, on the parent") << Source::DeadlineCheck::PollOnly << true;
}

void tst_Token::WaitNoticesDeadlineArmedDuringWait()
{
    QFETCH(Source::DeadlineCheck, check);
    QFETCH(bool, onParent);

    Source parent;
    Source child(parent.token());
    Source &armed = onParent ? parent : child;
    const Token token = child.token();
    if (!TestPlatform::HasThreadState)
        QSKIP("Needs to see the waiter blocked in the kernel: thread states come from /proc "
              "(Linux)");
    std::atomic<qint64> waiterId { 0 };
    std::atomic<bool> canceled { false };
    std::atomic<qint64> returnedAtNs { 0 };
    std::thread waiter([&] {
        waiterId.store(TestPlatform::currentThreadId());
        canceled.store(token.waitFor(10s));
        returnedAtNs.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   Clock::now().time_since_epoch())
                                   .count());
    });
    const auto joinWaiter = qScopeGuard([&] { waiter.join(); });
    // Arm only once the waiter is blocked in the kernel with its 10 s timeout.
    QTRY_VERIFY(waiterId.load() != 0 && TestPlatform::threadState(waiterId.load()) == 'S');

    const auto armedAt = Clock::now();
    QVERIFY(armed.cancelAfter(50ms, check));
    QTRY_VERIFY_WITH_TIMEOUT(returnedAtNs.load() != 0, 5000);
    QVERIFY(canceled.load());
    const Clock::time_point returnedAt { std::chrono::nanoseconds(returnedAtNs.load()) };
    QVERIFY2(returnedAt - armedAt >= 50ms, "returned before the deadline");
    // Without the re-arm, the wait would sleep out its 10 s; 5 s is generous for CI.
    QVERIFY2(returnedAt - armedAt < 5s,
             qPrintable(QStringLiteral("returned %1 ms after arming")
                                .arg(msecsBetween(armedAt, returnedAt))));
    QCOMPARE(token.reason().root().kind(), Reason::Kind::Timeout);
}

void tst_Token::MovedFromTokenIsNull()
{
    // isCanceled() reads the state's word inline: a moved-from Token must not
    // keep pointing at it once the state may be gone.
    auto source = std::make_unique<Source>();
    Token token = source->token();
    Token moved = std::move(token);
    Token assigned;
    assigned = std::move(moved);
    source->cancel();
    source.reset();
    QVERIFY(assigned.isCanceled());
    QVERIFY(!token.canBeCanceled()); // NOLINT(bugprone-use-after-move): testing the moved-from state
    QVERIFY(!token.isCanceled());
    QVERIFY(!moved.isCanceled());
    assigned = Token();
    QVERIFY(!assigned.isCanceled());
}

QTEST_GUILESS_MAIN(tst_Token)
#include "tst_token.moc"
