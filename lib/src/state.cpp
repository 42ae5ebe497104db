// SPDX-License-Identifier: MIT
#include "state_p.h"

#include "deadlinescheduler_p.h"
#include "reason_p.h"

#include <Cancellation/logging.h>

#include <exception>
#include <typeinfo>

namespace Cancellation::detail {

namespace {

// A parent's callback that cancels one child. It holds the child weakly:
// the child owns the link through its m_parentLinks.
class ChildLink final : public CallbackNode
{
public:
    explicit ChildLink(std::weak_ptr<State> child) : CallbackNode(Role::ChildLink), m_child(std::move(child)) { }

    void invoke(const Reason &reason) override
    {
        if (const std::shared_ptr<State> child = m_child.lock())
            child->cancel(Reason::Kind::ParentCanceled, QString(), 0, &reason);
    }

    std::shared_ptr<State> child() const { return m_child.lock(); }

private:
    std::weak_ptr<State> m_child;
};

} // namespace

std::shared_ptr<State> State::create(const std::vector<std::shared_ptr<State>> &parents)
{
    std::shared_ptr<State> state(new State);
    state->m_reasonStorage = std::make_shared<Reason::Data>();
    state->m_parents = parents;
    state->m_parentLinks.reserve(parents.size());
    for (const std::shared_ptr<State> &parent : parents) {
        auto *link = new ChildLink(state);
        parent->registerCallback(link); // cancels state at once if parent is canceled
        state->m_parentLinks.push_back(Registration(parent, link));
    }
    // After linking, so that a concurrent re-arm of a parent reaches us either way.
    state->recomputeDeadline();
    return state;
}

State::~State()
{
    // Unlink from the parents first; this waits for a parent's in-flight ChildLink.
    m_parentLinks.clear();
    if (m_ownDeadline.load(std::memory_order_relaxed) != NoDeadlineNs)
        DeadlineScheduler::instance().remove(this);
}

bool State::cancel(Reason::Kind kind, const QString &message, int signalNumber, const Reason *parent)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_word.load(std::memory_order_relaxed) == CanceledWord)
            return false;
        m_reason = Reason(kind, message, signalNumber, std::chrono::steady_clock::now(), parent,
                          std::move(m_reasonStorage));
        if (kind == Reason::Kind::Timeout) {
            // Timed out on its own deadline. A timer that fires between arming and
            // recomputeDeadline() in setOwnDeadline() gets here first: publish the
            // deadline so that deadline() and remainingTime() report it.
            const qint64 own = m_ownDeadline.load(std::memory_order_acquire);
            if (own < m_effectiveDeadline.load(std::memory_order_relaxed))
                m_effectiveDeadline.store(own, std::memory_order_release);
        }
        m_word.store(CanceledWord, std::memory_order_release);
    }
    m_wake.signal();
    if (m_ownDeadline.load(std::memory_order_relaxed) != NoDeadlineNs)
        DeadlineScheduler::instance().remove(this);
    qCDebug(lcCancellation()).noquote() << "canceled" << debugName() << m_reason.toString();
    runCallbacks();
    return true;
}

Reason State::reason() const
{
    std::lock_guard lock(m_mutex);
    return m_reason;
}

void State::runCallbacks()
{
    // m_reason was set once by the winning cancel(), on this thread, and is only read from
    // then on: the callbacks may read it without the lock.
    const Reason &reason = m_reason;
    std::unique_lock lock(m_mutex);
    while (CallbackNode *node = m_head) {
        unlink(node);
        node->m_status = CallbackNode::Status::Running;
        node->m_runningOn = std::this_thread::get_id();
        lock.unlock();
        invokeCaught(node, reason);
        lock.lock();
        node->m_status = CallbackNode::Status::Done;
        m_callbackFinished.notify_all();
        if (node->m_orphaned) {
            // Unregistered from inside itself: nobody else owns it now. Delete
            // without the lock, as its functor's destructor may call back in.
            lock.unlock();
            delete node;
            lock.lock();
        }
    }
}

