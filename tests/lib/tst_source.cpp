// SPDX-License-Identifier: MIT
#include <Cancellation/source.h>

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QMetaMethod>
#include <QtCore/QMetaProperty>
#include <QtCore/QPointer>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <latch>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "platform.h"
#include "roundthreads.h"
#include "sanitizers.h"

using namespace Cancellation;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using ArmFunction = std::function<bool(Cancellation::Source &)>;
Q_DECLARE_METATYPE(ArmFunction)

namespace {

// A Source's signals may be emitted on any thread (the canceler, the timer
// thread); QSignalSpy is not thread-safe, so cross-thread emissions are
// recorded here, with when and where they happened.
class Recorder
{
public:
    struct Event
    {
        Reason reason;
        Clock::time_point at;
        std::thread::id thread;
    };

    explicit Recorder(Source *source)
    {
        QObject::connect(
                source, &Source::canceled, source, [this](const Reason &reason) { record(reason); },
                Qt::DirectConnection);
    }

    void record(const Reason &reason)
    {
        const Event event { reason, Clock::now(), std::this_thread::get_id() };
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(event);
        }
        m_condition.notify_all();
    }

    int count() const
    {
        std::lock_guard lock(m_mutex);
        return int(m_events.size());
    }

    Event event(int i) const
    {
        std::lock_guard lock(m_mutex);
        return m_events.at(size_t(i));
    }

    bool waitForCount(int count, std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(m_mutex);
        return m_condition.wait_for(lock, timeout, [&] { return int(m_events.size()) >= count; });
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_condition;
    std::vector<Event> m_events;
};

qint64 msecsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

// Waits for a timer-driven token armed after the token under test: used
// instead of sleeping to let a deadline pass.
bool waitForSentinel(std::chrono::milliseconds after)
{
    Source sentinel;
    return sentinel.cancelAfter(after) && sentinel.token().waitFor(30s)
            && sentinel.reason().kind() == Reason::Kind::Timeout;
}

// 24.8 days: where int milliseconds overflow.
constexpr qint64 intMaxMSecs = std::numeric_limits<int>::max();

// canceled() carries moc's private tag, so only Source can emit it. This is a
// compile-time property; the static_asserts are the test.
template<typename>
struct SignalTraits;
template<typename C, typename... Args>
struct SignalTraits<void (C::*)(Args...)>
{
    static constexpr size_t arity = sizeof...(Args);
    using Last = std::tuple_element_t<sizeof...(Args) - 1, std::tuple<Args...>>;
};
using CanceledTag = SignalTraits<decltype(&Source::canceled)>::Last;
static_assert(SignalTraits<decltype(&Source::canceled)>::arity == 2,
              "canceled(Reason, QPrivateSignal)");
static_assert(std::is_same_v<CanceledTag, SignalTraits<decltype(&Source::deadlineChanged)>::Last>,
              "canceled() and deadlineChanged() share the class's private tag");
static_assert(std::is_same_v<CanceledTag, SignalTraits<decltype(&Source::debugNameChanged)>::Last>);
static_assert(std::is_empty_v<CanceledTag> && std::is_class_v<CanceledTag>);
static_assert(!std::is_invocable_v<decltype(&Source::canceled), Source *, const Reason &>,
              "canceled() cannot be called with a Reason alone");

} // namespace

class tst_Source : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void CancelOnce_data();
    void CancelOnce();
    void ParentChildAndReason_data();
    void ParentChildAndReason();
    void ParentChildAndReasonLinked();
    void ConcurrentCancel();
    void HappensBefore_data();
    void HappensBefore();
    void TreeStorm();
    void FacadeDeletedWhileWorkersPoll();
    void DeleteSourceInCanceledSlot_data();
    void DeleteSourceInCanceledSlot();
    void DestructorWaitsForEmission();
    void ChildSourceDestroyedWhileParentCancels();
    void DestroyChildDetaches();
    void CancelToChildrenAllocatesNothing();
    void TimeoutNeverEarly_data();
    void TimeoutNeverEarly();
    void TimeoutEdgeValues_data();
    void TimeoutEdgeValues();
    void RearmAndDisarm_data();
    void RearmAndDisarm();
    void CancelAfterFromThreadWithoutEventLoop_data();
    void CancelAfterFromThreadWithoutEventLoop();
    void ChildDeadlineIsMin();
    void ChildDeadlineIsMinPollOnly();
    void TimerRacesCancel_data();
    void TimerRacesCancel();
    void TimeoutCallbackReentersScheduler();
    void CanceledQueuedToReceiverThread();
    void Properties_data();
    void Properties();
    void RemainingTimeIsAFunction();
    void PropertyValuesAndNotify();
    void ConcurrentSetDebugNameNotifiesOnce();
    void CanceledIsPrivateSignal();
};

void tst_Source::CancelOnce_data()
{
    QTest::addColumn<int>("how");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("text");
    QTest::newRow("cancel()") << 0 << QString() << QStringLiteral("canceled by user");
    QTest::newRow("cancelWithMessage()") << 1 << QStringLiteral("Stop pressed")
                                         << QStringLiteral("canceled by user: Stop pressed");
    QTest::newRow("cancel slot, invokeMethod")
            << 2 << QString() << QStringLiteral("canceled by user");
}

void tst_Source::CancelOnce()
{
    QFETCH(int, how);
    QFETCH(QString, message);
    QFETCH(QString, text);

    Source source;
    const Token token = source.token();
    QSignalSpy spy(&source, &Source::canceled);
    QVERIFY(spy.isValid());
    int callbacks = 0;
    const Registration registration = token.onCanceled([&callbacks] { ++callbacks; });
    QVERIFY(!source.isCanceled());
    QCOMPARE(source.reason().kind(), Reason::Kind::None);

    bool first = false;
    switch (how) {
    case 0:
        first = source.cancel();
        break;
    case 1:
        first = source.cancelWithMessage(message);
        break;
    case 2:
        QVERIFY(QMetaObject::invokeMethod(&source, "cancel", Qt::DirectConnection,
                                          Q_RETURN_ARG(bool, first)));
        break;
    }
    QVERIFY(first);
    QVERIFY(source.isCanceled());
    QVERIFY(token.isCanceled());
    QCOMPARE(spy.count(), 1); // emitted synchronously, inside the winning call
    QCOMPARE(callbacks, 1);

    // Later calls lose and change nothing.
    QVERIFY(!source.cancel());
    QVERIFY(!source.cancelWithMessage(QStringLiteral("too late")));
    QVERIFY(!source.cancelAfter(0ns)); // a timeout cannot replace the first reason
    QCOMPARE(spy.count(), 1);
    QCOMPARE(callbacks, 1);

    const Reason reason = source.reason();
    QCOMPARE(reason.kind(), Reason::Kind::UserRequest);
    QCOMPARE(reason.message(), message);
    QCOMPARE(source.reasonText(), text);
    QVERIFY(spy.at(0).at(0).value<Reason>() == reason);
    QVERIFY(token.reason() == reason);
}

void tst_Source::ParentChildAndReason_data()
{
    QTest::addColumn<int>("depth");
    QTest::newRow("1 level") << 1;
    QTest::newRow("3 levels") << 3;
    QTest::newRow("20 levels") << 20;
}

