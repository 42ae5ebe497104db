// SPDX-License-Identifier: MIT
#include <Cancellation/signalwait.h>

#include <Cancellation/registration.h>
#include <Cancellation/source.h>

#include <QtCore/QThread>

namespace Cancellation::detail {

namespace {

/*
    One wait, a child of its context, on the context's thread. The token's
    callback (any thread) only posts to this object; its destruction first
    unregisters the callback, waiting for one that is posting, and then, in
    ~QObject, drops what was posted. finish() ends the wait once.
*/
class SignalWait final : public QObject
{
public:
    SignalWait(const QObject *sender, const Token &token, std::chrono::nanoseconds timeout,
               QObject *context, std::function<void(SignalWaitResult)> callback)
        : QObject(context), m_source(token), m_callback(std::move(callback))
    {
        connect(sender, &QObject::destroyed, this,
                [this] { post(SignalWaitResult::SenderDestroyed); });
        if (timeout != std::chrono::nanoseconds::max())
            m_source.cancelAfter(timeout);
        m_canceled = m_source.token().onCanceled([this](const Reason &reason) {
            // Our own timeout, or the caller's token (whatever its reason, timeouts included).
            post(reason.kind() == Reason::Kind::Timeout ? SignalWaitResult::TimedOut
                                                        : SignalWaitResult::Canceled);
        });
    }

    /*
        Every end goes through the event loop, from any thread: never inside a cancel, an emit
        or a destructor. A sender destroyed with the context, or one that emits from its
        destructor (a child QProcess's finished()), must not call back into a context that is
        being destroyed; the wait, its child, goes too, and with it the posted call.
    */
    void post(SignalWaitResult result)
    {
        QMetaObject::invokeMethod(
                this, [this, result] { finish(result); }, Qt::QueuedConnection);
    }

private:
    void finish(SignalWaitResult result)
    {
        if (m_finished)
            return;
        m_finished = true; // a later signal finds it finished until the deferred delete
        m_canceled.unregister();
        std::function<void(SignalWaitResult)> callback = std::move(m_callback);
        deleteLater();
        callback(result); // last: it may destroy the context, and with it this object
    }

    Source m_source;
    std::function<void(SignalWaitResult)> m_callback;
    bool m_finished = false;
    Registration m_canceled; // declared last: unregistered first
};

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

void finishSignalWait(QObject *wait, SignalWaitResult result)
{
    static_cast<SignalWait *>(wait)->post(result);
}

} // namespace Cancellation::detail
