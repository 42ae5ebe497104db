// SPDX-License-Identifier: MIT
#include <Cancellation/scopedcallback.h>
#include <Cancellation/source.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "gate.h"
#include "roundthreads.h"
#include "sanitizers.h"

using namespace Cancellation;
using namespace std::chrono_literals;

// Counts each thread's allocations, the library's included, where the
// executable's operator new replaces the one of every shared library (ELF and
// Mach-O; not a Windows DLL). The sanitizers bring their own.
#if !UNDER_SANITIZER
#  define COUNTS_ALLOCATIONS 1
static thread_local long allocationCount = 0;

void *operator new(std::size_t size)
{
    ++allocationCount;
    if (void *memory = std::malloc(size ? size : 1))
        return memory;
    throw std::bad_alloc();
}
void operator delete(void *memory) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}
#else
#  define COUNTS_ALLOCATIONS 0
static thread_local long allocationCount = 0; // never counted: the test skips
#endif

namespace {

// Neither copyable nor movable: a ScopedCallback constructs it in place.
struct Pinned
{
    explicit Pinned(int *calls) : m_calls(calls) { }
    Pinned(const Pinned &) = delete;
    Pinned &operator=(const Pinned &) = delete;
    void operator()(const Reason &reason) const
    {
        if (reason.kind() == Reason::Kind::UserRequest)
            ++*m_calls;
    }
    int *m_calls;
};

} // namespace

class tst_ScopedCallback : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void RunsOnceOnCancel();
    void DestructorUnregisters();
    void CanceledTokenRunsInConstructor();
    void PassedDeadlineRunsInConstructor();
    void NeverCanceledTokenRegistersNothing();
    void TakesOverAMovedToken();
    void CallableKinds();
    void ThrowingCallbackIsLogged();
    void ChildTokenRunsWhenParentCancels();
    void OutlivesItsSource();
    void DestroyedInsideItsOwnCallback();
    void DestroyedByAnotherCallback();
    void DestroyedInsideANestedCancellation();
    void DestructorWaitsForRunningCallback();
    void DestructorVsCancel();
    void RegistersWithoutAllocating();
};

void tst_ScopedCallback::RunsOnceOnCancel()
{
    Source source;
    const Token token = source.token();
    int calls = 0;
    Reason seen;
    std::thread::id ranOn;
    {
        ScopedCallback callback(token, [&](const Reason &reason) {
            ++calls;
            seen = reason;
            ranOn = std::this_thread::get_id();
        });
        QCOMPARE(calls, 0);
        QCOMPARE(token.registrationCount(), 1);
        std::thread([&source] { source.cancelWithMessage(QStringLiteral("stop")); }).join();
        QCOMPARE(calls, 1);
        QVERIFY(ranOn != std::this_thread::get_id()); // on the canceling thread
        QCOMPARE(seen.kind(), Reason::Kind::UserRequest);
        QCOMPARE(seen.message(), QStringLiteral("stop"));
        QCOMPARE(token.registrationCount(), 0);
        QVERIFY(!source.cancel());
    }
    QCOMPARE(calls, 1); // the destructor of a callback that ran does not run it again
}

void tst_ScopedCallback::DestructorUnregisters()
{
    Source source;
    int calls = 0;
    {
        ScopedCallback callback(source.token(), [&calls] { ++calls; });
        QCOMPARE(source.token().registrationCount(), 1);
    }
    QCOMPARE(source.token().registrationCount(), 0);
    QVERIFY(source.cancel());
    QCOMPARE(calls, 0);
}

void tst_ScopedCallback::CanceledTokenRunsInConstructor()
{
    Source source;
    source.cancel();
    int calls = 0;
    std::thread::id ranOn;
    ScopedCallback callback(source.token(), [&] {
        ++calls;
        ranOn = std::this_thread::get_id();
    });
    QCOMPARE(calls, 1); // before the constructor returned
    QVERIFY(ranOn == std::this_thread::get_id());
    QCOMPARE(source.token().registrationCount(), 0);
}

// A deadline that has passed is a cancellation, even if nobody noticed it yet.
void tst_ScopedCallback::PassedDeadlineRunsInConstructor()
{
    Source parent;
    parent.cancelAt(std::chrono::steady_clock::now() + 1ms, Source::DeadlineCheck::PollOnly);
    Source child(parent.token());
    const Token token = child.token();
    QTRY_VERIFY(parent.deadline().hasExpired());
    Reason seen;
    ScopedCallback callback(token, [&seen](const Reason &reason) { seen = reason; });
    QCOMPARE(seen.kind(), Reason::Kind::ParentCanceled);
    QCOMPARE(seen.root().kind(), Reason::Kind::Timeout);
}

void tst_ScopedCallback::NeverCanceledTokenRegistersNothing()
{
    int calls = 0;
    const Token never;
    {
        ScopedCallback callback(never, [&calls] { ++calls; });
        ScopedCallback moved(Token(), [&calls] { ++calls; });
        QCOMPARE(never.registrationCount(), 0);
    }
    QCOMPARE(calls, 0);
}