void tst_Source::ParentChildAndReason()
{
    QFETCH(int, depth);

    // chain[0] is the root; chain[i] is a child of chain[i - 1].
    std::vector<std::unique_ptr<Source>> chain;
    chain.push_back(std::make_unique<Source>());
    for (int i = 1; i <= depth; ++i)
        chain.push_back(std::make_unique<Source>(chain.back()->token()));
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (const auto &source : chain)
        spies.push_back(std::make_unique<QSignalSpy>(source.get(), &Source::canceled));
    for (int i = 0; i < depth; ++i)
        QCOMPARE(chain[size_t(i)]->token().childCount(), 1);
    QCOMPARE(chain.back()->token().childCount(), 0);

    // Never the reverse: canceling the leaf leaves every ancestor live.
    Source &leaf = *chain.back();
    QVERIFY(leaf.cancelWithMessage(QStringLiteral("leaf first")));
    for (int i = 0; i < depth; ++i)
        QVERIFY2(!chain[size_t(i)]->isCanceled(), qPrintable(QStringLiteral("level %1").arg(i)));

    // Canceling the root reaches every level, synchronously, as ParentCanceled.
    Source &root = *chain.front();
    QVERIFY(root.cancelWithMessage(QStringLiteral("origin")));
    QCOMPARE(root.reason().kind(), Reason::Kind::UserRequest);
    for (int i = 1; i < depth; ++i) {
        const Reason reason = chain[size_t(i)]->reason();
        QCOMPARE(reason.kind(), Reason::Kind::ParentCanceled);
        QVERIFY(reason.parent() == chain[size_t(i - 1)]->reason());
        QVERIFY(reason.root() == root.reason());
        QCOMPARE(reason.root().message(), QStringLiteral("origin"));
    }
    // The first reason wins: the leaf keeps its own.
    QCOMPARE(leaf.reason().kind(), Reason::Kind::UserRequest);
    QCOMPARE(leaf.reason().message(), QStringLiteral("leaf first"));
    for (size_t i = 0; i < spies.size(); ++i)
        QCOMPARE(spies[i]->count(), 1);

    // A child of a canceled token is born canceled, with the parent's reason as cause.
    Source &parentOfLate = *chain[size_t(depth - 1)];
    Source late(parentOfLate.token());
    QVERIFY(late.isCanceled());
    QCOMPARE(late.reason().kind(), Reason::Kind::ParentCanceled);
    QVERIFY(late.reason().parent() == parentOfLate.reason());
    QVERIFY(late.reason().root() == root.reason());
    QCOMPARE(late.reason().root().kind(), Reason::Kind::UserRequest);
    QVERIFY(!late.cancel());
}

void tst_Source::ParentChildAndReasonLinked()
{
    // A token linked to several parents is canceled by whichever cancels first.
    Source first;
    Source second;
    Source linked(QList<Token> { first.token(), second.token() });
    QSignalSpy spy(&linked, &Source::canceled);
    QCOMPARE(first.token().childCount(), 1);
    QCOMPARE(second.token().childCount(), 1);

    QVERIFY(second.cancelWithMessage(QStringLiteral("second")));
    QVERIFY(linked.isCanceled());
    QVERIFY(!first.isCanceled()); // never the reverse
    QCOMPARE(linked.reason().kind(), Reason::Kind::ParentCanceled);
    QVERIFY(linked.reason().parent() == second.reason());

    QVERIFY(first.cancel()); // the later parent changes nothing
    QCOMPARE(spy.count(), 1);
    QVERIFY(linked.reason().parent() == second.reason());

    // Born canceled when one parent already is; a default Token parent is ignored.
    Source live;
    Source bornCanceled(QList<Token> { Token(), live.token(), first.token() });
    QVERIFY(bornCanceled.isCanceled());
    QVERIFY(bornCanceled.reason().parent() == first.reason());
    QVERIFY(!live.isCanceled());

    // Destroying a linked child detaches it from every parent.
    Source a;
    Source b;
    {
        Source child(QList<Token> { a.token(), b.token() });
        QCOMPARE(a.token().childCount(), 1);
        QCOMPARE(b.token().childCount(), 1);
    }
    QCOMPARE(a.token().childCount(), 0);
    QCOMPARE(b.token().childCount(), 0);
}

void tst_Source::ConcurrentCancel()
{
    constexpr int threads = 16;
    constexpr int rounds = 50;
    std::unique_ptr<Source> source;
    std::atomic<int> wins = 0;
    std::atomic<int> winner = -1;
    std::atomic<int> signals = 0;
    std::atomic<int> callbacks = 0;
    RoundThreads contenders(threads, [&](int t) {
        if (source->cancelWithMessage(QString::number(t))) {
            ++wins;
            winner = t;
        }
    });

    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        wins = 0;
        winner = -1;
        signals = 0;
        callbacks = 0;
        connect(
                source.get(), &Source::canceled, source.get(), [&signals] { ++signals; },
                Qt::DirectConnection);
        const Registration registration = source->token().onCanceled([&callbacks] { ++callbacks; });
        contenders.run(); // all 16 at once
        QCOMPARE(wins.load(), 1);
        QCOMPARE(signals.load(), 1);
        QCOMPARE(callbacks.load(), 1);
        QCOMPARE(source->reason().kind(), Reason::Kind::UserRequest);
        // The reason is the winner's: its message, not a loser's.
        QCOMPARE(source->reason().message(), QString::number(winner.load()));
    }
}

void tst_Source::HappensBefore_data()
{
    QTest::addColumn<int>("observer");
    QTest::newRow("isCanceled()") << 0;
    QTest::newRow("child isCanceled()") << 1;
    QTest::newRow("waitFor()") << 2;
}

// A plain write made before cancel() is visible to a thread that sees the
// token canceled. ThreadSanitizer reports the plain accesses if it is not.
void tst_Source::HappensBefore()
{
    QFETCH(int, observer);
    constexpr int rounds = 300;

    struct Payload
    {
        int value = 0;
        QString text;
    };
    std::barrier sync(3);
    std::unique_ptr<Source> source;
    std::unique_ptr<Source> child;
    std::unique_ptr<Payload> payload;
    Token observed;
    std::atomic<int> mismatches = 0;
    std::atomic<int> timedOut = 0;
    std::atomic<bool> stop = false;
    int round = 0;

    std::thread writer([&] {
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            payload->value = round + 1; // plain writes
            payload->text = QString::number(round + 1);
            source->cancel();
            sync.arrive_and_wait();
        }
    });
    std::thread reader([&] {
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            bool seen = false;
            if (observer == 2) {
                seen = observed.waitFor(10s);
            } else {
                const auto limit = Clock::now() + 10s;
                while (!(seen = observed.isCanceled()) && Clock::now() < limit)
                    std::this_thread::yield();
            }
            if (!seen)
                ++timedOut;
            else if (payload->value != round + 1
                     || payload->text != QString::number(round + 1)) // plain reads
                ++mismatches;
            sync.arrive_and_wait();
        }
    });
    const auto join = qScopeGuard([&] {
        stop.store(true);
        sync.arrive_and_wait();
        writer.join();
        reader.join();
    });

    for (round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        child = std::make_unique<Source>(source->token());
        payload = std::make_unique<Payload>();
        observed = observer == 1 ? child->token() : source->token();
        sync.arrive_and_wait();
        sync.arrive_and_wait();
    }
    QCOMPARE(timedOut.load(), 0);
    QCOMPARE(mismatches.load(), 0);
}

