// SPDX-License-Identifier: MIT
#include <Cancellation/network.h>

#include <Cancellation/registration.h>
#include <Cancellation/source.h>

#include <QtCore/QThread>
#include <QtNetwork/QNetworkReply>

#include <algorithm>

namespace Cancellation {

namespace {

/*
    A child of the reply: destroyed with it, on its thread. The callback may
    run on any thread; it only posts to this object, and this object's
    destruction first unregisters it (waiting for a callback that is posting)
    and then, in ~QObject, drops what it posted. So an abort is delivered
    only while the reply is alive.
*/
class ReplyAborter final : public QObject
{
public:
    ReplyAborter(QNetworkReply *reply, const Token &token, std::chrono::nanoseconds timeout)
        : QObject(reply), m_source(token)
    {
        // A reply that has finished is not timed out afterwards, nor one that had before.
        if (timeout != std::chrono::nanoseconds::max() && !reply->isFinished()) {
            // A timeout of zero or less has passed: a remaining time may well be negative.
            m_source.cancelAfter(std::max(timeout, std::chrono::nanoseconds::zero()));
            connect(reply, &QNetworkReply::finished, this,
                    [this] { m_source.cancelAfter(std::chrono::nanoseconds::max()); });
        }
        m_abort = m_source.token().onCanceled([this] {
            QMetaObject::invokeMethod(this, &ReplyAborter::abort, Qt::QueuedConnection);
        });
    }

    Token token() const { return m_source.token(); }

private:
    void abort() { static_cast<QNetworkReply *>(parent())->abort(); }

    Source m_source;
    Registration m_abort; // declared last: unregistered first
};

} // namespace

Token abortOnCancel(QNetworkReply *reply, const Token &token, std::chrono::nanoseconds timeout)
{
    Q_ASSERT_X(reply, "Cancellation::abortOnCancel", "reply is null");
    Q_ASSERT_X(reply->thread() == QThread::currentThread(), "Cancellation::abortOnCancel",
               "call it on the reply's thread");
    return (new ReplyAborter(reply, token, timeout))->token();
}

} // namespace Cancellation
