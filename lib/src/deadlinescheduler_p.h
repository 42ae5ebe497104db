// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace Cancellation::detail {

class State;

/*
    One process-wide thread that cancels states at their deadlines. It sleeps
    on a steady-clock condition variable until the earliest deadline, so it
    works for tokens armed from any thread, with or without an event loop.

    Thread-safe. The thread starts on first use and is joined at exit.
*/
class DeadlineScheduler
{
public:
    static DeadlineScheduler &instance();
    ~DeadlineScheduler();

    // Stores state's own deadline and, if armTimer, (re)schedules it;
    // otherwise, or with NoDeadlineNs, unschedules it.
    void setDeadline(State *state, qint64 deadlineNs, bool armTimer);
    void remove(State *state);

private:
    DeadlineScheduler();
    void run();
    void removeLocked(State *state);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    // A State removes its entry in its destructor, so the raw pointers stay valid
    // while m_mutex is held.
    std::multimap<qint64, State *> m_entries;
    std::thread m_thread;
    bool m_stopping = false;
};

} // namespace Cancellation::detail