void tst_Source::TreeStorm()
{
    // A 100-node ternary tree; several threads cancel different nodes while
    // others keep creating children of random nodes.
    constexpr int nodes = 100;
    constexpr int cancelers = 3;
    constexpr int creators = 2;
    constexpr int rounds = 10;

    struct Extra
    {
        int parent = 0;
        std::unique_ptr<Source> source;
        std::atomic<int> callbacks = 0;
        Registration registration;
    };

    std::barrier sync(cancelers + creators + 1);
    std::vector<std::unique_ptr<Source>> tree;
    std::vector<std::atomic<int>> signals(nodes);
    std::vector<std::atomic<int>> callbacks(nodes);
    std::vector<Registration> registrations(nodes);
    std::vector<std::vector<std::unique_ptr<Extra>>> extras(creators);
    std::atomic<int> cancelersDone = 0;
    std::atomic<int> round = 0;
    std::atomic<bool> stop = false;
    QThread *const mainThread = QThread::currentThread();

    std::vector<std::thread> pool;
    for (int k = 0; k < cancelers; ++k) {
        pool.emplace_back([&, k] {
            for (;;) {
                sync.arrive_and_wait();
                if (stop.load())
                    return;
                std::vector<int> mine;
                for (int i = k; i < nodes; i += cancelers)
                    mine.push_back(i);
                QRandomGenerator random(quint32(round.load() * 100 + k));
                std::shuffle(mine.begin(), mine.end(), random);
                for (int i : mine)
                    tree[size_t(i)]->cancel();
                ++cancelersDone;
                sync.arrive_and_wait();
            }
        });
    }
    for (int c = 0; c < creators; ++c) {
        pool.emplace_back([&, c] {
            for (;;) {
                sync.arrive_and_wait();
                if (stop.load())
                    return;
                QRandomGenerator random(quint32(round.load() * 100 + 50 + c));
                std::vector<std::unique_ptr<Extra>> &mine = extras[size_t(c)];
                // Keep creating until every canceler is done, and a few more after.
                for (int made = 0; cancelersDone.load() < cancelers || made < 20; ++made) {
                    auto extra = std::make_unique<Extra>();
                    extra->parent = random.bounded(nodes);
                    extra->source = std::make_unique<Source>(tree[size_t(extra->parent)]->token());
                    extra->source->moveToThread(mainThread); // destroyed there
                    Extra *raw = extra.get();
                    extra->registration =
                            extra->source->token().onCanceled([raw] { ++raw->callbacks; });
                    mine.push_back(std::move(extra));
                }
                sync.arrive_and_wait();
            }
        });
    }
    const auto join = qScopeGuard([&] {
        stop.store(true);
        sync.arrive_and_wait();
        for (std::thread &thread : pool)
            thread.join();
    });

    for (int r = 0; r < rounds; ++r) {
        round = r;
        cancelersDone = 0;
        for (auto &mine : extras)
            mine.clear(); // children first, then their parents
        for (Registration &registration : registrations)
            registration = Registration();
        tree.clear();
        for (int i = 0; i < nodes; ++i) {
            tree.push_back(i == 0 ? std::make_unique<Source>()
                                  : std::make_unique<Source>(tree[size_t((i - 1) / 3)]->token()));
            signals[size_t(i)] = 0;
            callbacks[size_t(i)] = 0;
            std::atomic<int> *signalCount = &signals[size_t(i)];
            connect(
                    tree.back().get(), &Source::canceled, tree.back().get(),
                    [signalCount] { ++*signalCount; }, Qt::DirectConnection);
            std::atomic<int> *callbackCount = &callbacks[size_t(i)];
            registrations[size_t(i)] =
                    tree.back()->token().onCanceled([callbackCount] { ++*callbackCount; });
        }
        sync.arrive_and_wait(); // storm
        sync.arrive_and_wait(); // calm

        QCOMPARE(tree[0]->reason().kind(), Reason::Kind::UserRequest);
        for (int i = 0; i < nodes; ++i) {
            const Source &node = *tree[size_t(i)];
            QVERIFY2(node.isCanceled(), qPrintable(QStringLiteral("node %1").arg(i)));
            QCOMPARE(signals[size_t(i)].load(), 1);
            QCOMPARE(callbacks[size_t(i)].load(), 1);
            const Reason reason = node.reason();
            QVERIFY(reason.kind() == Reason::Kind::UserRequest
                    || reason.kind() == Reason::Kind::ParentCanceled);
            if (reason.kind() == Reason::Kind::ParentCanceled)
                QVERIFY(reason.parent() == tree[size_t((i - 1) / 3)]->reason());
            QCOMPARE(node.token().childCount(), 0); // every link has fired
        }
        int made = 0;
        for (const auto &mine : extras) {
            for (const auto &extra : mine) {
                ++made;
                QVERIFY(extra->source->isCanceled());
                QCOMPARE(extra->callbacks.load(), 1);
                QCOMPARE(extra->source->reason().kind(), Reason::Kind::ParentCanceled);
                QVERIFY(extra->source->reason().parent() == tree[size_t(extra->parent)]->reason());
            }
        }
        QVERIFY(made >= creators * 20);
    }
}

void tst_Source::FacadeDeletedWhileWorkersPoll()
{
    Source parent;
    auto *canceled = new Source;
    auto *linkedChild = new Source(parent.token());
    auto *untouched = new Source;
    const Token canceledToken = canceled->token();
    const Token childToken = linkedChild->token();
    const Token untouchedToken = untouched->token();
    std::atomic<int> childCallbacks = 0;
    Registration childRegistration = childToken.onCanceled([&childCallbacks] { ++childCallbacks; });

    std::atomic<bool> stop = false;
    std::atomic<int> failures = 0;
    std::latch started(7);
    std::vector<std::thread> workers;
    // Two pollers of the token whose Source is canceled and then deleted.
    for (int i = 0; i < 2; ++i) {
        workers.emplace_back([&, token = canceledToken] {
            started.count_down();
            const auto limit = Clock::now() + 20s;
            while (!token.isCanceled() && Clock::now() < limit)
                std::this_thread::yield();
            if (!token.isCanceled() || token.reason().message() != QStringLiteral("final"))
                ++failures;
        });
    }
    // Two waiters on a child whose Source is deleted before its parent cancels.
    for (int i = 0; i < 2; ++i) {
        workers.emplace_back([&, token = childToken] {
            started.count_down();
            if (!token.waitFor(20s) || token.reason().kind() != Reason::Kind::ParentCanceled)
                ++failures;
        });
    }
    // Three pollers of a token whose Source is deleted without canceling.
    for (int i = 0; i < 3; ++i) {
        workers.emplace_back([&, token = untouchedToken] {
            started.count_down();
            while (!stop.load()) {
                if (token.isCanceled())
                    ++failures;
                std::this_thread::yield();
            }
        });
    }
    const auto join = qScopeGuard([&] {
        stop.store(true);
        parent.cancel();
        for (std::thread &worker : workers)
            worker.join();
    });
    started.wait();

    QVERIFY(canceled->cancelWithMessage(QStringLiteral("final")));
    delete canceled;
    delete linkedChild;
    delete untouched;

    // The deleted child's token is still linked: canceling the parent reaches it.
    QCOMPARE(parent.token().childCount(), 1);
    QVERIFY(parent.cancel());
    QVERIFY(childToken.isCanceled());
    QVERIFY(childToken.reason().parent() == parent.reason());
    QCOMPARE(childCallbacks.load(), 1);
    QCOMPARE(parent.token().childCount(), 0);

    stop.store(true);
    for (std::thread &worker : workers)
        worker.join();
    workers.clear();
    QCOMPARE(failures.load(), 0);

    // The tokens keep reporting the final state.
    QVERIFY(canceledToken.isCanceled());
    QCOMPARE(canceledToken.reason().kind(), Reason::Kind::UserRequest);
    QCOMPARE(canceledToken.reason().message(), QStringLiteral("final"));
    QVERIFY(canceledToken.waitFor(10s));
    QVERIFY(!untouchedToken.isCanceled());
    QCOMPARE(untouchedToken.reason().kind(), Reason::Kind::None);
    QVERIFY(!untouchedToken.waitFor(1ms));
    Registration never = untouchedToken.onCanceled([&failures] { ++failures; });
    QVERIFY(never.isPending());
}

void tst_Source::DeleteSourceInCanceledSlot_data()
{
    QTest::addColumn<int>("how");
    QTest::newRow("cancel()") << 0;
    QTest::newRow("cancelWithMessage()") << 1;
    QTest::newRow("cancelAfter(0)") << 2;
    QTest::newRow("cancelAt(past)") << 3;
    QTest::newRow("isCanceled() after a pull-only deadline") << 4;
    QTest::newRow("a child, its parent canceled") << 5;
}

