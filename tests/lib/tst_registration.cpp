// SPDX-License-Identifier: MIT
#include <Cancellation/registration.h>
#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

#include <array>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <cstdlib>
#include <mutex>
#include <new>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "allocationcount.h"
#include "sanitizers.h"

using namespace Cancellation;
using namespace std::chrono_literals;

namespace {

// A callback of Size bytes and alignment Align that checks its own bytes and
// address when it runs, and counts how often it ran and was destroyed: in
// whichever memory it lives, kept or fresh, it must be intact and end exactly
// once. Each instance has its own pattern, so that two in one place differ.
template<std::size_t Size, std::size_t Align = alignof(int *)>
struct alignas(Align) SizedCallback
{
    static constexpr std::size_t PayloadSize = Size - 2 * sizeof(int *);
    static_assert(Size > 2 * sizeof(int *) && Size % Align == 0);

    SizedCallback(int *ran, int *destroyed, unsigned char serial)
        : m_ran(ran), m_destroyed(destroyed)
    {
        m_payload[0] = serial;
        for (std::size_t i = 1; i < PayloadSize; ++i)
            m_payload[i] = byteAt(i, serial);
    }
    SizedCallback(SizedCallback &&other) noexcept
        : m_payload(other.m_payload),
          m_ran(std::exchange(other.m_ran, nullptr)),
          m_destroyed(std::exchange(other.m_destroyed, nullptr))
    {
    }
    ~SizedCallback()
    {
        if (m_destroyed)
            ++*m_destroyed;
    }
    void operator()() const
    {
        if (reinterpret_cast<std::uintptr_t>(this) % Align != 0)
            return; // not counted: the test fails on the count
        for (std::size_t i = 1; i < PayloadSize; ++i) {
            if (m_payload[i] != byteAt(i, m_payload[0]))
                return;
        }
        ++*m_ran;
    }
    static unsigned char byteAt(std::size_t i, unsigned char serial)
    {
        return static_cast<unsigned char>(i * 7 + Size + serial * 13);
    }

