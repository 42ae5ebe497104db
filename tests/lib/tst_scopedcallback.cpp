// SPDX-License-Identifier: MIT
#include <Cancellation/scopedcallback.h>
#include <Cancellation/source.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "allocationcount.h"
#include "gate.h"
#include "roundthreads.h"
#include "sanitizers.h"

using namespace Cancellation;
using namespace std::chrono_literals;

namespace {

// The list points into a ScopedCallback: it can be neither copied nor moved.
using CountingScoped = ScopedCallback<std::function<void()>>;
static_assert(
        !std::is_copy_constructible_v<
                CountingScoped> && !std::is_move_constructible_v<CountingScoped> && !std::is_copy_assignable_v<CountingScoped> && !std::is_move_assignable_v<CountingScoped>);

int freeFunctionCalls = 0;
void freeFunction()
{
    ++freeFunctionCalls;
}

// Destroys its own ScopedCallback, then touches nothing of itself: a plain
// struct, so that nothing but the library can touch the object afterwards.
struct DestroySelf
{
    std::unique_ptr<ScopedCallback<DestroySelf>> *self;
    int *calls;
    void operator()() const
    {
        int *const counter = calls;
        self->reset(); // this object is gone from here on
        ++*counter;
    }
};

// Counts its calls, and its destructions while a call is running: a heap
// node unregistered from inside its callback must outlive that call.
struct Tracked
{
    Registration *registration;
    int *calls;
    int *destroyed;
    bool *inCall;
    Tracked(Registration *r, int *c, int *d, bool *i)
        : registration(r), calls(c), destroyed(d), inCall(i)
    {
    }
    Tracked(Tracked &&other) noexcept
        : registration(other.registration),
          calls(other.calls),
          destroyed(std::exchange(other.destroyed, nullptr)),
          inCall(other.inCall)
    {
    }
    ~Tracked()
    {
        if (destroyed)
            *destroyed += *inCall ? 1000 : 1; // 1000: destroyed during its own call
    }
    void operator()() const
    {
        *inCall = true;
        ++*calls;
        registration->unregister(); // returns at once: it is running
        *inCall = false;
    }
};

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
    void SelfDestroyLeavesItsMemoryAlone();
    void SelfUnregisterThenSiblings();
    void RegisterInsideCallback();
    void DestroyedByAnotherCallback();
    void DestroyedInsideANestedCancellation();
    void DestructorWaitsForRunningCallback();
    void DestructorVsCancel();
    void RegisterDuringCancel();
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
    int lvalueCalls = 0;
    freeFunctionCalls = 0;
    auto counter = std::make_unique<int>(0);
    auto lvalue = [&lvalueCalls] { ++lvalueCalls; };
    {
        // Constructed in place from its argument: never copied nor moved.
        ScopedCallback<Pinned> pinned(source.token(), &pinnedCalls);
        ScopedCallback moveOnly(source.token(), [&moveOnlyCalls, owned = std::move(counter)] {
            ++*owned;
            moveOnlyCalls = *owned;
        });
        ScopedCallback<std::function<void()>> function(source.token(),
                                                       [&functionCalls] { ++functionCalls; });
        // The deduction guide: a function decays to a pointer, an lvalue is copied.
        ScopedCallback pointer(source.token(), freeFunction);
        static_assert(std::is_same_v<decltype(pointer), ScopedCallback<void (*)()>>);
        ScopedCallback copied(source.token(), lvalue);
        static_assert(std::is_same_v<decltype(copied), ScopedCallback<decltype(lvalue)>>);
        // A const one still runs a callable that changes itself.
        const ScopedCallback mutableLambda(
                source.token(), [&functionCalls, n = 0]() mutable { functionCalls += ++n; });
        QCOMPARE(source.token().registrationCount(), 6);
        QVERIFY(source.cancel());
    }
    QCOMPARE(pinnedCalls, 1);
    QCOMPARE(moveOnlyCalls, 1);
    QCOMPARE(functionCalls, 2);
    QCOMPARE(freeFunctionCalls, 1);
    QCOMPARE(lvalueCalls, 1);
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
    std::unique_ptr<ScopedCallback<DestroySelf>> self;
    self = std::make_unique<ScopedCallback<DestroySelf>>(source.token(),
                                                         DestroySelf { &self, &selfCalls });
    ScopedCallback later(source.token(), [&laterCalls] { ++laterCalls; });
    QCOMPARE(source.token().registrationCount(), 2);
    QVERIFY(source.cancel());
    QCOMPARE(selfCalls, 1);
    QCOMPARE(laterCalls, 1);
    QVERIFY(!self);
    QCOMPARE(source.token().registrationCount(), 0);
}