// Deleting the sender from a directly connected slot is allowed in Qt. No
// Token is held, so the Source owns the last reference to the shared state.
void tst_Source::DeleteSourceInCanceledSlot()
{
    QFETCH(int, how);
    Source parent;
    // For row 5 the state is released inside the parent's cascade, while the
    // parent is running the link that cancels it.
    auto *source = how == 5 ? new Source(parent.token()) : new Source;
    QPointer<Source> guard(source);
    int calls = 0;
    connect(source, &Source::canceled, this, [&] {
        ++calls;
        delete source;
    });
    if (how == 4) {
        QVERIFY(source->cancelAfter(1ms, Source::DeadlineCheck::PollOnly));
        QVERIFY(waitForSentinel(10ms));
    }
    switch (how) {
    case 0:
        QVERIFY(source->cancel());
        break;
    case 1:
        QVERIFY(source->cancelWithMessage(QStringLiteral("bye")));
        break;
    case 2:
        QVERIFY(source->cancelAfter(0ns));
        break;
    case 3:
        QVERIFY(source->cancelAt(Clock::now() - 1s));
        break;
    case 4:
        QVERIFY(source->isCanceled());
        break;
    case 5:
        QCOMPARE(parent.token().childCount(), 1);
        QVERIFY(parent.cancel());
        QCOMPARE(parent.token().childCount(), 0);
        break;
    }
    QVERIFY(guard.isNull());
    QCOMPARE(calls, 1);
}

void tst_Source::DestructorWaitsForEmission()
{
    // A worker cancels; the directly connected slot runs on the worker and is
    // held there. Deleting the Source on this thread must wait for the slot.
    auto *source = new Source;
    std::latch slotRunning(1);
    std::atomic<bool> deleting = false;
    std::atomic<bool> deleted = false;
    std::atomic<bool> deletedDuringSlot = false;
    std::mutex mutex;
    std::condition_variable condition;
    bool release = false;
    QString nameSeenInSlot;
    source->setDebugName(QStringLiteral("held"));
    connect(
            source, &Source::canceled, source,
            [&] {
                slotRunning.count_down();
                {
                    std::unique_lock lock(mutex);
                    condition.wait_for(lock, 30s, [&] { return release; });
                }
                deletedDuringSlot = deleted.load();
                nameSeenInSlot = source->debugName(); // ASan: must not be freed yet
            },
            Qt::DirectConnection);

    std::thread canceler([source] { source->cancel(); });
    std::thread releaser([&] {
        while (!deleting.load())
            std::this_thread::yield();
        // A bounded wait, not a sleep: give the destructor time to start waiting.
        std::unique_lock lock(mutex);
        condition.wait_for(lock, 100ms, [&] { return release; });
        release = true;
        condition.notify_all();
    });
    slotRunning.wait();
    deleting = true;
    delete source;
    deleted = true;
    canceler.join();
    releaser.join();
    QVERIFY(!deletedDuringSlot.load());
    QCOMPARE(nameSeenInSlot, QStringLiteral("held"));
}

// A parent's cancel reaches a child whose Source is being destroyed on
// another thread: canceled() is emitted before the destructor, or never, and
// its slot always finds the Source alive (AddressSanitizer sees the rest).
// Half the rounds keep a Token, so that the child's state outlives its Source.
void tst_Source::ChildSourceDestroyedWhileParentCancels()
{
    constexpr int Rounds = 10'000;
    std::unique_ptr<Source> parent;
    Source *child = nullptr;
    std::atomic<int> emitted = 0;
    std::atomic<int> slotsAfterDestructor = 0;
    std::atomic<bool> destroyed = false;
    RoundThreads threads(2, [&](int index) {
        if (index == 0) {
            parent->cancel();
        } else {
            delete child;
            destroyed.store(true);
        }
    });
    int emittedRounds = 0;
    for (int round = 0; round < Rounds; ++round) {
        parent = std::make_unique<Source>();
        child = new Source(parent->token());
        const Token kept = round % 2 == 0 ? child->token() : Token();
        child->setDebugName(QStringLiteral("child"));
        emitted.store(0);
        destroyed.store(false);
        connect(
                child, &Source::canceled, child,
                [&, source = child] {
                    // The destructor waits for this slot: it must not return
                    // meanwhile. A few yields widen the window in which it would.
                    bool afterDestructor = destroyed.load();
                    for (int i = 0; i < 16 && !afterDestructor; ++i) {
                        std::this_thread::yield();
                        afterDestructor = destroyed.load();
                    }
                    if (afterDestructor || source->debugName() != QStringLiteral("child"))
                        ++slotsAfterDestructor;
                    ++emitted;
                },
                Qt::DirectConnection);
        threads.run();
        QVERIFY(emitted.load() <= 1);
        emittedRounds += emitted.load();
        QCOMPARE(parent->token().childCount(), 0);
        if (kept.canBeCanceled())
            QCOMPARE(kept.reason().kind(), Reason::Kind::ParentCanceled);
    }
    QCOMPARE(slotsAfterDestructor.load(), 0);
    qInfo("canceled() was emitted in %d of %d rounds, the destructor came first in the others",
          emittedRounds, Rounds);
}

void tst_Source::DestroyChildDetaches()
{
    constexpr int children = 100'000;
    Source parent;
    const Token token = parent.token();
    for (int i = 0; i < children; ++i) {
        Source child(token);
        if (i == 0)
            QCOMPARE(token.childCount(), 1);
    }
    QCOMPARE(token.childCount(), 0);

    // Counted while they live.
    {
        std::vector<std::unique_ptr<Source>> alive;
        for (int i = 0; i < 1000; ++i)
            alive.push_back(std::make_unique<Source>(token));
        QCOMPARE(token.childCount(), 1000);
    }
    QCOMPARE(token.childCount(), 0);

    // A child whose Source is gone stays linked while a Token of it lives.
    auto child = std::make_unique<Source>(token);
    Token childToken = child->token();
    child.reset();
    QCOMPARE(token.childCount(), 1);
    childToken = Token();
    QCOMPARE(token.childCount(), 0);

    QVERIFY(parent.cancel()); // and nothing left to cancel
}

void tst_Source::CancelToChildrenAllocatesNothing()
{
    if (RunningUnderSanitizer)
        QSKIP("The sanitizers' allocators do not report through mallinfo2()");
    if (!TestPlatform::heapBytesInUse())
        QSKIP("No heap statistics on this platform (glibc's mallinfo2(), macOS's malloc zones)");
    // Every child's Reason is allocated when the child is made, so canceling
    // 1,000 of them allocates nothing (each would take about 100 bytes).
    {
        Source first; // the first cancel in a process sets up the logging category
        Source child(first.token());
        QVERIFY(first.cancel());
    }
    Source parent;
    std::vector<std::unique_ptr<Source>> children;
    for (int i = 0; i < 1000; ++i)
        children.push_back(std::make_unique<Source>(parent.token()));
    int ran = 0;
    const Registration registration = children.back()->token().onCanceled([&ran] { ++ran; });

    const std::size_t before = *TestPlatform::heapBytesInUse();
    QVERIFY(parent.cancel());
    const std::size_t after = *TestPlatform::heapBytesInUse();
    QCOMPARE(ran, 1);
    QVERIFY2(after <= before,
             qPrintable(QStringLiteral("%1 bytes allocated by the cancel").arg(after - before)));
    for (const auto &child : children)
        QCOMPARE(child->reason().kind(), Reason::Kind::ParentCanceled);
}

void tst_Source::TimeoutNeverEarly_data()
{
    QTest::addColumn<int>("ms");
    QTest::addColumn<bool>("poll");
    for (int ms : { 1, 10, 50, 200 }) {
        QTest::addRow("%d ms, timer", ms) << ms << false;
        QTest::addRow("%d ms, timer and a poller", ms) << ms << true;
    }
}