    std::array<unsigned char, PayloadSize> m_payload;
    int *m_ran;
    int *m_destroyed;
};

// A one-shot event with a timed wait, so that a broken guarantee fails the
// test instead of hanging it.
class Flag
{
public:
    void set()
    {
        {
            std::lock_guard lock(m_mutex);
            m_set = true;
        }
        m_condition.notify_all();
    }
    bool waitFor(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(m_mutex);
        return m_condition.wait_for(lock, timeout, [this] { return m_set; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_condition;
    bool m_set = false;
};

} // namespace

class tst_Registration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void UnregisterTrueOnce();
    void EmptyAndMovedFrom();
    void DestructorUnregisters();
    void MoveAssignUnregistersPrevious();
    void Reentrancy_data();
    void Reentrancy();
    void UnregisterVsCancel();
    void UnregisterWaitsForInFlight();
    void RegisterDuringCancel();
    void RegistrationChurnNoLeak();
    void CallbackStorage();
    void CallbacksOfEverySizeInTurn();
    void RegistrationsInTurnAllocateOnce();
    void ThrowingMoveLeavesNothing();
};

void tst_Registration::UnregisterTrueOnce()
{
    Source source;
    const Token token = source.token();
    int calls = 0;
    Registration registration = token.onCanceled([&calls] { ++calls; });
    QVERIFY(registration.isPending());
    QCOMPARE(token.registrationCount(), 1);

    QVERIFY(registration.unregister());
    QVERIFY(!registration.isPending());
    QCOMPARE(token.registrationCount(), 0);
    QVERIFY(!registration.unregister()); // true at most once
    QVERIFY(!registration.unregister());

    QVERIFY(source.cancel());
    QCOMPARE(calls, 0); // removed before it ran: never runs
    QVERIFY(!registration.unregister());

    // Once the callback has run, unregister() returns false.
    Source other;
    Registration ran = other.token().onCanceled([&calls] { ++calls; });
    QVERIFY(other.cancel());
    QCOMPARE(calls, 1);
    QVERIFY(!ran.isPending());
    QVERIFY(!ran.unregister());
}

void tst_Registration::EmptyAndMovedFrom()
{
    Registration empty;
    QVERIFY(!empty.isPending());
    QVERIFY(!empty.unregister());

    Source source;
    int calls = 0;
    Registration first = source.token().onCanceled([&calls] { ++calls; });
    Registration second(std::move(first));
    QVERIFY(!first.isPending()); // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    QVERIFY(!first.unregister()); // NOLINT(bugprone-use-after-move)
    QVERIFY(second.isPending());
    QCOMPARE(source.token().registrationCount(), 1);

    Registration third;
    third = std::move(second);
    QVERIFY(third.isPending());
    QVERIFY(!second.unregister()); // NOLINT(bugprone-use-after-move)
    QVERIFY(third.unregister());
    QVERIFY(source.cancel());
    QCOMPARE(calls, 0);
}

void tst_Registration::DestructorUnregisters()
{
    Source source;
    int calls = 0;
    {
        const Registration registration = source.token().onCanceled([&calls] { ++calls; });
        QCOMPARE(source.token().registrationCount(), 1);
    }
    QCOMPARE(source.token().registrationCount(), 0);
    QVERIFY(source.cancel());
    QCOMPARE(calls, 0);
}

void tst_Registration::MoveAssignUnregistersPrevious()
{
    Source source;
    int oldCalls = 0;
    int newCalls = 0;
    Registration registration = source.token().onCanceled([&oldCalls] { ++oldCalls; });
    registration = source.token().onCanceled([&newCalls] { ++newCalls; });
    QCOMPARE(source.token().registrationCount(), 1);
    // Self-move-assignment keeps the registration.
    Registration &alias = registration;
    registration = std::move(alias);
    QVERIFY(registration.isPending());
    QVERIFY(source.cancel());
    QCOMPARE(oldCalls, 0);
    QCOMPARE(newCalls, 1);
}

namespace {
enum class Reentry {
    CancelSelf,
    CancelOther,
    CancelParentFromChild,
    UnregisterSelf,
    UnregisterSelfInChild,
    UnregisterPendingSibling,
    UnregisterFinishedSibling,
    RegisterInside,
};
}

void tst_Registration::Reentrancy_data()
{
    QTest::addColumn<int>("scenario");
    QTest::newRow("cancel the same token") << int(Reentry::CancelSelf);
    QTest::newRow("cancel another token") << int(Reentry::CancelOther);
    QTest::newRow("cancel the parent from a child") << int(Reentry::CancelParentFromChild);
    QTest::newRow("unregister itself") << int(Reentry::UnregisterSelf);
    QTest::newRow("unregister itself, child token") << int(Reentry::UnregisterSelfInChild);
    QTest::newRow("unregister a pending sibling") << int(Reentry::UnregisterPendingSibling);
    QTest::newRow("unregister a finished sibling") << int(Reentry::UnregisterFinishedSibling);
    QTest::newRow("register on the same token") << int(Reentry::RegisterInside);
}

// Every scenario runs on one thread: a deadlock would hang here, and a wrong
// outcome fails the comparisons below.
void tst_Registration::Reentrancy()
{
    QFETCH(int, scenario);
    const auto kind = Reentry(scenario);

    Source parent;
    Source child(parent.token());
    Source other;
    const bool onChild =
            kind == Reentry::UnregisterSelfInChild || kind == Reentry::CancelParentFromChild;
    Source &source = onChild ? child : parent;
    Source siblingSource(parent.token());
    const Token token = source.token();

    int selfCalls = 0;
    int siblingCalls = 0;
    int innerCalls = 0;
    std::optional<bool> innerResult;
    bool innerRanInline = false;
    Registration self;
    Registration sibling;
    Registration inner;

    if (kind == Reentry::UnregisterFinishedSibling)
        sibling = token.onCanceled([&siblingCalls] { ++siblingCalls; });

    self = token.onCanceled([&] {
        ++selfCalls;
        switch (kind) {
        case Reentry::CancelSelf:
            innerResult = source.cancel();
            break;
        case Reentry::CancelOther:
            innerResult = other.cancel();
            break;
        case Reentry::CancelParentFromChild:
            // The parent's cascade reaches this child again (already canceled) and the sibling.
            innerResult = parent.cancel();
            break;
        case Reentry::UnregisterSelf:
        case Reentry::UnregisterSelfInChild:
            innerResult = self.unregister();
            break;
        case Reentry::UnregisterPendingSibling:
        case Reentry::UnregisterFinishedSibling:
            innerResult = sibling.unregister();
            break;
        case Reentry::RegisterInside:
            inner = token.onCanceled([&innerCalls] { ++innerCalls; });
            innerRanInline = innerCalls == 1;
            innerResult = inner.unregister();
            break;
        }
    });

    if (kind == Reentry::UnregisterPendingSibling)
        sibling = token.onCanceled([&siblingCalls] { ++siblingCalls; });

    if (kind == Reentry::CancelParentFromChild)
        QVERIFY(child.cancel());
    else
        QVERIFY(parent.cancel());
    QCOMPARE(selfCalls, 1);
    QVERIFY(innerResult.has_value());
    QVERIFY(source.isCanceled());
    QCOMPARE(token.registrationCount(), 0);

    switch (kind) {
    case Reentry::CancelSelf:
        QCOMPARE(*innerResult, false); // already canceled: the first cancel won
        QCOMPARE(source.reason().kind(), Reason::Kind::UserRequest);
        break;
    case Reentry::CancelOther:
        QCOMPARE(*innerResult, true);
        QVERIFY(other.isCanceled());
        break;
    case Reentry::CancelParentFromChild:
        QCOMPARE(*innerResult, true);
        QCOMPARE(child.reason().kind(), Reason::Kind::UserRequest); // the first reason stays
        QCOMPARE(siblingSource.reason().kind(), Reason::Kind::ParentCanceled);
        QVERIFY(siblingSource.reason().parent() == parent.reason());
        break;
    case Reentry::UnregisterSelf:
    case Reentry::UnregisterSelfInChild:
        QCOMPARE(*innerResult, false); // it is running: returns at once, never waits on itself
        QVERIFY(!self.unregister());
        break;
    case Reentry::UnregisterPendingSibling:
        QCOMPARE(*innerResult, true); // removed before it ran
        QCOMPARE(siblingCalls, 0);
        break;
    case Reentry::UnregisterFinishedSibling:
        QCOMPARE(*innerResult, false);
        QCOMPARE(siblingCalls, 1);
        break;
    case Reentry::RegisterInside:
        QVERIFY(innerRanInline); // the token is canceled: it runs at once
        QCOMPARE(innerCalls, 1);
        QCOMPARE(*innerResult, false);
        break;
    }
    QVERIFY(!source.cancel());
    QCOMPARE(selfCalls, 1);
}

void tst_Registration::UnregisterVsCancel()
{
    // Persistent threads and a barrier: each round starts the two racers together.
    constexpr int rounds = 10'000;
    std::barrier sync(3);
    std::unique_ptr<Source> source;
    Registration registration;
    std::atomic<int> ran = 0;
    bool removed = false; // written by the unregisterer, read after the barrier
    std::atomic<int> returnedBeforeCallbackFinished = 0;
    std::atomic<bool> stop = false;

    std::thread canceler([&] {
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            source->cancel();
            sync.arrive_and_wait();
        }
    });
    std::thread unregisterer([&] {
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            removed = registration.unregister();
            // false means "ran": it must have finished by the time unregister() returns.
            if (!removed && ran.load() != 1)
                ++returnedBeforeCallbackFinished;
            sync.arrive_and_wait();
        }
    });
    const auto join = qScopeGuard([&] {
        stop.store(true);
        sync.arrive_and_wait();
        canceler.join();
        unregisterer.join();
    });

