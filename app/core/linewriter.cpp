// SPDX-License-Identifier: MIT
#include "linewriter.h"

#include "helperthread.h"

#include <cerrno>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

namespace Demo {

namespace {

// Writes all of data; returns 0, or the errno of the failure.
int writeAll(int fd, QByteArrayView data)
{
    const char *p = data.data();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, static_cast<std::size_t>(left));
        if (n > 0) {
            p += n;
            left -= n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // A descriptor someone else made non-blocking: wait for room, as a blocking one would.
            pollfd pfd { fd, POLLOUT, 0 };
            ::poll(&pfd, 1, -1);
            continue;
        }
        return n < 0 ? errno : EIO;
    }
    return 0;
}

} // namespace

LineWriter::LineWriter(int fd, const char *threadName, qsizetype capacity)
    : m_fd(fd), m_capacity(capacity), m_thread(startHelperThread([this] { run(); }))
{
    ::pthread_setname_np(m_thread.native_handle(), threadName);
}

LineWriter::~LineWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_whenWritten = nullptr;
        m_onError = nullptr;
    }
    m_wake.notify_one();
    m_thread.join();
}

void LineWriter::write(QByteArrayView line)
{
    std::unique_lock lock(m_mutex);
    m_progress.wait(lock, [this] { return m_queue.size() < m_capacity || error() != 0; });
    if (error() != 0)
        return;
    m_queue.append(line).append('\n');
    lock.unlock();
    m_wake.notify_one();
}

void LineWriter::post(QByteArrayView line)
{
    {
        std::lock_guard lock(m_mutex);
        if (error() != 0)
            return;
        m_queue.append(line).append('\n');
    }
    m_wake.notify_one();
}

bool LineWriter::idle() const
{
    return error() != 0 || (m_queue.isEmpty() && !m_writing);
}

bool LineWriter::waitUntilWritten(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_progress.wait_for(lock, timeout, [this] { return idle(); });
}

void LineWriter::whenWritten(std::function<void()> callback)
{
    {
        std::lock_guard lock(m_mutex);
        m_whenWritten = std::move(callback);
    }
    m_wake.notify_one();
}

void LineWriter::onError(std::function<void(int)> callback)
{
    std::lock_guard lock(m_mutex);
    m_onError = std::move(callback);
}

void LineWriter::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] {
            return (!m_queue.isEmpty() && error() == 0) || (m_whenWritten && idle()) || m_stopping;
        });
        if (!m_queue.isEmpty() && error() == 0) {
            // The whole queue in one write(): the lock is free while it blocks.
            QByteArray batch;
            batch.swap(m_queue);
            m_writing = true;
            m_progress.notify_all(); // room for the writers
            lock.unlock();
            const int failed = writeAll(m_fd, batch);
            lock.lock();
            m_writing = false;
            if (failed != 0) {
                m_error.store(failed, std::memory_order_release);
                m_queue.clear();
                if (std::function<void(int)> callback = std::exchange(m_onError, nullptr)) {
                    lock.unlock();
                    callback(failed);
                    lock.lock();
                }
            }
            m_progress.notify_all();
            continue;
        }
        if (m_whenWritten && idle()) {
            std::function<void()> callback = std::exchange(m_whenWritten, nullptr);
            lock.unlock();
            callback();
            lock.lock();
            continue;
        }
        if (m_stopping && (m_queue.isEmpty() || error() != 0))
            return;
    }
}

} // namespace Demo