void State::invokeCaught(CallbackNode *node, const Reason &reason) noexcept
{
    try {
        node->invoke(reason);
    } catch (const std::exception &e) {
        qCWarning(lcCancellation(), "A cancellation callback threw %s: %s; the other callbacks still run",
                  typeid(e).name(), e.what());
    } catch (...) {
        qCWarning(lcCancellation(), "A cancellation callback threw a non-standard exception; the other callbacks still run");
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
            // Called from inside the callback: waiting would deadlock. The
            // canceling thread deletes the node once the callback returns.
            node->m_orphaned = true;
            return false;
        }
        m_callbackFinished.wait(lock, [node] { return node->m_status != CallbackNode::Status::Running; });
        break;
    case CallbackNode::Status::Unlinked:
    case CallbackNode::Status::Done:
        break;
    }
    lock.unlock();
    delete node;
    return removed;
}

bool State::isPending(const CallbackNode *node) const
{
    std::lock_guard lock(m_mutex);
    return node->m_status == CallbackNode::Status::Linked;
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
        m_userCount.store(m_userCount.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
        break;
    case CallbackNode::Role::ChildLink:
        m_childCount.store(m_childCount.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
        break;
    case CallbackNode::Role::Internal:
        break;
    }
}

bool State::pollDeadline(qint64 word) noexcept
{
    if (steadyNowNs() < word)
        return false;
    // The deadline may be inherited: let the parents notice theirs first, so
    // that we are canceled as ParentCanceled, with their Timeout as the cause.
    for (const std::shared_ptr<State> &parent : m_parents)
        parent->isCanceled();
    if (m_word.load(std::memory_order_acquire) == CanceledWord)
        return true;
    if (steadyNowNs() >= m_ownDeadline.load(std::memory_order_acquire))
        cancel(Reason::Kind::Timeout, QString(), 0);
    else
        recomputeDeadline(); // a parent was re-armed later and we saw it late
    return m_word.load(std::memory_order_acquire) == CanceledWord;
}

void State::recomputeDeadline()
{
    std::vector<std::shared_ptr<State>> children;
    bool earlier = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_word.load(std::memory_order_relaxed) == CanceledWord)
            return;
        qint64 deadline = m_ownDeadline.load(std::memory_order_acquire);
        for (const std::shared_ptr<State> &parent : m_parents)
            deadline = std::min(deadline, parent->effectiveDeadline());
        const qint64 previous = m_word.load(std::memory_order_relaxed);
        if (deadline == previous)
            return;
        m_effectiveDeadline.store(deadline, std::memory_order_release);
        m_word.store(deadline, std::memory_order_release);
        earlier = deadline < previous;
        for (CallbackNode *node = m_head; node; node = node->m_next) {
            if (node->m_role == CallbackNode::Role::ChildLink) {
                if (std::shared_ptr<State> child = static_cast<ChildLink *>(node)->child())
                    children.push_back(std::move(child));
            }
        }
    }
    if (earlier)
        m_wake.notify(); // waiters sleep until the old deadline: let them re-arm
    for (const std::shared_ptr<State> &child : children)
        child->recomputeDeadline();
}

bool State::waitUntil(qint64 deadlineNs)
{
    for (;;) {
        // The epoch first: a deadline armed after this point ends the wait
        // below (recomputeDeadline() notifies), so it is never missed.
        const WakeWord::Epoch epoch = m_wake.epoch();
        if (isCanceled())
            return true;
        if (steadyNowNs() >= deadlineNs)
            return false;
        // Also wake at the token's own deadline: the waiter notices it itself,
        // in one wake-up, and a pull-only deadline is noticed with no timer.
        const qint64 word = m_word.load(std::memory_order_acquire);
        m_wake.waitUntil(word == CanceledWord ? deadlineNs : std::min(deadlineNs, word), epoch);
    }
}

bool State::setOwnDeadline(qint64 deadlineNs, bool armTimer)
{
    if (isCanceled())
        return false;
    if (deadlineNs != NoDeadlineNs && deadlineNs <= steadyNowNs()) {
        m_ownDeadline.store(deadlineNs, std::memory_order_release);
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

void State::setDebugName(const QString &name)
{
    std::lock_guard lock(m_mutex);
    m_debugName = name;
}

} // namespace Cancellation::detail