    int both = 0;
    int neither = 0;
    int unregisterWon = 0;
    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        ran.store(0);
        registration = source->token().onCanceled([&ran] { ++ran; });
        sync.arrive_and_wait(); // go
        sync.arrive_and_wait(); // both done
        const bool callbackRan = ran.load() == 1;
        both += callbackRan && removed;
        neither += !callbackRan && !removed;
        unregisterWon += removed;
        QVERIFY(ran.load() <= 1);
    }
    QCOMPARE(both, 0);
    QCOMPARE(neither, 0);
    QCOMPARE(returnedBeforeCallbackFinished.load(), 0);
    qInfo("unregister() won %d of %d rounds", unregisterWon, rounds);
}

void tst_Registration::UnregisterWaitsForInFlight()
{
    Source source;
    const Token token = source.token();
    Flag aStarted, releaseA, bStarted, releaseB;
    std::atomic<bool> aFinished = false;
    std::atomic<int> cCalls = 0;
    int zeroCalls = 0;

    Registration zero = token.onCanceled([&zeroCalls] { ++zeroCalls; });
    Registration a = token.onCanceled([&] {
        aStarted.set();
        releaseA.waitFor(30s);
        aFinished.store(true);
    });
    Registration b = token.onCanceled([&] {
        bStarted.set();
        releaseB.waitFor(30s);
    });
    Registration c = token.onCanceled([&cCalls] { ++cCalls; });

    Flag cDone, entered, returned, zeroDone;
    std::atomic<bool> cResult = false;
    std::atomic<bool> aResult = true;
    std::atomic<bool> aFinishedAtReturn = false;
    std::atomic<bool> zeroResult = true;
    std::vector<std::thread> threads;
    // Declared last, so it runs first: whatever fails, no thread or callback stays blocked.
    const auto cleanup = qScopeGuard([&] {
        releaseA.set();
        releaseB.set();
        for (std::thread &thread : threads)
            thread.join();
    });

    threads.emplace_back([&source] { source.cancel(); });
    QVERIFY(aStarted.waitFor(10s));

    // 1. c is pending behind the blocked a: removing it does not wait for a.
    threads.emplace_back([&] {
        cResult = c.unregister();
        cDone.set();
    });
    QVERIFY2(cDone.waitFor(10s), "unregister() of a pending callback waited for another callback");
    QVERIFY(cResult.load());

    // 2. Unregistering a, which is running, from another thread blocks until a returns.
    threads.emplace_back([&] {
        entered.set();
        aResult = a.unregister();
        aFinishedAtReturn = aFinished.load();
        returned.set();
    });
    QVERIFY(entered.waitFor(10s));
    // A bounded condition wait, not a sleep: unregister() must still be blocked.
    QVERIFY2(!returned.waitFor(100ms),
             "unregister() returned while its callback was still running");
    QVERIFY(!aFinished.load());
    releaseA.set();
    QVERIFY(returned.waitFor(10s));
    QVERIFY(!aResult.load()); // it ran
    QVERIFY(aFinishedAtReturn.load()); // and had finished when unregister() returned

    // 3. Now b runs and blocks. zero has finished: removing it does not wait for b.
    QVERIFY(bStarted.waitFor(10s));
    threads.emplace_back([&] {
        zeroResult = zero.unregister();
        zeroDone.set();
    });
    QVERIFY2(zeroDone.waitFor(10s),
             "unregister() of a finished callback waited for another callback");
    QVERIFY(!zeroResult.load());
    releaseB.set();
    QCOMPARE(zeroCalls, 1);
    QCOMPARE(cCalls.load(), 0);
}