namespace {
// Ends its ScopedCallback, which lives in buffer, then fills the buffer.
struct EndInPlace
{
    std::byte *buffer;
    std::size_t size;
    void operator()() const
    {
        std::byte *const where = buffer;
        const std::size_t bytes = size;
        std::launder(reinterpret_cast<ScopedCallback<EndInPlace> *>(where))->~ScopedCallback();
        std::memset(where, 0xa5, bytes); // this object is gone from here on
    }
};
} // namespace

// Without a sanitizer too: once a callback has ended its own ScopedCallback,
// the canceling thread writes nothing where it was.
void tst_ScopedCallback::SelfDestroyLeavesItsMemoryAlone()
{
    Source source;
    int laterCalls = 0;
    alignas(ScopedCallback<EndInPlace>) std::byte buffer[sizeof(ScopedCallback<EndInPlace>)];
    ::new (buffer) ScopedCallback<EndInPlace>(source.token(), EndInPlace { buffer, sizeof buffer });
    ScopedCallback later(source.token(), [&laterCalls] { ++laterCalls; });
    QVERIFY(source.cancel());
    QCOMPARE(laterCalls, 1);
    QVERIFY(std::all_of(std::begin(buffer), std::end(buffer),
                        [](std::byte b) { return b == std::byte { 0xa5 }; }));
    QCOMPARE(source.token().registrationCount(), 0);
}

namespace {
struct DestroyThenThrow
{
    std::unique_ptr<ScopedCallback<DestroyThenThrow>> *self;
    void operator()() const
    {
        self->reset();
        throw std::runtime_error("thrown after destroying itself");
    }
};
} // namespace

// A heap callback that unregisters itself, a scoped one that destroys itself
// and throws, and a sibling after them: each ends once, and the sibling, run
// normally, is then destroyed on another thread without waiting.
void tst_ScopedCallback::SelfUnregisterThenSiblings()
{
    Source source;
    int trackedCalls = 0;
    int trackedDestroyed = 0;
    bool inCall = false;
    Registration registration;
    registration = source.token().onCanceled(
            Tracked(&registration, &trackedCalls, &trackedDestroyed, &inCall));
    std::unique_ptr<ScopedCallback<DestroyThenThrow>> thrower;
    thrower = std::make_unique<ScopedCallback<DestroyThenThrow>>(source.token(),
                                                                 DestroyThenThrow { &thrower });
    int siblingCalls = 0;
    auto sibling =
            std::make_unique<CountingScoped>(source.token(), [&siblingCalls] { ++siblingCalls; });

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("threw .*after destroying itself")));
    QVERIFY(source.cancel());
    QCOMPARE(trackedCalls, 1);
    QCOMPARE(trackedDestroyed, 1); // once, and not during its own call
    QVERIFY(!thrower);
    QCOMPARE(siblingCalls, 1);
    std::future<void> destroyed = std::async(std::launch::async, [&sibling] { sibling.reset(); });
    QVERIFY2(destroyed.wait_for(10s) == std::future_status::ready,
             "the destructor of a callback that has run waited");
    QCOMPARE(source.token().registrationCount(), 0);
}

