// SPDX-License-Identifier: MIT
#include <Cancellation/signalwait.h>

#include <Cancellation/registration.h>
#include <Cancellation/source.h>

#include <QtCore/QList>
#include <QtCore/QMutex>
#include <QtCore/QThread>

#include <algorithm>
#include <memory>
#include <utility>

namespace Cancellation::detail {

namespace {

class SignalWait;

/*
    What decides the wait's end, shared with the connections that call it on other threads, and
    that may outlive the wait. The first end() wins; it posts the wait's finish() under the
    mutex, which ~SignalWait takes to clear wait: so a post never reaches a destroyed wait, and
    one made before is dropped with it, by ~QObject.
*/
struct SignalWaitShared
{
    QMutex mutex;
    SignalWait *wait = nullptr; // null once destroyed
    bool ended = false;

    void end(SignalWaitResult result);
};

/*
    One wait, a child of its context, on the context's thread. The token's
    callback (any thread) and the sender's signals (direct, on the emitting
    thread) only decide the end; its destruction first clears the shared
    wait, then unregisters the callback, waiting for one that is running.
    finish() delivers the end once, through the event loop.
*/
class SignalWait final : public QObject
{
public:
    SignalWait(const QObject *sender, const Token &token, std::chrono::nanoseconds timeout,
               QObject *context, std::function<void(SignalWaitResult)> callback)
        : QObject(context),
          m_shared(std::make_shared<SignalWaitShared>()),
          m_source(token),
          m_callback(std::move(callback))
    {
        m_shared->wait = this;
        disconnectWhenEnded(connect(
                sender, &QObject::destroyed, sender,
                [shared = m_shared] { shared->end(SignalWaitResult::SenderDestroyed); },
                Qt::DirectConnection));
        // A timeout of zero or less has passed: it ends the wait at once, as zero does.
        if (timeout != std::chrono::nanoseconds::max())
            m_source.cancelAfter(std::max(timeout, std::chrono::nanoseconds::zero()));
        m_canceled = m_source.token().onCanceled([shared = m_shared](const Reason &reason) {
            // Our own timeout, or the caller's token (whatever its reason, timeouts included).
            shared->end(reason.kind() == Reason::Kind::Timeout ? SignalWaitResult::TimedOut
                                                               : SignalWaitResult::Canceled);
        });
    }

    ~SignalWait() override
    {
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->wait = nullptr;
        }
        disconnectAll();
    }

    const std::shared_ptr<SignalWaitShared> &shared() const { return m_shared; }

    void disconnectWhenEnded(QMetaObject::Connection connection)
    {
        if (m_finished)
            QObject::disconnect(connection);
        else
            m_connections.append(std::move(connection));
    }

    // Posted once, by the first SignalWaitShared::end().
    void finish(SignalWaitResult result)
    {
        m_finished = true;
        disconnectAll();
        m_canceled.unregister();
        std::function<void(SignalWaitResult)> callback = std::move(m_callback);
        deleteLater();
        callback(result); // last: it may destroy the context, and with it this object
    }

private:
    void disconnectAll()
    {
        for (const QMetaObject::Connection &connection : std::as_const(m_connections))
            QObject::disconnect(connection);
        m_connections.clear();
    }

    const std::shared_ptr<SignalWaitShared> m_shared;
    Source m_source;
    std::function<void(SignalWaitResult)> m_callback;
    QList<QMetaObject::Connection> m_connections; // to the sender: its signal and destroyed()
    bool m_finished = false;
    Registration m_canceled; // declared last: unregistered first
};

void SignalWaitShared::end(SignalWaitResult result)
{
    // Under the lock only postEvent() runs, which never calls back into the wait.
    QMutexLocker lock(&mutex);
    if (!wait || std::exchange(ended, true))
        return;
    QMetaObject::invokeMethod(
            wait, [wait = wait, result] { wait->finish(result); }, Qt::QueuedConnection);
}

} // namespace

QObject *startSignalWait(const QObject *sender, const Token &token,
                         std::chrono::nanoseconds timeout, QObject *context,
                         std::function<void(SignalWaitResult)> callback)
{
    Q_ASSERT_X(sender && context, "Cancellation::onSignalOrCanceled", "sender or context is null");
    Q_ASSERT_X(context->thread() == QThread::currentThread(), "Cancellation::onSignalOrCanceled",
               "call it on the context's thread");
    return new SignalWait(sender, token, timeout, context, std::move(callback));
}

std::function<void()> signalWaitEnd(QObject *wait)
{
    return [shared = static_cast<SignalWait *>(wait)->shared()] {
        shared->end(SignalWaitResult::Signaled);
    };
}

void disconnectWhenWaitEnds(QObject *wait, QMetaObject::Connection connection)
{
    static_cast<SignalWait *>(wait)->disconnectWhenEnded(std::move(connection));
}

} // namespace Cancellation::detail