void tst_ScopedCallback::TakesOverAMovedToken()
{
    Source source;
    Token token = source.token();
    int calls = 0;
    ScopedCallback callback(std::move(token), [&calls] { ++calls; });
    QVERIFY(!token.canBeCanceled()); // NOLINT(bugprone-use-after-move): moved-from never cancels
    QVERIFY(!token.isCanceled()); // NOLINT(bugprone-use-after-move)
    QCOMPARE(source.token().registrationCount(), 1);
    QVERIFY(source.cancel());
    QCOMPARE(calls, 1);
}

void tst_ScopedCallback::CallableKinds()
{
    Source source;
    int pinnedCalls = 0;
    int moveOnlyCalls = 0;
    int functionCalls = 0;
    auto counter = std::make_unique<int>(0);
    {
        // Constructed in place from its argument: never copied nor moved.
        ScopedCallback<Pinned> pinned(source.token(), &pinnedCalls);
        ScopedCallback moveOnly(source.token(), [&moveOnlyCalls, owned = std::move(counter)] {
            ++*owned;
            moveOnlyCalls = *owned;
        });
        ScopedCallback<std::function<void()>> function(source.token(),
                                                       [&functionCalls] { ++functionCalls; });
        QCOMPARE(source.token().registrationCount(), 3);
        QVERIFY(source.cancel());
    }
    QCOMPARE(pinnedCalls, 1);
    QCOMPARE(moveOnlyCalls, 1);
    QCOMPARE(functionCalls, 1);
}

void tst_ScopedCallback::ThrowingCallbackIsLogged()
{
    Source source;
    int later = 0;
    ScopedCallback throwing(source.token(), [] { throw std::runtime_error("boom"); });
    ScopedCallback counting(source.token(), [&later] { ++later; });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("threw .*boom")));
    QVERIFY(source.cancel());
    QCOMPARE(later, 1);

    // Also when it runs in the constructor.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("threw .*again")));
    ScopedCallback atOnce(source.token(), [] { throw std::runtime_error("again"); });
}

void tst_ScopedCallback::ChildTokenRunsWhenParentCancels()
{
    Source parent;
    Source child(parent.token());
    Source grandchild(child.token());
    Reason seen;
    ScopedCallback callback(grandchild.token(), [&seen](const Reason &reason) { seen = reason; });
    QVERIFY(parent.cancel());
    QCOMPARE(seen.kind(), Reason::Kind::ParentCanceled);
    QCOMPARE(seen.root().kind(), Reason::Kind::UserRequest);
}

// The callback shares the token's state: it may outlive the Source, and a
// Source destroyed without canceling never runs it.
void tst_ScopedCallback::OutlivesItsSource()
{
    int calls = 0;
    auto source = std::make_unique<Source>();
    ScopedCallback callback(source->token(), [&calls] { ++calls; });
    source.reset();
    QCOMPARE(calls, 0);
}

// The canceling thread must not touch a ScopedCallback that its own callback
// destroyed (on the heap, so that AddressSanitizer sees any later use).
void tst_ScopedCallback::DestroyedInsideItsOwnCallback()
{
    Source source;
    int selfCalls = 0;
    int laterCalls = 0;
    std::unique_ptr<ScopedCallback<std::function<void()>>> self;
    self = std::make_unique<ScopedCallback<std::function<void()>>>(source.token(), [&] {
        ++selfCalls;
        self.reset(); // returns at once: waiting for itself would deadlock
    });
    ScopedCallback later(source.token(), [&laterCalls] { ++laterCalls; });
    QCOMPARE(source.token().registrationCount(), 2);
    QVERIFY(source.cancel());
    QCOMPARE(selfCalls, 1);
    QCOMPARE(laterCalls, 1);
    QVERIFY(!self);
    QCOMPARE(source.token().registrationCount(), 0);

    // A heap Registration unregistered from inside itself, after the scoped
    // one, still ends once: LeakSanitizer sees a node left behind.
    Source other;
    Registration registration;
    std::optional<ScopedCallback<std::function<void()>>> scoped;
    scoped.emplace(other.token(), [&scoped] { scoped.reset(); });
    registration = other.token().onCanceled([&registration] { registration.unregister(); });
    QVERIFY(other.cancel());
    QVERIFY(!scoped.has_value());
}

void tst_ScopedCallback::DestroyedByAnotherCallback()
{
    Source source;
    int victimCalls = 0;
    auto victim = std::make_unique<ScopedCallback<std::function<void()>>>(
            source.token(), [&victimCalls] { ++victimCalls; });
    // Registered after the victim: it has run when the killer destroys it.
    std::unique_ptr<ScopedCallback<std::function<void()>>> pending;
    ScopedCallback killer(source.token(), [&] {
        victim.reset();
        pending.reset();
    });
    int pendingCalls = 0;
    pending = std::make_unique<ScopedCallback<std::function<void()>>>(
            source.token(), [&pendingCalls] { ++pendingCalls; });
    QVERIFY(source.cancel());
    QCOMPARE(victimCalls, 1);
    QCOMPARE(pendingCalls, 0); // removed before its turn
    QCOMPARE(source.token().registrationCount(), 0);
}

