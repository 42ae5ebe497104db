// SPDX-License-Identifier: MIT
#include "state_p.h"

#include "deadlinescheduler_p.h"
#include "reason_p.h"

#include <Cancellation/logging.h>

#include <algorithm>
#include <exception>
#include <iterator>
#include <typeinfo>

namespace Cancellation::detail {

namespace {

// Drops references to states without recursing: in a long chain, each state
// may hold the last reference to its parent. The outermost call on a thread
// drains what the destructors it runs hand back.
thread_local std::vector<std::shared_ptr<State>> *t_releasing = nullptr;

void releaseIteratively(std::span<std::shared_ptr<State>> states) noexcept
{
    if (t_releasing) {
        std::move(states.begin(), states.end(), std::back_inserter(*t_releasing));
        return;
    }
    // Allocates only when a release here destroys a parent that has parents.
    std::vector<std::shared_ptr<State>> queue;
    t_releasing = &queue;
    for (std::shared_ptr<State> &state : states)
        state.reset(); // may append this state's parents to queue
    while (!queue.empty()) {
        std::shared_ptr<State> state = std::move(queue.back());
        queue.pop_back();
        state.reset(); // may append this state's parents to queue
    }
    t_releasing = nullptr;
}

} // namespace

template<typename Predicate>
void State::waitForCallbacks(std::unique_lock<QMutex> &lock, Predicate done)
{
    while (!done()) {
        // Counted and read under the lock: whoever makes done() true then
        // sees a waiter, and its notify() ends the wait below.
        const WakeWord::Epoch epoch = m_callbackFinished.epoch();
        ++m_callbackWaiters;
        lock.unlock();
        m_callbackFinished.waitUntil(NoDeadlineNs, epoch);
        lock.lock();
        --m_callbackWaiters;
    }
}

void State::callbackFinished() noexcept
{
    // Without a waiter, not even the atomic operation of a notify().
    if (m_callbackWaiters > 0)
        m_callbackFinished.notify();
}

std::shared_ptr<State> ChildLink::lockChild() const
{
    return m_child->weak_from_this().lock();
}

void ChildLink::invoke(const Reason &reason)
{
    // Inside State::create(), which holds the child.
    m_child->cancel(Reason::Kind::ParentCanceled, QString(), 0, &reason);
}

std::shared_ptr<State> State::create(std::span<const std::shared_ptr<State>> parents,
                                     const Observer &observer)
{
    // The first cancel must not allocate: make the logging category now.
    lcCancellation();
    auto state = std::make_shared<State>(CreateKey());
    state->m_reasonStorage = std::make_shared<Reason::Data>();
    Q_ASSERT(observer.canceled && observer.deadlineChanged && observer.context);
    state->m_observer = observer; // nobody else can see the state yet
    if (parents.empty())
        return state;
    // Every link exists before the first is registered, so that a parent
    // that cancels us meanwhile, on another thread, reads a complete list.
    // The first link lives in the state itself: a child of one parent
    // allocates no more than a root.
    state->m_parentLinks.reserve(parents.size());
    state->m_parentLinks.push_back(
            Registration(parents.front(), &state->m_firstParentLink.emplace(state.get(), true)));
    for (const std::shared_ptr<State> &parent : parents.subspan(1))
        state->m_parentLinks.push_back(Registration(parent, new ChildLink(state.get(), false)));
    for (const Registration &link : state->m_parentLinks)
        link.m_state->registerCallback(
                link.m_node); // cancels state at once if the parent is canceled
    // Canceled by one parent before the later links were registered: take them back.
    if (state->isCanceledWord())
        state->detachFromParents();
    // Only a parent's deadline can give a new state one. Read after linking:
    // a parent that publishes a deadline later finds this state in its list
    // and recomputes it, so none is missed when all read "none" here.
    const bool parentHasDeadline =
            std::any_of(parents.begin(), parents.end(), [](const std::shared_ptr<State> &parent) {
                return parent->effectiveDeadline() != NoDeadlineNs;
            });
    // Its own Source is still being made: nobody to tell of its first deadline.
    if (parentHasDeadline)
        state->recomputeDeadline(false);
    return state;
}

State::~State()
{
    // Unlink from the parents first; this waits for a parent's link in flight.
    // The parents themselves are released last, without recursion.
    QVarLengthArray<std::shared_ptr<State>, 1> parents;
    for (Registration &link : m_parentLinks) {
        CallbackNode *node = std::exchange(link.m_node, nullptr);
        parents.push_back(std::move(link.m_state));
        parents.back()->unregister(node);
    }
    if (m_ownDeadline.load(std::memory_order_relaxed) != NoDeadlineNs)
        DeadlineScheduler::instance().remove(this);
    releaseIteratively(parents);
}

bool State::cancel(Reason::Kind kind, const QString &message, int signalNumber,
                   const Reason *parent)
{
    // Leave the parents' childCount() first, so that whoever sees this state
    // canceled sees the count without it. Harmless if another cancel wins:
    // this state is canceled either way. (Not under markCanceled()'s lock:
    // parents' mutexes are taken before children's.)
    detachFromParents();
    if (!markCanceled(kind, message, signalNumber, parent))
        return false;
    finishCancel();
    return true;
}

bool State::markCanceled(Reason::Kind kind, const QString &message, int signalNumber,
                         const Reason *parent)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_word.load(std::memory_order_relaxed) == CanceledWord)
            return false;
        m_reason = Reason(kind, message, signalNumber, std::chrono::steady_clock::now(), parent,
                          std::move(m_reasonStorage));
        // The effective deadline is kept from now on: settle it first, as
        // recomputeDeadline() would. A cancel can come before the recompute
        // that follows an arm in setOwnDeadline(): the timer's own, a parent's
        // cancel of its children, another thread's, or a child linking to a
        // parent canceled already. deadline() and remainingTime() must report
        // the deadline all the same. (The caller holds this state, so that
        // ~State cannot be moving the parents out of m_parentLinks.)
        qint64 deadline = m_ownDeadline.load(std::memory_order_acquire);
        for (const Registration &link : m_parentLinks)
            deadline = std::min(deadline, link.m_state->effectiveDeadline());
        if (deadline != m_effectiveDeadline.load(std::memory_order_relaxed)) {
            m_effectiveDeadline.store(deadline, std::memory_order_release);
            m_deadlineUnannounced = true; // by finishCancel(), once no lock is held
        }
        m_word.store(CanceledWord, std::memory_order_release);
    }
    m_wake.signal();
    if (m_ownDeadline.load(std::memory_order_relaxed) != NoDeadlineNs)
        DeadlineScheduler::instance().remove(this);
    return true;
}