void tst_Registration::RegisterDuringCancel()
{
    constexpr int rounds = 200;
    constexpr int registrars = 3;
    constexpr int perThread = 100;
    constexpr int total = registrars * perThread;

    std::barrier sync(registrars + 2); // registrars, canceler, this thread
    std::unique_ptr<Source> source;
    Token token;
    std::vector<std::atomic<int>> calls(total);
    std::vector<Registration> registrations(total);
    std::atomic<int> ranInline = 0;
    std::atomic<int> ranElsewhere = 0; // neither inline nor on the canceler: a bug
    std::atomic<bool> stop = false;
    std::thread::id cancelerId;

    std::vector<std::thread> threads;
    threads.emplace_back([&] {
        cancelerId = std::this_thread::get_id(); // published by the first barrier
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            source->cancel();
            sync.arrive_and_wait();
        }
    });
    for (int r = 0; r < registrars; ++r) {
        threads.emplace_back([&, r] {
            const std::thread::id self = std::this_thread::get_id();
            for (;;) {
                sync.arrive_and_wait();
                if (stop.load())
                    return;
                for (int k = 0; k < perThread; ++k) {
                    const int id = r * perThread + k;
                    registrations[size_t(id)] = token.onCanceled([&, id, self] {
                        ++calls[size_t(id)];
                        if (std::this_thread::get_id() == self)
                            ++ranInline;
                        else if (std::this_thread::get_id() != cancelerId)
                            ++ranElsewhere;
                    });
                }
                sync.arrive_and_wait();
            }
        });
    }
    const auto join = qScopeGuard([&] {
        stop.store(true);
        sync.arrive_and_wait();
        for (std::thread &thread : threads)
            thread.join();
    });

    int lost = 0;
    int duplicated = 0;
    int removable = 0;
    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        token = source->token();
        for (std::atomic<int> &count : calls)
            count.store(0);
        sync.arrive_and_wait(); // go
        sync.arrive_and_wait(); // all done
        for (int id = 0; id < total; ++id) {
            const int count = calls[size_t(id)].load();
            lost += count == 0;
            duplicated += count > 1;
            removable += registrations[size_t(id)].unregister(); // all ran: must be false
        }
        QCOMPARE(token.registrationCount(), 0);
    }
    QCOMPARE(lost, 0);
    QCOMPARE(duplicated, 0);
    QCOMPARE(removable, 0);
    QCOMPARE(ranElsewhere.load(), 0);
    qInfo("%d of %d callbacks ran inline, the rest on the canceling thread", ranInline.load(),
          rounds * total);
}