void tst_Source::TimeoutNeverEarly()
{
    QFETCH(int, ms);
    QFETCH(bool, poll);
    const std::chrono::milliseconds timeout(ms);

    Source source;
    Recorder recorder(&source);
    const Token token = source.token();
    std::atomic<bool> stop = false;
    Clock::time_point firstSeenCanceled;
    std::thread poller;

    const auto start = Clock::now(); // before arming: the deadline is at least start + timeout
    QVERIFY(source.cancelAfter(timeout));
    if (poll) {
        poller = std::thread([&] {
            while (!token.isCanceled() && !stop.load())
                std::this_thread::yield();
            firstSeenCanceled = Clock::now();
        });
    }
    const auto join = qScopeGuard([&] {
        stop.store(true);
        if (poller.joinable())
            poller.join();
    });
    QVERIFY(recorder.waitForCount(1, timeout + 30s));
    const Recorder::Event event = recorder.event(0);

    // Never early.
    QVERIFY2(event.at >= start + timeout,
             qPrintable(QStringLiteral("canceled() %1 us early")
                                .arg(std::chrono::duration_cast<std::chrono::microseconds>(
                                             start + timeout - event.at)
                                             .count())));
    QVERIFY(event.reason.canceledAt() >= start + timeout);
    QCOMPARE(event.reason.kind(), Reason::Kind::Timeout);
    QVERIFY(event.reason == source.reason());
    if (poll) {
        poller.join();
        QVERIFY(firstSeenCanceled >= start + timeout);
    } else {
        // Nobody polled: the dedicated timer thread fired it.
        QVERIFY(event.thread != std::this_thread::get_id());
    }
    // Late only within a generous bound: the timer thread wakes within about a
    // millisecond, but a loaded 2-core CI machine running this under TSan can
    // delay any thread by hundreds of milliseconds. The bound catches a timer
    // that was not armed (or fired only at some unrelated later event).
    const qint64 late = msecsBetween(start + timeout, event.at);
    QVERIFY2(late < 2000, qPrintable(QStringLiteral("canceled() %1 ms late").arg(late)));
    QCOMPARE(recorder.count(), 1);
    QCOMPARE(source.remainingTime(), 0);
}

namespace {
enum class Expect { CanceledTimeout, LiveForever, LiveUnchanged, LiveFuture };
}

void tst_Source::TimeoutEdgeValues_data()
{
    QTest::addColumn<ArmFunction>("arm");
    QTest::addColumn<bool>("returns");
    QTest::addColumn<int>("expect");
    QTest::addColumn<qint64>("remainingMs"); // for LiveFuture: about this much, in ms
    QTest::addColumn<QString>("warning");

    using std::chrono::nanoseconds;
    using Check = Source::DeadlineCheck;
    const auto canceled = int(Expect::CanceledTimeout);
    const auto forever = int(Expect::LiveForever);
    const auto unchanged = int(Expect::LiveUnchanged);
    const auto future = int(Expect::LiveFuture);
    constexpr qint64 days25 = qint64(25) * 24 * 3600 * 1000;
    constexpr qint64 years100 =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::years(100)).count();
    const QString negativeNs =
            QStringLiteral("negative timeout -?\\d+ ns rejected; the deadline is unchanged");

    QTest::newRow("0 ns") << ArmFunction([](Source &s) { return s.cancelAfter(0ns); }) << true
                          << canceled << qint64(0) << QString();
    QTest::newRow("0 ns, pull-only")
            << ArmFunction([](Source &s) { return s.cancelAfter(0ns, Check::PollOnly); }) << true
            << canceled << qint64(0) << QString();
    QTest::newRow("0 ms slot") << ArmFunction([](Source &s) { return s.cancelAfterMSecs(0); })
                               << true << canceled << qint64(0) << QString();
    QTest::newRow("past time_point")
            << ArmFunction([](Source &s) { return s.cancelAt(Clock::now() - 1s); }) << true
            << canceled << qint64(0) << QString();
    QTest::newRow("past QDeadlineTimer") << ArmFunction([](Source &s) {
        return s.cancelAt(QDeadlineTimer::addNSecs(QDeadlineTimer::current(Qt::PreciseTimer),
                                                   -1'000'000'000));
    }) << true << canceled << qint64(0) << QString();
    QTest::newRow("expired QDeadlineTimer(0)")
            << ArmFunction([](Source &s) { return s.cancelAt(QDeadlineTimer(0)); }) << true
            << canceled << qint64(0) << QString();

    QTest::newRow("nanoseconds::max()")
            << ArmFunction([](Source &s) { return s.cancelAfter(nanoseconds::max()); }) << true
            << forever << qint64(-1) << QString();
    QTest::newRow("nanoseconds::max(), pull-only") << ArmFunction([](Source &s) {
        return s.cancelAfter(nanoseconds::max(), Check::PollOnly);
    }) << true << forever << qint64(-1) << QString();
    QTest::newRow("cancelAfterMSecs(-1)")
            << ArmFunction([](Source &s) { return s.cancelAfterMSecs(-1); }) << true << forever
            << qint64(-1) << QString();
    QTest::newRow("QDeadlineTimer::Forever") << ArmFunction([](Source &s) {
        return s.cancelAt(QDeadlineTimer(QDeadlineTimer::Forever));
    }) << true << forever << qint64(-1) << QString();
    QTest::newRow("time_point::max()")
            << ArmFunction([](Source &s) { return s.cancelAt(Clock::time_point::max()); }) << true
            << forever << qint64(-1) << QString();
    QTest::newRow("saturating nanoseconds::max() - 1")
            << ArmFunction([](Source &s) { return s.cancelAfter(nanoseconds::max() - 1ns); })
            << true << forever << qint64(-1) << QString();
    QTest::newRow("saturating msecs") << ArmFunction(
            [](Source &s) { return s.cancelAfterMSecs(std::numeric_limits<qint64>::max()); })
                                      << true << forever << qint64(-1) << QString();

    QTest::newRow("-5 ms") << ArmFunction([](Source &s) { return s.cancelAfter(-5ms); }) << false
                           << unchanged << qint64(0) << negativeNs;
    QTest::newRow("-1 ns") << ArmFunction([](Source &s) { return s.cancelAfter(-1ns); }) << false
                           << unchanged << qint64(0) << negativeNs;
    QTest::newRow("nanoseconds::min()")
            << ArmFunction([](Source &s) { return s.cancelAfter(nanoseconds::min()); }) << false
            << unchanged << qint64(0) << negativeNs;
    QTest::newRow("-5 ms, pull-only")
            << ArmFunction([](Source &s) { return s.cancelAfter(-5ms, Check::PollOnly); }) << false
            << unchanged << qint64(0) << negativeNs;
    QTest::newRow("cancelAfterMSecs(-5)")
            << ArmFunction([](Source &s) { return s.cancelAfterMSecs(-5); }) << false << unchanged
            << qint64(0)
            << QStringLiteral("negative timeout -5 ms rejected; the deadline is unchanged");

    QTest::newRow("25 days") << ArmFunction(
            [](Source &s) { return s.cancelAfter(std::chrono::days(25)); })
                             << true << future << days25 << QString();
    QTest::newRow("25 days, msecs")
            << ArmFunction([](Source &s) { return s.cancelAfterMSecs(days25); }) << true << future
            << days25 << QString();
    QTest::newRow("25 days, QDeadlineTimer") << ArmFunction([](Source &s) {
        return s.cancelAt(QDeadlineTimer(std::chrono::days(25)));
    }) << true << future << days25 << QString();
    QTest::newRow("100 years") << ArmFunction(
            [](Source &s) { return s.cancelAfter(std::chrono::years(100)); })
                               << true << future << years100 << QString();
    QTest::newRow("100 years, msecs")
            << ArmFunction([](Source &s) { return s.cancelAfterMSecs(years100); }) << true << future
            << years100 << QString();
    QTest::newRow("100 years, time_point") << ArmFunction([](Source &s) {
        return s.cancelAt(Clock::now() + std::chrono::years(100));
    }) << true << future << years100 << QString();
}

void tst_Source::TimeoutEdgeValues()
{
    QFETCH(ArmFunction, arm);
    QFETCH(bool, returns);
    QFETCH(int, expect);
    QFETCH(qint64, remainingMs);
    QFETCH(QString, warning);

    Source source;
    // Armed first, so that "unchanged" and "disarmed" can be told apart.
    QVERIFY(source.cancelAfter(1h));
    const qint64 before = source.deadline().deadlineNSecs();
    QSignalSpy deadlineSpy(&source, &Source::deadlineChanged);
    QSignalSpy canceledSpy(&source, &Source::canceled);

    if (!warning.isEmpty())
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(warning));
    QCOMPARE(arm(source), returns);
    // At once: inside the call, before anybody polls.
    QCOMPARE(canceledSpy.count(), expect == int(Expect::CanceledTimeout) ? 1 : 0);

    switch (Expect(expect)) {
    case Expect::CanceledTimeout:
        QVERIFY(source.isCanceled());
        QCOMPARE(source.reason().kind(), Reason::Kind::Timeout);
        QCOMPARE(source.remainingTime(), 0);
        QVERIFY(source.deadline().hasExpired());
        break;
    case Expect::LiveForever:
        QVERIFY(!source.isCanceled());
        QVERIFY(source.deadline().isForever());
        QVERIFY(source.token().deadline().isForever());
        QCOMPARE(source.remainingTime(), qint64(-1));
        QCOMPARE(deadlineSpy.count(), 1);
        break;
    case Expect::LiveUnchanged:
        QVERIFY(!source.isCanceled());
        QCOMPARE(source.deadline().deadlineNSecs(), before);
        QCOMPARE(deadlineSpy.count(), 0);
        break;
    case Expect::LiveFuture: {
        QVERIFY(!source.isCanceled());
        QVERIFY(!source.deadline().isForever());
        const qint64 remaining = source.remainingTime();
        QVERIFY2(remaining > intMaxMSecs,
                 qPrintable(QString::number(remaining))); // beyond 24.8 days
        QVERIFY(source.deadline().remainingTime() > intMaxMSecs);
        // About what was asked, without overflow or truncation (1 minute of slack for slow
        // machines).
        QVERIFY2(remaining <= remainingMs + 1 && remaining > remainingMs - 60'000,
                 qPrintable(QStringLiteral("%1 ms left, expected about %2")
                                    .arg(remaining)
                                    .arg(remainingMs)));
        QCOMPARE(deadlineSpy.count(), 1);
        break;
    }
    }
    if (expect != int(Expect::CanceledTimeout)) {
        QVERIFY(!source.token().isCanceled());
        QVERIFY(!source.token().waitFor(1ms));
    }
}