void State::finishCancel()
{
    // First mark every state of the tree below, with no user code: no
    // descendant reads live while any callback of this cancellation runs.
    State *tail = this;
    for (State *state = this; state; state = state->m_nextPending)
        state->markChildren(tail);
    // Then the callbacks: this state's first, then level by level.
    State *state = this;
    std::shared_ptr<State> hold; // the caller holds this state; marked children hold themselves
    while (state) {
        if (lcCancellation().isDebugEnabled()) {
            const Reason &reason = state->m_reason;
            qCDebug(lcCancellation()).noquote()
                    << "canceled" << state->debugName()
                    << (reason.kind() == Reason::Kind::ParentCanceled
                                ? QStringLiteral("by its parent: %1").arg(reason.root().toString())
                                : reason.toString());
        }
        // deadlineChanged() before canceled(), as the deadline settled first.
        if (std::exchange(state->m_deadlineUnannounced, false))
            state->notifyObserver(nullptr);
        state->runCallbacks();
        State *next = std::exchange(state->m_nextPending, nullptr);
        if (next)
            hold = std::move(next->m_pendingHold); // may destroy the state just finished
        state = next;
    }
}

void State::markChildren(State *&tail)
{
    // Links taken out of this list whose child is finished below, without this
    // lock: each holds its child. No allocation: a link is in one list at a
    // time, and this one belongs to this thread once it is out of its parent's.
    ChildLink *later = nullptr;
    {
        std::lock_guard lock(m_mutex);
        CallbackNode *next = nullptr;
        for (CallbackNode *node = m_head; node; node = next) {
            next = node->m_next;
            if (node->m_role != CallbackNode::Role::ChildLink)
                continue;
            auto *link = static_cast<ChildLink *>(node);
            // Every child leaves this list before it reads canceled, so that
            // whoever sees it canceled sees childCount() without it. Neither
            // runCallbacks() nor the child comes back to this list for it: in a
            // wide tree, that would be a second trip to memory per child.
            unlink(node);
            node->m_status = CallbackNode::Status::Done; // the child's Registration deletes it
            // Null if the child's last reference is gone and its destructor is
            // waiting for this mutex: then nobody can observe it.
            std::shared_ptr<State> child = link->lockChild();
            if (!child)
                continue;
            if (child->m_parentLinks.size() == 1
                && child->markCanceled(Reason::Kind::ParentCanceled, QString(), 0, &m_reason)) {
                append(tail, std::move(child)); // released outside this lock, in finishCancel()
                continue;
            }
            // A child of several parents, or one canceled meanwhile, whose
            // reference may be the last: its destructor takes this mutex.
            link->m_held = std::move(child);
            link->m_next = later;
            later = link;
        }
    }
    // A child of several parents leaves the others too before it reads
    // canceled, each under its own mutex: with this one released, as siblings'
    // mutexes have no order. Still before any callback of this cancellation.
    while (ChildLink *link = later) {
        later = static_cast<ChildLink *>(std::exchange(link->m_next, nullptr));
        std::shared_ptr<State> child = std::move(link->m_held);
        if (child->m_parentLinks.size() > 1)
            child->detachFromParents();
        if (child->markCanceled(Reason::Kind::ParentCanceled, QString(), 0, &m_reason)) {
            // Once more: create() may have registered a link since, which it
            // takes back itself only if it sees this state canceled.
            if (child->m_parentLinks.size() > 1)
                child->detachFromParents();
            append(tail, std::move(child));
        }
    }
}