void tst_Registration::RegistrationChurnNoLeak()
{
    // Each cycle allocates and frees a node under a mutex: about 10x slower
    // under a sanitizer. 100k cycles still exercise every path; the full
    // million runs in the normal build.
    constexpr int cycles = RunningUnderSanitizer ? 100'000 : 1'000'000;
    Source source;
    const Token token = source.token();
    std::atomic<int> ran = 0;

    // Half the cycles on this thread, half on another, at the same time.
    std::atomic<int> failedOnWorker = 0;
    std::thread worker([&] {
        for (int i = 0; i < cycles / 2; ++i) {
            Registration registration = token.onCanceled([&ran] { ++ran; });
            if (!registration.unregister())
                ++failedOnWorker;
        }
    });
    int failed = 0;
    for (int i = 0; i < cycles / 2; ++i) {
        Registration registration = token.onCanceled([&ran] { ++ran; });
        if (!registration.unregister())
            ++failed;
    }
    worker.join();
    QCOMPARE(failed, 0);
    QCOMPARE(failedOnWorker.load(), 0);
    QCOMPARE(token.registrationCount(), 0);

    // Standing registrations are counted, and RAII destruction removes them.
    {
        std::vector<Registration> standing;
        for (int i = 0; i < 1000; ++i)
            standing.push_back(token.onCanceled([&ran] { ++ran; }));
        QCOMPARE(token.registrationCount(), 1000);
    }
    QCOMPARE(token.registrationCount(), 0);

    QVERIFY(source.cancel());
    QCOMPARE(ran.load(), 0); // nothing left registered to run
}

