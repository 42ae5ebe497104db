// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace Cancellation::detail {

class State;

/*
    Cancels states at their own deadlines, for tokens armed from any thread,
    with or without an event loop.

    A small pool of threads in the leader/followers pattern: one leader sleeps
    on a steady-clock condition variable until the earliest deadline; when one
    is due it hands the leadership to a follower (starting one if none is idle)
    and only then runs the cancellation, with its callbacks. So a slow callback
    delays its own token's other callbacks, never another token's timeout.
    Threads beyond the first two that stay idle for a while end.

    Thread-safe. Never destroyed, so that Sources and Tokens destroyed during
    static destruction can still unschedule themselves; its threads are
    stopped and joined at exit, after which deadlines are still noticed by
    polls and waits, but no longer by a timer.
*/
class DeadlineScheduler
{
public:
    static DeadlineScheduler &instance();

    // Stores state's own deadline and, if armTimer, (re)schedules it;
    // otherwise, or with NoDeadlineNs, unschedules it.
    void setDeadline(State *state, qint64 deadlineNs, bool armTimer);
    void remove(State *state);

    // Stops and joins the threads. Called once at exit.
    void shutdown();

private:
    DeadlineScheduler() = default;
    ~DeadlineScheduler() = delete;

    void run();
    void lead(std::unique_lock<std::mutex> &lock);
    void startThreadLocked();
    void removeLocked(State *state);

    std::mutex m_mutex;
    std::condition_variable m_leaderWake; // the leader: an earlier deadline, or stop
    std::condition_variable m_followerWake; // an idle follower: become the leader
    // A State removes its entry in its destructor, so the raw pointers stay valid
    // while m_mutex is held.
    std::multimap<qint64, State *> m_entries;
    std::vector<std::thread> m_threads;
    std::vector<std::thread> m_finished; // ended on their own, joined by the next start or at exit
    int m_idleFollowers = 0;
    bool m_hasLeader = false;
    bool m_stopping = false;
};

} // namespace Cancellation::detail