// Callbacks run with no lock held: one registered from inside another, on
// the same canceled token, runs at once on this thread.
void tst_ScopedCallback::RegisterInsideCallback()
{
    Source source;
    int innerCalls = 0;
    bool ranInline = false;
    ScopedCallback outer(source.token(), [&] {
        ScopedCallback inner(source.token(), [&innerCalls] { ++innerCalls; });
        ranInline = innerCalls == 1;
    });
    QVERIFY(source.cancel());
    QVERIFY(ranInline);
    QCOMPARE(innerCalls, 1);
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
    auto cancelB = [&] {
        ++aCalls;
        b.cancel(); // destroys this callback's ScopedCallback; nothing touched after
    };
    std::unique_ptr<ScopedCallback<decltype(cancelB)>> outer;
    outer = std::make_unique<ScopedCallback<decltype(cancelB)>>(a.token(), cancelB);
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
    std::unique_ptr<Source> child; // every other round the callback is on a child
    std::unique_ptr<CountingScoped> callback;
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
        child = std::make_unique<Source>(source->token());
        const Token token = round % 2 == 0 ? source->token() : child->token();
        ran.store(0);
        destructorReturned.store(false);
        callback = std::make_unique<CountingScoped>(token, [&] {
            if (destructorReturned.load())
                ++ranAfterDestructor;
            ++ran;
        });
        racers.run();
        QVERIFY(ran.load() <= 1);
        ranRounds += ran.load();
        QCOMPARE(token.registrationCount(), 0);
    }
    QCOMPARE(ranAfterDestructor.load(), 0);
    // Both outcomes happen: the race is real, whichever side wins more often.
    QVERIFY2(ranRounds > 0 && ranRounds < rounds, qPrintable(QString::number(ranRounds)));
    qInfo("the callback ran in %d of %d rounds, and was removed first in the others", ranRounds,
          rounds);
}

// Threads register while another cancels: every callback runs exactly once,
// on the canceling thread or inline on its own.
void tst_ScopedCallback::RegisterDuringCancel()
{
    constexpr int rounds = 200;
    constexpr int registrars = 3;
    constexpr int perThread = 100;
    constexpr int total = registrars * perThread;
    std::unique_ptr<Source> source;
    Token token;
    std::vector<std::atomic<int>> calls(total);
    std::vector<std::thread::id> ranOn(total); // each written once, by the thread that ran it
    std::vector<std::unique_ptr<CountingScoped>> callbacks(total);
    std::thread::id cancelerId;
    std::vector<std::thread::id> registrarIds(registrars);
    RoundThreads threads(registrars + 1, [&](int index) {
        if (index == 0) {
            cancelerId = std::this_thread::get_id();
            source->cancel();
            return;
        }
        const int r = index - 1;
        registrarIds[size_t(r)] = std::this_thread::get_id();
        for (int k = 0; k < perThread; ++k) {
            const auto id = size_t(r * perThread + k);
            callbacks[id] = std::make_unique<CountingScoped>(token, [&calls, &ranOn, id] {
                ++calls[id];
                ranOn[id] = std::this_thread::get_id();
            });
        }
    });
    int lost = 0;
    int duplicated = 0;
    int ranElsewhere = 0;
    int ranInline = 0;
    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        token = source->token();
        for (std::atomic<int> &count : calls)
            count.store(0);
        threads.run();
        for (int id = 0; id < total; ++id) {
            const int count = calls[size_t(id)].load();
            lost += count == 0;
            duplicated += count > 1;
            const std::thread::id registrar = registrarIds[size_t(id / perThread)];
            ranInline += ranOn[size_t(id)] == registrar;
            ranElsewhere += ranOn[size_t(id)] != registrar && ranOn[size_t(id)] != cancelerId;
        }
        for (std::unique_ptr<CountingScoped> &callback : callbacks)
            callback.reset();
        QCOMPARE(token.registrationCount(), 0);
    }
    QCOMPARE(lost, 0);
    QCOMPARE(duplicated, 0);
    QCOMPARE(ranElsewhere, 0);
    qInfo("%d of %d callbacks ran inline, the rest on the canceling thread", ranInline,
          rounds * total);
}

void tst_ScopedCallback::RegistersWithoutAllocating()
{
    if (!COUNTS_ALLOCATIONS)
        QSKIP("The sanitizers replace operator new: allocations are not counted");
    Source source;
    Token token = source.token();
    int calls = 0;
    const long scoped = allocationsDuring([&] {
        for (int i = 0; i < 1000; ++i) {
            ScopedCallback callback(token, [&calls] { ++calls; });
            ScopedCallback taken(Token(token), [&calls] { ++calls; });
        }
    });
    QCOMPARE(scoped, 0);
    QVERIFY(source.cancel());
    QCOMPARE(calls, 0);
    // Token::onCanceled() allocates its first node: the count works here.
    Source other;
    const long onCanceled = allocationsDuring(
            [&] { const Registration registration = other.token().onCanceled([] {}); });
    QCOMPARE(onCanceled, 1);
}

QTEST_GUILESS_MAIN(tst_ScopedCallback)
#include "tst_scopedcallback.moc"