QTEST_GUILESS_MAIN(tst_Registration)
// The library stores each callback in an allocation of its own, or in the
// memory of one unregistered before it: any size and any alignment, moved in
// once, destroyed exactly once, whichever way it ends.
void tst_Registration::CallbackStorage()
{
    struct alignas(64) OverAligned
    {
        std::array<std::byte, 200> payload {};
    };
    std::atomic<int> destroyed = 0;
    auto counted = std::shared_ptr<int>(new int(0), [&destroyed](int *p) {
        delete p;
        ++destroyed;
    });

    Cancellation::Source source;
    std::atomic<int> ran = 0;
    std::atomic<bool> aligned = false;
    {
        Cancellation::Registration big =
                source.token().onCanceled([&ran, &aligned, counted, data = OverAligned()] {
                    aligned = reinterpret_cast<std::uintptr_t>(&data) % 64 == 0;
                    ++ran;
                });
        Cancellation::Registration moveOnly = source.token().onCanceled(
                [&ran, owned = std::make_unique<int>(7)] { ran += *owned == 7 ? 1 : 100; });
        Cancellation::Registration unregistered = source.token().onCanceled([counted] {});
        counted.reset();
        QCOMPARE(destroyed.load(), 0);
        QVERIFY(unregistered.unregister());
        QCOMPARE(destroyed.load(), 0); // the first callback still holds it
        QCOMPARE(source.token().registrationCount(), 2);
        source.cancel();
        QCOMPARE(ran.load(), 2);
        QVERIFY(aligned.load());
        QCOMPARE(destroyed.load(), 0); // a callback that ran lives until its Registration ends
    }
    QCOMPARE(destroyed.load(), 1);

    // A token that can never be canceled stores nothing, and drops the callback at once.
    counted = std::shared_ptr<int>(new int(0), [&destroyed](int *p) {
        delete p;
        ++destroyed;
    });
    {
        Cancellation::Registration never = Cancellation::Token().onCanceled([counted] {});
        counted.reset();
        QCOMPARE(destroyed.load(), 2);
        QVERIFY(!never.isPending());
    }
}

// A state keeps the memory of an unregistered small callback for the next one.
// Callbacks of every size from 24 to 160 bytes, and 16- and 32-byte aligned
// ones, registered and unregistered in turn, and some left registered: each
// one that runs is intact and aligned, and each ends exactly once.
void tst_Registration::CallbacksOfEverySizeInTurn()
{
    int ran = 0;
    int destroyed = 0;
    int expectedRuns = 0;
    int made = 0;
    int notRemoved = 0;
    unsigned char serial = 0;
    {
        Source source;
        const Token token = source.token();
        std::vector<Registration> kept;
        const auto one = [&]<typename Callback>(std::type_identity<Callback>) {
            Registration dropped = token.onCanceled(Callback(&ran, &destroyed, ++serial));
            notRemoved += !dropped.unregister();
            kept.push_back(token.onCanceled(Callback(&ran, &destroyed, ++serial)));
            Registration again = token.onCanceled(Callback(&ran, &destroyed, ++serial));
            notRemoved += !again.unregister();
            made += 3;
            ++expectedRuns;
        };
        const auto everySize = [&]<std::size_t... Steps>(std::index_sequence<Steps...>)
        {
            // Growing, then shrinking: a small node's memory goes to a larger
            // small callback and back.
            (one(std::type_identity<SizedCallback<24 + 8 * Steps>>()), ...);
            (one(std::type_identity<SizedCallback<160 - 8 * Steps>>()), ...);
        };
        everySize(std::make_index_sequence<18>());
        // 48 bytes at 16 is small; 32 at 32 would fit, but is over-aligned
        // for operator new's memory, and never kept.
        one(std::type_identity<SizedCallback<48, 16>>());
        one(std::type_identity<SizedCallback<32, 32>>());
        one(std::type_identity<SizedCallback<32>>());
        QCOMPARE(notRemoved, 0);
        QCOMPARE(destroyed, made - expectedRuns);
        QCOMPARE(token.registrationCount(), expectedRuns);
        QVERIFY(source.cancel());
        QCOMPARE(ran, expectedRuns);
    }
    QCOMPARE(destroyed, made);
}