void State::append(State *&tail, std::shared_ptr<State> child) noexcept
{
    State *const state = child.get();
    state->m_pendingHold = std::move(child);
    tail->m_nextPending = state;
    tail = state;
}

Reason State::reason() const
{
    std::lock_guard lock(m_mutex);
    return m_reason;
}

void State::runCallbacks()
{
    // m_reason was set once by the winning cancel(), and is only read from
    // then on: the callbacks may read it without the lock.
    const Reason &reason = m_reason;
    notifyObserver(&reason); // Source::canceled(), before any callback
    std::unique_lock lock(m_mutex);
    while (CallbackNode *node = m_head) {
        unlink(node);
        node->m_status = CallbackNode::Status::Running;
        node->m_runningOn = std::this_thread::get_id();
        m_running = node;
        lock.unlock();
        // markChildren() has taken every child's link out of the list, and a
        // link registered since ran at once, as this state is canceled.
        Q_ASSERT(node->m_role != CallbackNode::Role::ChildLink);
        // Read now: if the callback destroys its ScopedCallback, node is gone.
        const bool scoped = node->m_role == CallbackNode::Role::Scoped;
        invokeCaught(node, reason);
        lock.lock();
        if (std::exchange(m_running, nullptr) != node) {
            // Unregistered from inside its own callback, so nobody waits for
            // it. A heap node is ours to delete, without the lock, as its
            // functor's destructor may call back in; a scoped node's memory
            // may be gone already.
            if (!scoped) {
                lock.unlock();
                node->destroy(m_spareNode);
                lock.lock();
            }
            continue;
        }
        node->m_status = CallbackNode::Status::Done;
        callbackFinished();
    }
}

void State::detachFromParents()
{
    // A canceled child is no longer one of its parents' live children.
    for (const Registration &link : m_parentLinks)
        link.m_state->unlinkChildLink(link.m_node);
}