void tst_Source::RearmAndDisarm_data()
{
    QTest::addColumn<ArmFunction>("disarm");
    QTest::addColumn<Source::DeadlineCheck>("check");

    for (const auto check : { Source::DeadlineCheck::Timer, Source::DeadlineCheck::PollOnly }) {
        const char *name = check == Source::DeadlineCheck::Timer ? "timer" : "pull-only";
        QTest::addRow("nanoseconds::max(), %s", name) << ArmFunction([check](Source &s) {
            return s.cancelAfter(std::chrono::nanoseconds::max(), check);
        }) << check;
        QTest::addRow("cancelAfterMSecs(-1), %s", name)
                << ArmFunction([](Source &s) { return s.cancelAfterMSecs(-1); }) << check;
        QTest::addRow("QDeadlineTimer::Forever, %s", name) << ArmFunction([check](Source &s) {
            return s.cancelAt(QDeadlineTimer(QDeadlineTimer::Forever), check);
        }) << check;
        QTest::addRow("time_point::max(), %s", name) << ArmFunction([check](Source &s) {
            return s.cancelAt(Clock::time_point::max(), check);
        }) << check;
    }
}

void tst_Source::RearmAndDisarm()
{
    QFETCH(ArmFunction, disarm);
    QFETCH(Source::DeadlineCheck, check);

    // Re-arming later replaces the earlier deadline.
    {
        Source source;
        Recorder recorder(&source);
        QSignalSpy deadlineSpy(&source, &Source::deadlineChanged);
        QVERIFY(source.cancelAfter(20ms, check));
        const qint64 first = source.deadline().deadlineNSecs();
        QVERIFY(source.cancelAfter(1h, check));
        QVERIFY(source.deadline().deadlineNSecs() > first);
        QCOMPARE(deadlineSpy.count(), 2);
        QVERIFY(waitForSentinel(60ms)); // well past the replaced deadline
        QVERIFY(!source.isCanceled()); // a poll would notice it, too
        QCOMPARE(recorder.count(), 0);
    }
    // Re-arming earlier replaces a later deadline.
    {
        Source source;
        Recorder recorder(&source);
        QVERIFY(source.cancelAfter(1h, check));
        const qint64 first = source.deadline().deadlineNSecs();
        const auto start = Clock::now();
        QVERIFY(source.cancelAfter(20ms, check));
        QVERIFY(source.deadline().deadlineNSecs() < first);
        QVERIFY(source.token().waitFor(30s)); // a wait notices a pull-only deadline, too
        QVERIFY(Clock::now() >= start + 20ms);
        QVERIFY(recorder.waitForCount(1, 30s));
        QCOMPARE(source.reason().kind(), Reason::Kind::Timeout);
        QVERIFY(recorder.event(0).at >= start + 20ms);
    }
    // Disarming stops it: a sentinel armed later fires; this one never does.
    {
        Source source;
        Recorder recorder(&source);
        QSignalSpy deadlineSpy(&source, &Source::deadlineChanged);
        QVERIFY(source.cancelAfter(20ms, check));
        QVERIFY(disarm(source));
        QCOMPARE(deadlineSpy.count(), 2);
        QVERIFY(source.deadline().isForever());
        QCOMPARE(source.remainingTime(), qint64(-1));
        QVERIFY(waitForSentinel(60ms));
        QVERIFY(!source.isCanceled());
        QVERIFY(!source.token().waitFor(1ms));
        QCOMPARE(recorder.count(), 0);
        QCOMPARE(source.reason().kind(), Reason::Kind::None);
    }
}

void tst_Source::CancelAfterFromThreadWithoutEventLoop_data()
{
    QTest::addColumn<bool>("createOnThread");
    QTest::newRow("Source from this thread") << false;
    QTest::newRow("Source created on that thread") << true;
}

void tst_Source::CancelAfterFromThreadWithoutEventLoop()
{
    QFETCH(bool, createOnThread);

    std::unique_ptr<Source> mine = createOnThread ? nullptr : std::make_unique<Source>();
    bool hadEventDispatcher = true;
    bool armed = false;
    bool woke = false;
    Reason reason;
    Clock::time_point start, end;
    std::thread thread([&] {
        hadEventDispatcher = QAbstractEventDispatcher::instance() != nullptr;
        std::unique_ptr<Source> own = createOnThread ? std::make_unique<Source>() : nullptr;
        Source *source = createOnThread ? own.get() : mine.get();
        start = Clock::now();
        armed = source->cancelAfter(30ms);
        woke = source->token().waitFor(30s);
        end = Clock::now();
        reason = source->reason();
    });
    thread.join();
    QVERIFY(!hadEventDispatcher);
    QVERIFY(armed);
    QVERIFY(woke);
    QCOMPARE(reason.kind(), Reason::Kind::Timeout);
    QVERIFY(end >= start + 30ms);
    QVERIFY(reason.canceledAt() >= start + 30ms);
}

