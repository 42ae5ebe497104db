// SPDX-License-Identifier: MIT
#include "deadlinescheduler_p.h"

#include "clock_p.h"
#include "state_p.h"

#include <Cancellation/logging.h>

#if defined(__linux__)
#  include <pthread.h>
#  include <sys/prctl.h>
#endif

namespace Cancellation::detail {

DeadlineScheduler &DeadlineScheduler::instance()
{
    static DeadlineScheduler scheduler;
    return scheduler;
}

DeadlineScheduler::DeadlineScheduler()
{
    // The timer thread logs when it cancels. Statics are destroyed in reverse
    // order of construction, so making the logging category (and with it
    // Qt's logging registry) first keeps it alive until ~DeadlineScheduler()
    // has joined the thread, even when a timeout fires during exit.
    lcCancellation();
}

DeadlineScheduler::~DeadlineScheduler()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void DeadlineScheduler::setDeadline(State *state, qint64 deadlineNs, bool armTimer)
{
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        state->m_ownDeadline.store(deadlineNs, std::memory_order_release);
        removeLocked(state);
        if (deadlineNs == NoDeadlineNs || !armTimer)
            return;
        if (!m_thread.joinable())
            m_thread = std::thread(&DeadlineScheduler::run, this);
        wake = m_entries.empty() || deadlineNs < m_entries.begin()->first;
        state->m_timerEntry = m_entries.emplace(deadlineNs, state);
        state->m_timerArmed = true;
    }
    if (wake)
        m_wake.notify_one();
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

void DeadlineScheduler::run()
{
#if defined(__linux__)
    pthread_setname_np(pthread_self(), "cancel-deadline");
    // The default 50 us timer slack would let the kernel fire up to 50 us late.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_entries.empty()) {
            m_wake.wait(lock);
            continue;
        }
        const auto first = m_entries.begin();
        if (steadyNowNs() < first->first) {
            // steady_clock: pthread_cond_clockwait on CLOCK_MONOTONIC, immune to wall-clock changes.
            m_wake.wait_until(lock, steadyTimePoint(first->first));
            continue;
        }
        State *state = first->second;
        m_entries.erase(first);
        state->m_timerArmed = false;
        // The state cannot finish its destructor while we hold m_mutex, so
        // this is safe; it yields null if the destructor has begun.
        std::shared_ptr<State> strong = state->weak_from_this().lock();
        lock.unlock();
        if (strong)
            strong->onDeadlineTimer();
        strong.reset(); // may destroy the state, which calls remove()
        lock.lock();
    }
}

} // namespace Cancellation::detail