void State::unlinkChildLink(CallbackNode *node)
{
    std::lock_guard lock(m_mutex);
    if (node->m_status != CallbackNode::Status::Linked)
        return;
    unlink(node);
    node->m_status = CallbackNode::Status::Done; // the child's Registration deletes it
}

void State::invokeCaught(CallbackNode *node, const Reason &reason) noexcept
{
    try {
        node->invoke(reason);
    } catch (const std::exception &e) {
        qCWarning(lcCancellation(),
                  "A cancellation callback threw %s: %s; the other callbacks still run",
                  typeid(e).name(), e.what());
    } catch (...) {
        qCWarning(lcCancellation(),
                  "A cancellation callback threw a non-standard exception; the other callbacks "
                  "still run");
    }
}

void State::registerCallback(CallbackNode *node)
{
    isCanceled(); // a passed deadline cancels now, so the callback runs inline below
    std::unique_lock lock(m_mutex);
    if (m_word.load(std::memory_order_relaxed) != CanceledWord) {
        link(node);
        return;
    }
    const Reason reason = m_reason;
    node->m_status = CallbackNode::Status::Running;
    node->m_runningOn = std::this_thread::get_id();
    lock.unlock();
    invokeCaught(node, reason);
    lock.lock();
    node->m_status = CallbackNode::Status::Done;
    callbackFinished();
}

bool State::unregister(CallbackNode *node)
{
    std::unique_lock lock(m_mutex);
    bool removed = false;
    switch (node->m_status) {
    case CallbackNode::Status::Linked:
        unlink(node);
        node->m_status = CallbackNode::Status::Done;
        removed = true;
        break;
    case CallbackNode::Status::Running:
        if (node->m_runningOn == std::this_thread::get_id()) {
            // Called from inside the callback: waiting would deadlock.
            // runCallbacks() finishes the node once the callback returns. It
            // runs one callback at a time, and is the only place where a
            // running callback's owner can already be reached: one run inline
            // by registerCallback() belongs to a registration not yet made.
            // Never a child's link: a link inside its child would go with it.
            Q_ASSERT(node->m_role != CallbackNode::Role::ChildLink);
            Q_ASSERT(node == m_running);
            if (node == m_running)
                m_running = nullptr;
            return false;
        }
        waitForCallbacks(lock, [node] { return node->m_status != CallbackNode::Status::Running; });
        break;
    case CallbackNode::Status::Unlinked:
    case CallbackNode::Status::Done:
        break;
    }
    lock.unlock();
    node->destroy(m_spareNode);
    return removed;
}

bool State::isPending(const CallbackNode *node) const
{
    std::lock_guard lock(m_mutex);
    return node->m_status == CallbackNode::Status::Linked;
}

void State::stopObserver()
{
    // Without the lock unless a call is in flight. Sequentially consistent,
    // as notifyObserver() counts its call and then reads the flag: either it
    // sees the flag, or this sees its call. A count of 0 read here comes from
    // a release store after every earlier call ended: the Source may go.
    m_observerStopped.store(true, std::memory_order_seq_cst);
    if (m_observerDepth.load(std::memory_order_seq_cst) == 0)
        return;
    std::unique_lock lock(m_mutex);
    if (m_observerDepth.load(std::memory_order_relaxed) > 0
        && m_observerThread == std::this_thread::get_id())
        return; // from inside a call: that call returns to its emitter, which expects it
    waitForCallbacks(lock, [this] { return m_observerDepth.load(std::memory_order_relaxed) == 0; });
}