void tst_Source::ChildDeadlineIsMin()
{
    Source parent;
    Source child(parent.token());
    Source grandchild(child.token());
    const auto ns = [](const Source &s) { return s.deadline().deadlineNSecs(); };
    QVERIFY(child.deadline().isForever());

    QVERIFY(parent.cancelAfter(10s));
    QCOMPARE(ns(child), ns(parent));
    QCOMPARE(ns(grandchild), ns(parent));
    QCOMPARE(child.token().deadline().deadlineNSecs(), ns(parent));

    QVERIFY(child.cancelAfter(20s)); // later than the parent's: the parent's still applies
    QCOMPARE(ns(child), ns(parent));
    QVERIFY(child.cancelAfter(5s)); // earlier: its own applies
    const qint64 childOwn = ns(child);
    QVERIFY(childOwn < ns(parent));
    QCOMPARE(ns(grandchild), childOwn);

    QVERIFY(parent.cancelAfter(2s)); // re-armed earlier: propagates down
    QCOMPARE(ns(child), ns(parent));
    QCOMPARE(ns(grandchild), ns(parent));
    QVERIFY(child.remainingTime() <= 2000);

    QVERIFY(parent.cancelAfter(1h)); // re-armed later: the child's own is the minimum again
    QCOMPARE(ns(child), childOwn);
    QCOMPARE(ns(grandchild), childOwn);

    // The parent's deadline fires: the child is canceled as ParentCanceled, caused by Timeout.
    Recorder childRecorder(&child);
    const auto start = Clock::now();
    QVERIFY(parent.cancelAfter(30ms));
    QVERIFY(childRecorder.waitForCount(1, 30s));
    QVERIFY(childRecorder.event(0).at >= start + 30ms);
    QCOMPARE(parent.reason().kind(), Reason::Kind::Timeout);
    QCOMPARE(child.reason().kind(), Reason::Kind::ParentCanceled);
    QCOMPARE(child.reason().parent().kind(), Reason::Kind::Timeout);
    QVERIFY(child.reason().parent() == parent.reason());
    // The child emits canceled() before it runs its callbacks, the link to its own child among
    // them.
    QVERIFY(grandchild.token().waitFor(30s));
    QCOMPARE(grandchild.reason().kind(), Reason::Kind::ParentCanceled);
    QVERIFY(grandchild.reason().root() == parent.reason());
    QCOMPARE(childRecorder.count(), 1);
}

void tst_Source::ChildDeadlineIsMinPollOnly()
{
    Source source;
    Source child(source.token());
    Recorder recorder(&source);
    Recorder childRecorder(&child);
    QVERIFY(source.cancelAfter(50ms, Source::DeadlineCheck::PollOnly));
    const qint64 deadlineNs = source.deadline().deadlineNSecs();
    QCOMPARE(child.deadline().deadlineNSecs(), deadlineNs);

    // Before the deadline, a poll says live (checked only if we are provably early).
    const bool early = source.isCanceled();
    if (QDeadlineTimer::current(Qt::PreciseTimer).deadlineNSecs() < deadlineNs)
        QVERIFY(!early);

    // Past the deadline, nothing happens until someone polls.
    QVERIFY(waitForSentinel(100ms));
    QCOMPARE(recorder.count(), 0);
    QCOMPARE(childRecorder.count(), 0);

    QTRY_VERIFY(source.isCanceled()); // the first poll cancels, on this thread
    QCOMPARE(recorder.count(), 1);
    const Recorder::Event event = recorder.event(0);
    QCOMPARE(event.thread, std::this_thread::get_id());
    QCOMPARE(event.reason.kind(), Reason::Kind::Timeout);
    QVERIFY(event.reason.canceledAt().time_since_epoch() >= std::chrono::nanoseconds(deadlineNs));
    QCOMPARE(childRecorder.count(), 1);
    QCOMPARE(child.reason().kind(), Reason::Kind::ParentCanceled);
    QVERIFY(child.reason().parent() == source.reason());

    // A child's poll notices its parent's pull-only deadline and is canceled
    // as ParentCanceled, the parent as Timeout.
    Source parent;
    Source polled(parent.token());
    QVERIFY(parent.cancelAfter(5ms, Source::DeadlineCheck::PollOnly));
    QVERIFY(waitForSentinel(20ms));
    QVERIFY(polled.isCanceled());
    QCOMPARE(parent.reason().kind(), Reason::Kind::Timeout);
    QCOMPARE(polled.reason().kind(), Reason::Kind::ParentCanceled);
    QVERIFY(polled.reason().parent() == parent.reason());
}

void tst_Source::TimerRacesCancel_data()
{
    QTest::addColumn<Source::DeadlineCheck>("check");
    QTest::newRow("timer") << Source::DeadlineCheck::Timer;
    QTest::newRow("pull-only, racing a poller") << Source::DeadlineCheck::PollOnly;
}

void tst_Source::TimerRacesCancel()
{
    QFETCH(Source::DeadlineCheck, check);
    constexpr int rounds = 300;

    std::barrier sync(3);
    std::unique_ptr<Source> source;
    Token token;
    std::atomic<bool> stop = false;
    bool cancelWon = false; // written by the canceler, read after the barrier
    std::atomic<int> pollTimeouts = 0;

    std::thread canceler([&] {
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            cancelWon = source->cancel();
            sync.arrive_and_wait();
        }
    });
    std::thread poller([&] {
        for (;;) {
            sync.arrive_and_wait();
            if (stop.load())
                return;
            if (check == Source::DeadlineCheck::PollOnly) {
                const auto limit = Clock::now() + 10s;
                while (!token.isCanceled() && Clock::now() < limit)
                    std::this_thread::yield();
                if (!token.isCanceled())
                    ++pollTimeouts;
            }
            sync.arrive_and_wait();
        }
    });
    const auto join = qScopeGuard([&] {
        stop.store(true);
        sync.arrive_and_wait();
        canceler.join();
        poller.join();
    });

    int timeouts = 0;
    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        token = source->token();
        Recorder recorder(source.get());
        std::mutex mutex;
        std::vector<Reason> fromCallbacks;
        const Registration registration = token.onCanceled([&](const Reason &reason) {
            std::lock_guard lock(mutex);
            fromCallbacks.push_back(reason);
        });
        // 0 to 99 us, about as long as the barrier takes to release the
        // canceler: some rounds the deadline wins, most it does not.
        QVERIFY(source->cancelAfter(std::chrono::microseconds(round % 100), check));
        sync.arrive_and_wait();
        sync.arrive_and_wait();

        // The winner may still be running the callbacks (the timer thread).
        QVERIFY(recorder.waitForCount(1, 30s));
        QVERIFY(token.waitFor(30s));
        const Reason reason = source->reason();
        QVERIFY2(reason.kind() == Reason::Kind::Timeout
                         || reason.kind() == Reason::Kind::UserRequest,
                 qPrintable(reason.toString()));
        QCOMPARE(cancelWon, reason.kind() == Reason::Kind::UserRequest);
        if (reason.kind() == Reason::Kind::Timeout) {
            ++timeouts;
            // Timed out: the deadline has passed, even if the timer fired
            // before cancelAfter() had published it.
            QCOMPARE(source->remainingTime(), 0);
            QVERIFY(source->deadline().hasExpired());
        }
        QVERIFY(recorder.event(0).reason == reason);
        QVERIFY(token.reason() == reason);
        {
            // The callback runs right after the signal on the same thread; wait for it.
            const auto limit = Clock::now() + 30s;
            for (;;) {
                {
                    std::lock_guard lock(mutex);
                    if (!fromCallbacks.empty() || Clock::now() > limit)
                        break;
                }
                std::this_thread::yield();
            }
            std::lock_guard lock(mutex);
            QCOMPARE(fromCallbacks.size(), size_t(1));
            QVERIFY(fromCallbacks.front() == reason);
        }
        source.reset(); // waits for an emission still in flight
        QCOMPARE(recorder.count(), 1);
    }
    QCOMPARE(pollTimeouts.load(), 0);
    qInfo("the deadline won %d of %d rounds", timeouts, rounds);
}

void tst_Source::TimeoutCallbackReentersScheduler()
{
    // Callbacks of a timeout run on the timer thread. From there, arm another
    // Source and drop the last reference to a third state whose timer is armed:
    // neither may deadlock the timer thread or leave it a dangling entry.
    Source first;
    Source second;
    auto third = std::make_unique<Source>();
    QVERIFY(third->cancelAfter(60ms));
    Token thirdToken = third->token();
    std::atomic<int> thirdCalls = 0;
    Registration thirdRegistration = thirdToken.onCanceled([&thirdCalls] { ++thirdCalls; });
    third.reset(); // the state lives on through thirdToken and thirdRegistration

    std::atomic<bool> rearmed = false;
    std::atomic<bool> removed = false;
    std::atomic<bool> onTimerThread = false;
    const std::thread::id self = std::this_thread::get_id();
    const Registration registration = first.token().onCanceled([&] {
        onTimerThread = std::this_thread::get_id() != self;
        rearmed = second.cancelAfter(10ms);
        removed = thirdRegistration.unregister();
        thirdToken = Token(); // the last reference: ~State runs here, on the timer thread
    });
    QVERIFY(first.cancelAfter(5ms));

    QVERIFY(second.token().waitFor(30s)); // written after the callback, on the same thread
    QCOMPARE(second.reason().kind(), Reason::Kind::Timeout);
    QVERIFY(onTimerThread.load());
    QVERIFY(rearmed.load());
    QVERIFY(removed.load());
    QVERIFY(waitForSentinel(100ms)); // past the third state's deadline
    QCOMPARE(thirdCalls.load(), 0);
}

