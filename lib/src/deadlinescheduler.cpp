// SPDX-License-Identifier: MIT
#include "deadlinescheduler_p.h"

#include "clock_p.h"
#include "state_p.h"

#include <Cancellation/logging.h>

#include <algorithm>
#include <chrono>
#include <system_error>

#if defined(__linux__)
#  include <pthread.h>
#  include <sys/prctl.h>
#endif

namespace Cancellation::detail {

namespace {

// A follower idle this long ends, unless it is one of the last two threads.
constexpr auto IdleFollowerLifetime = std::chrono::seconds(30);
constexpr std::size_t KeptThreads = 2;

} // namespace

DeadlineScheduler &DeadlineScheduler::instance()
{
    static DeadlineScheduler *const scheduler = [] {
        // The threads log when they cancel. Statics are destroyed in reverse
        // order of construction, so making the logging category (and with it
        // Qt's logging registry) first keeps it alive until the stopper below
        // has joined them, even when a timeout fires during exit.
        lcCancellation();
        return new DeadlineScheduler; // never deleted: see the class comment
    }();
    static const struct Stopper
    {
        ~Stopper() { scheduler->shutdown(); }
    } stopper;
    return *scheduler;
}

void DeadlineScheduler::shutdown()
{
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        threads = std::move(m_threads);
        std::move(m_finished.begin(), m_finished.end(), std::back_inserter(threads));
        m_finished.clear();
    }
    m_leaderWake.notify_all();
    m_followerWake.notify_all();
    for (std::thread &thread : threads) {
        if (thread.get_id() == std::this_thread::get_id())
            thread.detach(); // exit() called from a callback on this very thread
        else
            thread.join(); // waits for a callback in flight
    }
}

void DeadlineScheduler::setDeadline(State *state, qint64 deadlineNs, bool armTimer)
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        state->m_ownDeadline.store(deadlineNs, std::memory_order_release);
        removeLocked(state);
        // A state canceled since its setOwnDeadline() checked needs no timer:
        // its cancel set the word before it took this mutex to remove one.
        if (deadlineNs == NoDeadlineNs || !armTimer || state->isCanceledWord())
            return;
        if (m_threads.empty())
            startThreadLocked();
        wake = m_entries.empty() || deadlineNs < m_entries.begin()->first;
        state->m_timerEntry = m_entries.emplace(deadlineNs, state);
        state->m_timerArmed = true;
    }
    if (wake)
        m_leaderWake.notify_one();
}

void DeadlineScheduler::remove(State *state)
{
    std::lock_guard lock(m_mutex);
    removeLocked(state);
}

void DeadlineScheduler::removeLocked(State *state)
{
    if (!state->m_timerArmed)
        return;
    m_entries.erase(state->m_timerEntry);
    state->m_timerArmed = false;
}

void DeadlineScheduler::startThreadLocked()
{
    if (m_stopping)
        return;
    // Threads that ended on their own no longer take the lock: joining is brief.
    for (std::thread &thread : m_finished)
        thread.join();
    m_finished.clear();
    try {
        m_threads.emplace_back(&DeadlineScheduler::run, this);
    } catch (const std::system_error &e) {
        qCWarning(lcCancellation(),
                  "Cannot start a deadline thread (%s): timeouts fire late, polls and waits still "
                  "notice them",
                  e.what());
    }
}

void DeadlineScheduler::run()
{
#if defined(__linux__)
    pthread_setname_np(pthread_self(), "cancel-deadline");
    // The default 50 us timer slack would let the kernel fire up to 50 us late.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (!m_hasLeader) {
            lead(lock);
            continue;
        }
        ++m_idleFollowers;
        const bool called = m_followerWake.wait_for(lock, IdleFollowerLifetime,
                                                    [this] { return m_stopping || !m_hasLeader; });
        --m_idleFollowers;
        if (!called && m_threads.size() > KeptThreads) {
            const auto self =
                    std::find_if(m_threads.begin(), m_threads.end(), [](const std::thread &t) {
                        return t.get_id() == std::this_thread::get_id();
                    });
            if (self != m_threads.end()) {
                m_finished.push_back(std::move(*self));
                m_threads.erase(self);
                return;
            }
        }
    }
}

void DeadlineScheduler::lead(std::unique_lock<std::mutex> &lock)
{
    m_hasLeader = true;
    while (!m_stopping) {
        if (m_entries.empty()) {
            m_leaderWake.wait(lock);
            continue;
        }
        const auto first = m_entries.begin();
        if (steadyNowNs() < first->first) {
            // steady_clock: pthread_cond_clockwait on CLOCK_MONOTONIC, immune to wall-clock changes.
            m_leaderWake.wait_until(lock, steadyTimePoint(first->first));
            continue;
        }
        State *state = first->second;
        m_entries.erase(first);
        state->m_timerArmed = false;
        // The state cannot finish its destructor while we hold m_mutex, so
        // this is safe; it yields null if the destructor has begun.
        std::shared_ptr<State> strong = state->weak_from_this().lock();
        if (!strong)
            continue;
        // Hand the leadership over before running any callback.
        m_hasLeader = false;
        if (m_idleFollowers > 0)
            m_followerWake.notify_one();
        else
            startThreadLocked();
        lock.unlock();
        strong->onDeadlineTimer();
        strong.reset(); // may destroy the state, which calls remove()
        lock.lock();
        return;
    }
    m_hasLeader = false;
}

} // namespace Cancellation::detail