void State::notifyObserver(const Reason *canceled)
{
    std::unique_lock lock(m_mutex);
    waitForCallbacks(lock, [this] {
        return m_observerDepth.load(std::memory_order_relaxed) == 0
                || m_observerThread == std::this_thread::get_id();
    });
    // Counted before the flag is read: see stopObserver().
    const int depth = m_observerDepth.load(std::memory_order_relaxed) + 1;
    m_observerDepth.store(depth, std::memory_order_seq_cst);
    if (m_observerStopped.load(std::memory_order_seq_cst)) {
        m_observerDepth.store(depth - 1, std::memory_order_release);
        if (depth == 1)
            callbackFinished();
        return;
    }
    const Observer observer = m_observer;
    m_observerThread = std::this_thread::get_id();
    lock.unlock();
    try {
        if (canceled)
            observer.canceled(observer.context, *canceled);
        else
            observer.deadlineChanged(observer.context);
    } catch (...) {
        qCWarning(lcCancellation(),
                  "A slot connected to a Source's signal threw; the exception is dropped");
    }
    lock.lock();
    const int left = m_observerDepth.load(std::memory_order_relaxed) - 1;
    m_observerDepth.store(left, std::memory_order_release); // the call's end, for stopObserver()
    if (left == 0)
        callbackFinished();
}

void State::link(CallbackNode *node)
{
    node->m_prev = m_tail;
    node->m_next = nullptr;
    if (m_tail)
        m_tail->m_next = node;
    else
        m_head = node;
    m_tail = node;
    node->m_status = CallbackNode::Status::Linked;
    adjustCount(node, +1);
}

void State::unlink(CallbackNode *node)
{
    if (node->m_prev)
        node->m_prev->m_next = node->m_next;
    else
        m_head = node->m_next;
    if (node->m_next)
        node->m_next->m_prev = node->m_prev;
    else
        m_tail = node->m_prev;
    node->m_prev = node->m_next = nullptr;
    node->m_status = CallbackNode::Status::Unlinked;
    adjustCount(node, -1);
}

void State::adjustCount(const CallbackNode *node, int delta)
{
    // Always under m_mutex, so a load and a store do: no read-modify-write needed.
    switch (node->m_role) {
    case CallbackNode::Role::User:
    case CallbackNode::Role::Scoped:
        m_userCount.store(m_userCount.load(std::memory_order_relaxed) + delta,
                          std::memory_order_relaxed);
        break;
    case CallbackNode::Role::ChildLink:
        m_childCount.store(m_childCount.load(std::memory_order_relaxed) + delta,
                           std::memory_order_relaxed);
        break;
    }
}

bool State::pollDeadline(qint64 word) noexcept
{
    if (steadyNowNs() < word)
        return false;
    // The effective deadline has passed: it is a cancellation from now on,
    // whoever else is canceling this tree at the moment.
    for (;;) {
        word = m_word.load(std::memory_order_acquire);
        if (word == CanceledWord)
            return true;
        if (word == NoDeadlineNs || steadyNowNs() < word)
            return false; // re-armed later meanwhile
        if (!settleOneStep())
            return isCanceledWord();
    }
}

bool State::settleOneStep() noexcept
{
    // Walk up from this state to where the passed deadline comes from. Every
    // state on the way is live and its effective deadline has passed.
    State *current = this;
    for (;;) {
        const qint64 now = steadyNowNs();
        if (now >= current->m_ownDeadline.load(std::memory_order_acquire)) {
            // Its own deadline: cancel it, which reaches this state unless
            // another thread is already on the way.
            current->cancel(Reason::Kind::Timeout, QString(), 0);
            return true;
        }
        State *next = nullptr;
        for (const Registration &link : current->m_parentLinks) {
            State *parent = link.m_state.get();
            if (parent->isCanceledWord()) {
                // Canceled, and its cancellation has not reached current yet
                // (it may be running other callbacks): do not wait for it.
                // The parent's reason is written before its word, and never again.
                current->cancel(Reason::Kind::ParentCanceled, QString(), 0, &parent->m_reason);
                return true;
            }
            if (!next && parent->effectiveDeadline() <= now)
                next = parent;
        }
        if (!next) {
            current->recomputeDeadline(); // a parent was re-armed later and we saw it late
            return false;
        }
        current = next;
    }
}