// A's callback cancels B, and B's callback destroys A's ScopedCallback, which
// is still running further up the same thread's stack.
void tst_ScopedCallback::DestroyedInsideANestedCancellation()
{
    Source a;
    Source b;
    int aCalls = 0;
    int bCalls = 0;
    int afterCalls = 0;
    std::unique_ptr<ScopedCallback<std::function<void()>>> outer;
    outer = std::make_unique<ScopedCallback<std::function<void()>>>(a.token(), [&] {
        ++aCalls;
        b.cancel();
    });
    ScopedCallback inner(b.token(), [&] {
        ++bCalls;
        outer.reset(); // running on this thread: returns at once
    });
    ScopedCallback after(a.token(), [&afterCalls] { ++afterCalls; });
    QVERIFY(a.cancel());
    QCOMPARE(aCalls, 1);
    QCOMPARE(bCalls, 1);
    QCOMPARE(afterCalls, 1);
    QVERIFY(!outer);
}

void tst_ScopedCallback::DestructorWaitsForRunningCallback()
{
    Source source;
    Gate gate;
    std::atomic<bool> finished = false;
    auto callback = std::make_unique<ScopedCallback<std::function<void()>>>(source.token(), [&] {
        gate.enterAndWait();
        finished.store(true);
    });
    std::thread canceler([&source] { source.cancel(); });
    const auto join = qScopeGuard([&] {
        gate.open();
        canceler.join();
    });
    QVERIFY(gate.waitEntered(10s));

    std::promise<bool> destroyed; // set to whether the callback had finished
    std::future<bool> finishedAtReturn = destroyed.get_future();
    std::thread destroyer([&] {
        callback.reset();
        destroyed.set_value(finished.load());
    });
    const auto joinDestroyer = qScopeGuard([&] {
        gate.open();
        destroyer.join();
    });
    // A bounded condition wait: the destructor must still be blocked.
    QVERIFY2(finishedAtReturn.wait_for(100ms) == std::future_status::timeout,
             "the destructor returned while its callback was running");
    gate.open();
    QVERIFY(finishedAtReturn.wait_for(10s) == std::future_status::ready);
    QVERIFY(finishedAtReturn.get());
}

// The destructor races a cancel on another thread: the callback runs exactly
// once or never, and never after the destructor returned (AddressSanitizer
// sees a run on freed memory).
void tst_ScopedCallback::DestructorVsCancel()
{
    constexpr int rounds = 10'000;
    std::unique_ptr<Source> source;
    std::unique_ptr<ScopedCallback<std::function<void()>>> callback;
    std::atomic<int> ran = 0;
    std::atomic<int> ranAfterDestructor = 0;
    std::atomic<bool> destructorReturned = false;
    RoundThreads racers(2, [&](int index) {
        if (index == 0) {
            source->cancel();
        } else {
            callback.reset();
            destructorReturned.store(true);
        }
    });
    int ranRounds = 0;
    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        ran.store(0);
        destructorReturned.store(false);
        callback = std::make_unique<ScopedCallback<std::function<void()>>>(source->token(), [&] {
            if (destructorReturned.load())
                ++ranAfterDestructor;
            ++ran;
        });
        racers.run();
        QVERIFY(ran.load() <= 1);
        ranRounds += ran.load();
        QCOMPARE(source->token().registrationCount(), 0);
    }
    QCOMPARE(ranAfterDestructor.load(), 0);
    qInfo("the callback ran in %d of %d rounds, and was removed first in the others", ranRounds,
          rounds);
}

void tst_ScopedCallback::RegistersWithoutAllocating()
{
    if (!COUNTS_ALLOCATIONS)
        QSKIP("The sanitizers replace operator new: allocations are not counted");
    Source source;
    Token token = source.token();
    int calls = 0;
    const long before = allocationCount;
    for (int i = 0; i < 1000; ++i) {
        ScopedCallback callback(token, [&calls] { ++calls; });
        ScopedCallback taken(Token(token), [&calls] { ++calls; });
    }
    QCOMPARE(allocationCount - before, 0);
    QVERIFY(source.cancel());
    QCOMPARE(calls, 0);
    // The same loop with Token::onCanceled() allocates, here where the count works.
    Source other;
    const long onCanceledBefore = allocationCount;
    {
        const Registration registration = other.token().onCanceled([&calls] { ++calls; });
    }
    QCOMPARE(allocationCount - onCanceledBefore, 1);
}

QTEST_GUILESS_MAIN(tst_ScopedCallback)
#include "tst_scopedcallback.moc"