void tst_Source::CanceledQueuedToReceiverThread()
{
    // The README's pattern: emitted on the canceling thread, delivered through
    // a context object on the receiver's thread. Reason must be queueable.
    Source source;
    QObject receiver;
    int canceledCount = 0;
    int deadlineCount = 0;
    Reason received;
    QThread *deliveredOn = nullptr;
    connect(&source, &Source::canceled, &receiver, [&](const Reason &reason) {
        ++canceledCount;
        received = reason;
        deliveredOn = QThread::currentThread();
    });
    connect(&source, &Source::deadlineChanged, &receiver, [&deadlineCount] { ++deadlineCount; });

    std::thread worker([&source] {
        source.cancelAfter(1h);
        source.cancelWithMessage(QStringLiteral("from a worker"));
    });
    worker.join();
    QCOMPARE(canceledCount, 0); // queued: this thread has not returned to its event loop
    QCOMPARE(deadlineCount, 0);
    QTRY_COMPARE(canceledCount, 1);
    QTRY_COMPARE(deadlineCount, 1);
    QCOMPARE(deliveredOn, QThread::currentThread());
    QVERIFY(received == source.reason());
    QCOMPARE(received.message(), QStringLiteral("from a worker"));
}

void tst_Source::Properties_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("notify");
    QTest::addColumn<bool>("writable");
    QTest::newRow("canceled") << QByteArray("canceled")
                              << QByteArray("canceled(Cancellation::Reason)") << false;
    QTest::newRow("reason") << QByteArray("reason") << QByteArray("canceled(Cancellation::Reason)")
                            << false;
    QTest::newRow("reasonText") << QByteArray("reasonText")
                                << QByteArray("canceled(Cancellation::Reason)") << false;
    QTest::newRow("deadline") << QByteArray("deadline") << QByteArray("deadlineChanged()") << false;
    QTest::newRow("debugName") << QByteArray("debugName") << QByteArray("debugNameChanged(QString)")
                               << true;
}

void tst_Source::Properties()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, notify);
    QFETCH(bool, writable);

    const QMetaObject &mo = Source::staticMetaObject;
    const QMetaProperty property = mo.property(mo.indexOfProperty(name.constData()));
    QVERIFY(property.isValid());
    QVERIFY(property.isReadable());
    QCOMPARE(property.isWritable(), writable);
    QVERIFY(property.hasNotifySignal());
    QCOMPARE(property.notifySignal().methodSignature(), notify);
}

void tst_Source::RemainingTimeIsAFunction()
{
    // It changes with time, which no NOTIFY signal can follow: QML calls it.
    const QMetaObject &mo = Source::staticMetaObject;
    QCOMPARE(mo.indexOfProperty("remainingTime"), -1);
    const int index = mo.indexOfMethod("remainingTime()");
    QVERIFY(index >= 0);
    QCOMPARE(mo.method(index).methodType(), QMetaMethod::Method);

    Source source;
    qint64 remaining = 0;
    QVERIFY(QMetaObject::invokeMethod(&source, "remainingTime", Qt::DirectConnection,
                                      Q_RETURN_ARG(qint64, remaining)));
    QCOMPARE(remaining, qint64(-1));
}

void tst_Source::PropertyValuesAndNotify()
{
    Source source;
    QCOMPARE(source.property("canceled").toBool(), false);
    QCOMPARE(source.property("reason").value<Reason>().kind(), Reason::Kind::None);
    QCOMPARE(source.property("reasonText").toString(), QStringLiteral("not canceled"));
    QVERIFY(source.property("deadline").value<QDeadlineTimer>().isForever());
    QCOMPARE(source.remainingTime(), qint64(-1));
    QVERIFY(source.property("debugName").toString().isEmpty());

    QSignalSpy nameSpy(&source, &Source::debugNameChanged);
    QVERIFY(source.setProperty("debugName", QStringLiteral("download")));
    QCOMPARE(nameSpy.count(), 1);
    QCOMPARE(nameSpy.at(0).at(0).toString(), QStringLiteral("download"));
    source.setDebugName(QStringLiteral("download")); // unchanged: no signal
    QCOMPARE(nameSpy.count(), 1);
    QCOMPARE(source.property("debugName").toString(), QStringLiteral("download"));
    QCOMPARE(source.token().debugName(), QStringLiteral("download"));

    QSignalSpy deadlineSpy(&source, &Source::deadlineChanged);
    QVERIFY(source.cancelAfter(1h));
    QCOMPARE(deadlineSpy.count(), 1);
    const qint64 remaining = source.remainingTime();
    QVERIFY2(remaining > 3'500'000 && remaining <= 3'600'000,
             qPrintable(QString::number(remaining)));
    const auto deadline = source.property("deadline").value<QDeadlineTimer>();
    QVERIFY(!deadline.isForever());
    QCOMPARE(deadline.deadlineNSecs(), source.deadline().deadlineNSecs());

    QSignalSpy canceledSpy(&source, &Source::canceled);
    QVERIFY(QMetaObject::invokeMethod(&source, "cancel"));
    QCOMPARE(canceledSpy.count(), 1);
    QCOMPARE(source.property("canceled").toBool(), true);
    QCOMPARE(source.property("reason").value<Reason>().kind(), Reason::Kind::UserRequest);
    QCOMPARE(source.property("reasonText").toString(), QStringLiteral("canceled by user"));

    // cancelAfterMSecs is an invokable slot too.
    Source other;
    bool ok = false;
    QVERIFY(QMetaObject::invokeMethod(&other, "cancelAfterMSecs", Qt::DirectConnection,
                                      Q_RETURN_ARG(bool, ok), Q_ARG(qint64, 0)));
    QVERIFY(ok);
    QCOMPARE(other.reason().kind(), Reason::Kind::Timeout);
}

// Several threads set the same new name at once: the name changes once, so
// debugNameChanged() is emitted once. Checking and setting are one step.
void tst_Source::ConcurrentSetDebugNameNotifiesOnce()
{
    constexpr int rounds = 10'000;
    std::unique_ptr<Source> source;
    RoundThreads setters(4, [&](int) { source->setDebugName(QStringLiteral("worker")); });
    QObject receiver;
    for (int round = 0; round < rounds; ++round) {
        source = std::make_unique<Source>();
        std::atomic<int> emissions { 0 };
        connect(
                source.get(), &Source::debugNameChanged, &receiver,
                [&emissions] { emissions.fetch_add(1, std::memory_order_relaxed); },
                Qt::DirectConnection);
        setters.run();
        QCOMPARE(emissions.load(), 1);
    }
}

void tst_Source::CanceledIsPrivateSignal()
{
    // See the static_asserts at the top: canceled() takes a second, private
    // tag argument that outside code cannot name. moc recognises exactly
    // QPrivateSignal and hides it from the meta-object.
    QVERIFY(QByteArray(typeid(CanceledTag).name()).contains("QPrivateSignal"));
    const QMetaMethod canceled = QMetaMethod::fromSignal(&Source::canceled);
    QVERIFY(canceled.isValid());
    QCOMPARE(canceled.parameterCount(), 1);
    QCOMPARE(canceled.methodSignature(), QByteArray("canceled(Cancellation::Reason)"));
    QCOMPARE(QMetaMethod::fromSignal(&Source::deadlineChanged).parameterCount(), 0);
}

QTEST_GUILESS_MAIN(tst_Source)
#include "tst_source.moc"
