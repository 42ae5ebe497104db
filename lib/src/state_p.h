// SPDX-License-Identifier: MIT
#pragma once

#include "callbacknode_p.h"
#include "clock_p.h"
#include "wakeword_p.h"

#include <Cancellation/reason.h>
#include <Cancellation/registration.h>

#include <QtCore/QMutex>
#include <QtCore/QString>
#include <QtCore/QVarLengthArray>

#include <atomic>
#include <limits>
#include <map>
#include <memory>
#include <mutex> // std::lock_guard, std::unique_lock
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace Cancellation::detail {

class State;

/*
    A parent's callback that cancels one child. The child owns the link
    through its m_parentLinks, and the link to its first parent lives inside
    the child's state; the link points back at the child without a
    reference, except while a canceling parent holds it in m_held. A
    canceling parent never calls invoke(): State::markChildren() unlinks the
    link and marks the child, so that the tree is walked without recursion.
*/
class ChildLink final : public CallbackNode
{
public:
    ChildLink(State *child, bool inChild)
        : CallbackNode(Role::ChildLink), m_child(child), m_inChild(inChild)
    {
    }
    ~ChildLink() override = default;

    // Only for a link registered with a parent that is already canceled,
    // which runs it inside State::create(), while the child is made.
    void invoke(const Reason &reason) override;
    // A link inside the child's state is destroyed with it.
    void destroy(SpareNode &) noexcept override
    {
        if (!m_inChild)
            delete this;
    }

    // Valid while this link is linked and its parent's mutex is held: a
    // child's destructor takes that mutex to unlink it before anything of
    // the child is destroyed.
    State *child() const { return m_child; }
    // The child, or null if its last reference is gone and its destructor
    // waits for the parent's mutex. Under that mutex, as child().
    std::shared_ptr<State> lockChild() const;

private:
    friend class State;

    State *const m_child;
    const bool m_inChild;
    // Holds the child while a canceling parent has this link out of its list
    // and has yet to mark the child: see State::markChildren().
    std::shared_ptr<State> m_held;
};

/*
    The shared state behind a Source and its Tokens. Owned by shared_ptr: the
    Source, every Token and every Registration hold a reference, and a child
    holds its parents.

    Thread-safe. Callbacks run one at a time on the canceling thread, with
    m_mutex released. A child is a ChildLink callback in each parent's list,
    so parent-to-child cancellation has the same exactly-once and
    unregister-waits guarantees as user callbacks. Cancellation reaches
    children without recursion: the canceling thread first marks the whole
    tree below (no user code runs meanwhile), then runs the callbacks level
    by level, so trees of any depth are canceled and destroyed on a bounded
    stack, and no descendant this cancellation marks reads live while any of
    its callbacks run. (A child that another parent's concurrent cancellation
    marked first is finished by that one, its subtree too.)
*/
class State : public std::enable_shared_from_this<State>
{
public:
    /*
        How a Source follows its state, without an allocation or a callback
        registration of its own: canceled is called on the canceling thread
        before any callback, deadlineChanged on the thread that changed
        effectiveDeadline(), after the change. Both with no lock held, one call
        at a time, except one made from inside another on the same thread.
        Set by create() before the state is shared, so that no lock is needed
        for it: a parent that is already canceled calls canceled from inside
        create(). stopObserver() ends the calls.
    */
    struct Observer
    {
        void (*canceled)(void *context, const Reason &reason) = nullptr;
        void (*deadlineChanged)(void *context) = nullptr;
        void *context = nullptr;
    };
    // Only for create(), which std::make_shared calls the constructor from.
    struct CreateKey
    {
        explicit CreateKey() = default;
    };
    explicit State(CreateKey) { }
    // Makes a state linked to parents, which observer follows from the start.
    static std::shared_ptr<State> create(std::span<const std::shared_ptr<State>> parents,
                                         const Observer &observer);
    ~State();

    // The fast path stays inline: one acquire load unless a deadline is armed.
    bool isCanceled() noexcept
    {
        const qint64 word = m_word.load(std::memory_order_acquire);
        if (word == NoDeadlineNs)
            return false;
        if (word == CanceledWord)
            return true;
        return pollDeadline(word);
    }

    // The word that Token::isCanceled() reads inline: NoDeadlineNs, CanceledWord or a deadline.
    const std::atomic<qint64> *cancellationWord() const noexcept { return &m_word; }
    static_assert(NoDeadlineNs == std::numeric_limits<qint64>::max(),
                  "Token::isCanceled() relies on it");

    // Returns true if this call won. parent is the parent's reason for ParentCanceled.
    bool cancel(Reason::Kind kind, const QString &message, int signalNumber,
                const Reason *parent = nullptr);
    Reason reason() const;

    // Returns isCanceled() at return; wakes early on cancel.
    bool waitUntil(qint64 deadlineNs);

    // Arms (or with NoDeadlineNs disarms) this state's own deadline. A
    // deadline at or before now cancels at once with Timeout. Without
    // armTimer, only polls and waits notice the deadline. Returns false, and
    // changes nothing, if already canceled.
    bool setOwnDeadline(qint64 deadlineNs, bool armTimer);
    // The earliest of the own and the parents' deadlines; kept after cancellation.
    qint64 effectiveDeadline() const noexcept
    {
        return m_effectiveDeadline.load(std::memory_order_acquire);
    }

    // Links node until unregister(node). Runs it at once on this thread if
    // already canceled.
    void registerCallback(CallbackNode *node);
    // For UserCallback::create(): the memory of an unregistered node, kept for reuse.
    SpareNode &spareNode() noexcept { return m_spareNode; }
    // See Registration::unregister(). Ends node with destroy(), or, when
    // called from inside node's own callback, leaves that to runCallbacks(),
    // which destroys a heap node and never reads a scoped one again.
    bool unregister(CallbackNode *node);
    bool isPending(const CallbackNode *node) const;

    // Stops the observer's calls for good, and waits for one in flight on
    // another thread. From inside a call, returns at once: that call returns
    // to its emitter, which expects it.
    void stopObserver();

    QString debugName() const;
    // Returns false, and changes nothing, if the name is already name.
    bool setDebugName(const QString &name);
    qsizetype childCount() const noexcept { return m_childCount.load(std::memory_order_relaxed); }
    qsizetype registrationCount() const noexcept
    {
        return m_userCount.load(std::memory_order_relaxed);
    }

    // Called by the DeadlineScheduler when the own deadline is due.
    void onDeadlineTimer();

private:
    friend class DeadlineScheduler;

    static constexpr qint64 CanceledWord =
            std::numeric_limits<qint64>::min(); // Token::isCanceled() relies on it

    bool isCanceledWord() const noexcept
    {
        return m_word.load(std::memory_order_acquire) == CanceledWord;
    }
    bool pollDeadline(qint64 word) noexcept;
    bool settleOneStep() noexcept;
    // The first half of a cancellation, with no user code: returns false if
    // already canceled; otherwise sets the reason, settles the effective
    // deadline, wakes the waiters and stops the timer. The caller holds a
    // reference to this state.
    bool markCanceled(Reason::Kind kind, const QString &message, int signalNumber,
                      const Reason *parent);
    // The second half: marks the whole tree below, then announces moved
    // deadlines and runs the callbacks, of this state first, then level by
    // level.
    void finishCancel();
    // Takes every child's link out of this state's list, marks the live
    // children canceled and appends them to the list that ends at tail.
    void markChildren(State *&tail);
    // Appends child, which holds itself until finishCancel() is done with it.
    static void append(State *&tail, std::shared_ptr<State> child) noexcept;
    void runCallbacks();
    void detachFromParents();
    void unlinkChildLink(CallbackNode *node);
    // Recomputes the effective deadline of this state and, if it changed, of
    // the states below; notifies waiters and observers of each that changed,
    // except this state's own observer when notifySelf is false.
    void recomputeDeadline(bool notifySelf = true);
    void notifyObserver(const Reason *canceled);
    void invokeCaught(CallbackNode *node, const Reason &reason) noexcept;
    void link(CallbackNode *node);
    void unlink(CallbackNode *node);
    void adjustCount(const CallbackNode *node, int delta);
    // Waits, lock held on entry and return, until done() holds; m_callbackFinished wakes it.
    template<typename Predicate>
    void waitForCallbacks(std::unique_lock<QMutex> &lock, Predicate done);
    // Under m_mutex, after a callback or an observer call finished: wakes the waiters.
    void callbackFinished() noexcept;

    // NoDeadlineNs: live, no deadline. CanceledWord: canceled. Otherwise:
    // live with the effective deadline, in steady-clock nanoseconds.
    std::atomic<qint64> m_word { NoDeadlineNs };
    std::atomic<qint64> m_ownDeadline { NoDeadlineNs };
    // Changed under m_mutex, in the same critical section as the walk over
    // the children's links that recomputes them, or by markCanceled(), whose
    // cancellation then marks every child still linked and settles theirs:
    // create() relies on it to read the parents' without a lock.
    std::atomic<qint64> m_effectiveDeadline { NoDeadlineNs };
    std::atomic<qsizetype> m_childCount { 0 };
    std::atomic<qsizetype> m_userCount { 0 };
    WakeWord m_wake;

    // QMutex locks and unlocks inline with one atomic operation each, where a
    // std::mutex calls into pthread: registering and unregistering a callback
    // take it twice. It waits with m_callbackFinished: on Linux a futex word
    // instead of a 48-byte std::condition_variable.
    mutable QMutex m_mutex;
    // Notified under m_mutex when a callback or an observer call finishes, if
    // m_callbackWaiters threads wait for one.
    WakeWord m_callbackFinished;
    int m_callbackWaiters = 0;
    // The node whose callback runCallbacks() is running; null once it is
    // unregistered from inside that callback, on its own thread, after which
    // runCallbacks() finishes it without reading it.
    CallbackNode *m_running = nullptr;
    SpareNode m_spareNode;
    CallbackNode *m_head = nullptr; // pending callbacks, in registration order
    CallbackNode *m_tail = nullptr;
    Observer m_observer; // set by create(), then only read
    // Calls in flight, all on m_observerThread; written under m_mutex, read
    // without it by stopObserver().
    std::atomic<int> m_observerDepth { 0 };
    // Set by stopObserver(): notifyObserver() calls nothing from then on.
    std::atomic<bool> m_observerStopped { false };
    std::thread::id m_observerThread;
    Reason m_reason; // written once, under m_mutex, by the winning cancel(); read-only after
    // Allocated in create() and used by the winning cancel(), which so allocates
    // nothing: a parent cancels 10,000 children without touching fresh heap pages.
    std::shared_ptr<Reason::Data> m_reasonStorage;
    QString m_debugName;

    // The states marked by one cancellation whose callbacks are still to run:
    // an intrusive list owned by the canceling thread, so propagation
    // allocates nothing. Each marked child holds itself until it is done.
    State *m_nextPending = nullptr;
    std::shared_ptr<State> m_pendingHold;
    // Set by the winning markCanceled() when it moved the effective deadline,
    // for finishCancel() on the same thread to announce.
    bool m_deadlineUnannounced = false;

    // The link to the first parent; before m_parentLinks, which points at it.
    std::optional<ChildLink> m_firstParentLink;
    // One per parent, whose m_state is the parent: filled in create() before
    // any link is registered, and unchanged until the destructor.
    QVarLengthArray<Registration, 1> m_parentLinks;

    // Guarded by the DeadlineScheduler's mutex.
    std::multimap<qint64, State *>::iterator m_timerEntry;
    bool m_timerArmed = false;
};

} // namespace Cancellation::detail
