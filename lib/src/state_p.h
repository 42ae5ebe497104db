// SPDX-License-Identifier: MIT
#pragma once

#include "clock_p.h"
#include "wakeword_p.h"

#include <Cancellation/callbacknode.h>
#include <Cancellation/reason.h>
#include <Cancellation/registration.h>

#include <QtCore/QString>

#include <atomic>
#include <condition_variable>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace Cancellation::detail {

/*
    The shared state behind a Source and its Tokens. Owned by shared_ptr: the
    Source, every Token and every Registration hold a reference, and a child
    holds its parents.

    Thread-safe. Callbacks run one at a time on the canceling thread, with
    m_mutex released. A child is a ChildLink callback in each parent's list,
    so parent-to-child cancellation has the same exactly-once and
    unregister-waits guarantees as user callbacks.
*/
class State : public std::enable_shared_from_this<State>
{
public:
    static std::shared_ptr<State> create(const std::vector<std::shared_ptr<State>> &parents);
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
    static_assert(NoDeadlineNs == std::numeric_limits<qint64>::max(), "Token::isCanceled() relies on it");

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
    qint64 effectiveDeadline() const noexcept { return m_effectiveDeadline.load(std::memory_order_acquire); }

    // Takes ownership of node. Runs it at once on this thread if already canceled.
    void registerCallback(CallbackNode *node);
    // See Registration::unregister(). Deletes node, or hands it to the
    // canceling thread when called from inside node's own callback.
    bool unregister(CallbackNode *node);
    bool isPending(const CallbackNode *node) const;

    QString debugName() const;
    void setDebugName(const QString &name);
    qsizetype childCount() const noexcept { return m_childCount.load(std::memory_order_relaxed); }
    qsizetype registrationCount() const noexcept { return m_userCount.load(std::memory_order_relaxed); }

    // Called by the DeadlineScheduler thread when the own deadline is due.
    void onDeadlineTimer();

private:
    friend class DeadlineScheduler;
    State() = default;

    static constexpr qint64 CanceledWord = std::numeric_limits<qint64>::min(); // Token::isCanceled() relies on it

    bool pollDeadline(qint64 word) noexcept;
    void recomputeDeadline();
    void runCallbacks();
    void invokeCaught(CallbackNode *node, const Reason &reason) noexcept;
    void link(CallbackNode *node);
    void unlink(CallbackNode *node);
    void adjustCount(const CallbackNode *node, int delta);

    // NoDeadlineNs: live, no deadline. CanceledWord: canceled. Otherwise:
    // live with the effective deadline, in steady-clock nanoseconds.
    std::atomic<qint64> m_word { NoDeadlineNs };
    std::atomic<qint64> m_ownDeadline { NoDeadlineNs };
    std::atomic<qint64> m_effectiveDeadline { NoDeadlineNs };
    std::atomic<qsizetype> m_childCount { 0 };
    std::atomic<qsizetype> m_userCount { 0 };
    WakeWord m_wake;

    mutable std::mutex m_mutex;
    std::condition_variable m_callbackFinished;
    CallbackNode *m_head = nullptr; // pending callbacks, in registration order
    CallbackNode *m_tail = nullptr;
    Reason m_reason; // written once, under m_mutex, by the winning cancel(); read-only after
    // Allocated in create() and used by the winning cancel(), which so allocates
    // nothing: a parent cancels 10,000 children without touching fresh heap pages.
    std::shared_ptr<Reason::Data> m_reasonStorage;
    QString m_debugName;

    // Set once in create(), read-only afterwards.
    std::vector<std::shared_ptr<State>> m_parents;
    std::vector<Registration> m_parentLinks;

    // Guarded by the DeadlineScheduler's mutex.
    std::multimap<qint64, State *>::iterator m_timerEntry;
    bool m_timerArmed = false;
};

} // namespace Cancellation::detail
