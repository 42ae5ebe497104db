// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/registration.h>
#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <QtCore/QFuture>
#include <QtCore/QFutureWatcher>
#include <QtCore/QObject>

/*!
    \headerfile <Cancellation/futures.h>
    \inmodule CancellationToken
    \title <Cancellation/futures.h>
    \brief Ties tokens to QFuture, both ways. Header-only; needs Qt6::Core only.
*/

namespace Cancellation {

/*!
    \fn [cancel-future] Registration cancelFutureWhenCanceled(const Token &token, QFuture<T> future)
    \relates <Cancellation/futures.h>

    Cancels \a future when \a token is canceled, so QFutureWatchers and
    QPromise::isCanceled() see it. QFuture::cancel() runs on the canceling
    thread; it is thread-safe. The link holds while the returned
    Registration lives.

    \threadsafe
*/

//! [cancel-future]
template<typename T>
[[nodiscard]] Registration cancelFutureWhenCanceled(const Token &token, QFuture<T> future)
{
    return token.onCanceled([future]() mutable { future.cancel(); });
}

/*!
    \fn [cancel-when-future] void cancelWhenFutureCanceled(Source *source, const QFuture<T> &future)
    \relates <Cancellation/futures.h>

    Cancels \a source, with Reason::Kind::UserRequest and the message
    "QFuture canceled", when \a future is canceled, for example by a
    QFutureWatcher::cancel() behind a progress dialog's Cancel button.

    The notice arrives through a QFutureWatcher that lives in \a source's
    thread, so that thread needs a running event loop. The watcher is a child
    of \a source and is deleted when the future finishes.

    \note Call from \a source's thread.
*/

//! [cancel-when-future]
template<typename T>
void cancelWhenFutureCanceled(Source *source, const QFuture<T> &future)
{
    auto *watcher = new QFutureWatcher<T>(source);
    QObject::connect(watcher, &QFutureWatcherBase::canceled, source,
                     [source] { source->cancelWithMessage(QStringLiteral("QFuture canceled")); });
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
    watcher->setFuture(future);
}

} // namespace Cancellation