// A token whose callbacks are registered and unregistered in turn, as a worker
// does for each item, allocates for the first registration only.
void tst_Registration::RegistrationsInTurnAllocateOnce()
{
    if (!COUNTS_ALLOCATIONS)
        QSKIP("The sanitizers replace operator new: allocations are not counted");
    Source source;
    const Token token = source.token();
    int ran = 0;
    int notRemoved = 0;
    const auto inTurn = [&](int cycles, auto makeCallback) {
        return allocationsDuring([&] {
            for (int i = 0; i < cycles; ++i) {
                Registration registration = token.onCanceled(makeCallback());
                notRemoved += !registration.unregister();
            }
        });
    };
    const auto small = [&ran] { return [&ran] { ++ran; }; };
    const long first = inTurn(1, small);
    if (first <= 0)
        QSKIP("This platform's shared libraries do not use the executable's operator new");
    QCOMPARE(first, 1);
    QCOMPARE(inTurn(1000, small), 0);

    // As is a std::function of libstdc++ (32 bytes) and libc++ (48). A
    // callback too large for the kept memory allocates each time, and leaves
    // the kept memory for the small ones.
    if constexpr (sizeof(std::function<void()>) <= 48) {
        const auto function = [&ran] { return std::function<void()>([&ran] { ++ran; }); };
        QCOMPARE(inTurn(1000, function), 0);
    }
    const auto large = [&ran] {
        return [&ran, padding = std::array<std::byte, 256>()] { ran += int(padding.size()); };
    };
    QCOMPARE(inTurn(1000, large), 1000);
    QCOMPARE(inTurn(1000, small), 0);

    // A small callback whose move throws inside the library gives the kept
    // memory back.
    struct MoveFailed // allocates nothing, unlike a std::runtime_error's message
    {
    };
    struct ThrowsOnSecondMove
    {
        explicit ThrowsOnSecondMove(int *moves) : m_moves(moves) { }
        ThrowsOnSecondMove(ThrowsOnSecondMove &&other) : m_moves(other.m_moves)
        {
            if (++*m_moves == 2)
                throw MoveFailed();
        }
        void operator()() const { }
        int *m_moves;
    };
    int moves = 0; // onCanceled() moves once itself; the library's move throws
    const long throwing = allocationsDuring([&] {
        QVERIFY_THROWS_EXCEPTION(MoveFailed, (void)token.onCanceled(ThrowsOnSecondMove(&moves)));
    });
    QCOMPARE(moves, 2);
    QCOMPARE(throwing, 0);
    QCOMPARE(inTurn(1000, small), 0);

    QCOMPARE(notRemoved, 0);
    QVERIFY(source.cancel());
    QCOMPARE(ran, 0);
}

// A callback whose move throws inside the library: the exception reaches the
// caller, and nothing is registered or leaked (LSan checks the latter).
void tst_Registration::ThrowingMoveLeavesNothing()
{
    struct ThrowsOnMove
    {
        explicit ThrowsOnMove(int *movesLeft) : m_movesLeft(movesLeft) { }
        ThrowsOnMove(ThrowsOnMove &&other) : m_movesLeft(other.m_movesLeft)
        {
            if ((*m_movesLeft)-- == 0)
                throw std::runtime_error("move failed");
        }
        void operator()() const { }
        int *m_movesLeft;
    };
    Cancellation::Source source;
    int movesLeft = 1; // onCanceled() moves once itself; the library's move throws
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             (void)source.token().onCanceled(ThrowsOnMove(&movesLeft)));
    QCOMPARE(movesLeft, -1);
    QCOMPARE(source.token().registrationCount(), 0);
    movesLeft = 2;
    Cancellation::Registration registration = source.token().onCanceled(ThrowsOnMove(&movesLeft));
    QCOMPARE(source.token().registrationCount(), 1);
    QVERIFY(source.cancel());
    QVERIFY(!registration.isPending());
}

#include "tst_registration.moc"
