// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace Demo {

/*!
    \class Demo::LineWriter
    \brief Writes lines to one file descriptor from a thread of its own, so that whoever hands
    it a line never waits on the descriptor.

    A reader that stops reading holds up this thread alone, which leaves SIGINT and SIGTERM
    to other threads (see startHelperThread()). The lock that guards the queue is
    never held during a write(), so post() and waitUntilWritten() never wait on the
    descriptor: the console's signal handling stays responsive with a full pipe.

    write() applies back-pressure: a caller waits while more than the capacity is queued, as
    a blocking write would make it wait. post() never waits.

    The first failed write() (EPIPE, ENOSPC, EBADF, ...) is kept as error(); from then on
    lines are dropped and nobody waits. Lines are written in the order they were queued, each
    one whole.

    \threadsafe All functions may be called from any thread, except the destructor.
*/
class LineWriter
{
public:
    /*!
        Starts the writing thread for \a fd, which stays open and owned by the caller. The
        thread is named \a threadName (at most 15 characters) for ps and the debugger.
    */
    LineWriter(int fd, const char *threadName, qsizetype capacity = 64 * 1024);
    //! Writes what is still queued, then stops the thread. Waits for a stalled reader: destroy
    //! it once waitUntilWritten() returned \c true, or after a failed write.
    ~LineWriter();
    LineWriter(const LineWriter &) = delete;
    LineWriter &operator=(const LineWriter &) = delete;

    //! Queues \a line and a newline; waits while more than the capacity is queued.
    void write(QByteArrayView line);
    //! Queues \a line and a newline, and never waits.
    void post(QByteArrayView line);

    //! Waits up to \a timeout until every queued line is written or a write has failed.
    bool waitUntilWritten(std::chrono::milliseconds timeout);

    /*!
        Calls \a callback once, on the writing thread, as soon as every line queued so far is
        written or a write has failed: at once if that is already so. Replaces a callback
        that has not been called yet.
    */
    void whenWritten(std::function<void()> callback);
    //! Calls \a callback once, on the writing thread, when a write first fails.
    void onError(std::function<void(int error)> callback);

    //! The errno of the first failed write, or 0.
    int error() const noexcept { return m_error.load(std::memory_order_acquire); }

private:
    void run();
    bool idle() const; // m_mutex held

    const int m_fd;
    const qsizetype m_capacity;
    std::atomic<int> m_error { 0 };

    mutable std::mutex m_mutex;
    std::condition_variable m_wake; // the thread: work to do
    std::condition_variable m_progress; // writers and waiters: space freed, lines written
    QByteArray m_queue; // guarded by m_mutex
    bool m_writing = false; // guarded by m_mutex: a batch is in write(), outside the lock
    bool m_stopping = false; // guarded by m_mutex
    std::function<void()> m_whenWritten; // guarded by m_mutex
    std::function<void(int)> m_onError; // guarded by m_mutex

    std::thread m_thread; // last: starts once the members above exist
};

} // namespace Demo