void State::recomputeDeadline(bool notifySelf)
{
    // Iterative, so that a re-arm reaches a chain of any depth.
    std::vector<std::shared_ptr<State>> children;
    State *state = this;
    std::shared_ptr<State> hold;
    for (;;) {
        bool changed = false;
        {
            std::lock_guard lock(state->m_mutex);
            const qint64 previous = state->m_word.load(std::memory_order_relaxed);
            if (previous != CanceledWord) {
                qint64 deadline = state->m_ownDeadline.load(std::memory_order_acquire);
                for (const Registration &link : state->m_parentLinks)
                    deadline = std::min(deadline, link.m_state->effectiveDeadline());
                if (deadline != previous) {
                    changed = true;
                    state->m_effectiveDeadline.store(deadline, std::memory_order_release);
                    state->m_word.store(deadline, std::memory_order_release);
                    for (CallbackNode *node = state->m_head; node; node = node->m_next) {
                        if (node->m_role != CallbackNode::Role::ChildLink)
                            continue;
                        if (std::shared_ptr<State> child =
                                    static_cast<ChildLink *>(node)->lockChild())
                            children.push_back(std::move(child));
                    }
                }
            }
        }
        if (changed) {
            state->m_wake.notify(); // waiters sleep until the old deadline: let them re-read it
            if (notifySelf || state != this)
                state->notifyObserver(nullptr);
        }
        if (children.empty())
            return;
        hold = std::move(children.back());
        children.pop_back();
        state = hold.get();
    }
}

bool State::waitUntil(qint64 deadlineNs)
{
    for (;;) {
        // The epoch first: a deadline armed after this point ends the wait
        // below (recomputeDeadline() notifies), so it is never missed.
        const WakeWord::Epoch epoch = m_wake.epoch();
        if (isCanceled())
            return true;
        const qint64 now = steadyNowNs();
        if (now >= deadlineNs)
            return false;
        // Also wake at the token's own deadline: the waiter notices it itself,
        // in one wake-up, and a pull-only deadline is noticed with no timer.
        // A deadline that isCanceled() found passed but not settled is being
        // re-armed: the recompute notifies, so never wait for it (no spinning).
        const qint64 word = m_word.load(std::memory_order_acquire);
        const qint64 until =
                word != CanceledWord && word > now ? std::min(deadlineNs, word) : deadlineNs;
        m_wake.waitUntil(until, epoch);
    }
}

bool State::setOwnDeadline(qint64 deadlineNs, bool armTimer)
{
    if (isCanceled()) // also notices a deadline that has passed
        return false;
    // The earliest time points would read as CanceledWord; they are simply passed.
    deadlineNs = std::max(deadlineNs, CanceledWord + 1);
    {
        // Checked and stored together: a cancel either comes first, and this
        // changes nothing, or settles the effective deadline with this one.
        std::lock_guard lock(m_mutex);
        if (m_word.load(std::memory_order_relaxed) == CanceledWord)
            return false;
        m_ownDeadline.store(deadlineNs, std::memory_order_release);
    }
    if (deadlineNs != NoDeadlineNs && deadlineNs <= steadyNowNs()) {
        // Publish it first: deadline() and remainingTime() must report this passed
        // deadline, not a later one armed before.
        recomputeDeadline();
        cancel(Reason::Kind::Timeout, QString(), 0);
        return true;
    }
    DeadlineScheduler::instance().setDeadline(this, deadlineNs, armTimer);
    recomputeDeadline();
    return true;
}

void State::onDeadlineTimer()
{
    // The scheduler never fires early, but a re-arm may have moved the deadline.
    if (steadyNowNs() >= m_ownDeadline.load(std::memory_order_acquire))
        cancel(Reason::Kind::Timeout, QString(), 0);
}

QString State::debugName() const
{
    std::lock_guard lock(m_mutex);
    return m_debugName;
}

bool State::setDebugName(const QString &name)
{
    std::lock_guard lock(m_mutex);
    if (m_debugName == name)
        return false;
    m_debugName = name;
    return true;
}

} // namespace Cancellation::detail
