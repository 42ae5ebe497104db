// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellationnetwork_export.h>
#include <Cancellation/token.h>

#include <chrono>

QT_BEGIN_NAMESPACE
class QNetworkReply;
QT_END_NAMESPACE

/*!
    \headerfile <Cancellation/network.h>
    \inmodule CancellationToken
    \title <Cancellation/network.h>
    \brief Aborting a QNetworkReply when a token is canceled. Component
    \c Network of the package: link \c CancellationToken::Network.
*/

namespace Cancellation {

/*!
    \relates <Cancellation/network.h>

    Aborts \a reply when \a token is canceled, or when \a timeout has passed
    since this call (the whole transfer; std::chrono::nanoseconds::max(), the
    default, sets none). A timeout of zero or less has passed already, as a
    remaining time computed from a deadline may have. Start a request under
    a token and a timeout in one line:
    \c{abortOnCancel(manager.get(request), token, 10s)}.

    The abort is delivered on \a reply's thread, through its event loop, so
    \a reply's slots never run inside the call that cancels. The reply then
    finishes with QNetworkReply::OperationCanceledError, as after abort(). A
    token canceled already aborts the reply as soon as its thread's event
    loop runs; a reply that has finished is left as it is.

    Returns the token that aborts \a reply: a child of \a token, whose
    reason() tells the timeout (Reason::Kind::Timeout) from a cancel of \a
    token (Reason::Kind::ParentCanceled, with \a token's reason as its
    parent()). The timeout is disarmed when the reply finishes, and not armed
    for a reply that had finished before the call. The token stays valid
    after the reply is gone.

    Either side may go first: destroying \a reply (also with deleteLater())
    drops the link and any abort still queued, and canceling or destroying
    \a token's Source after the reply is gone does nothing. Call it on \a
    reply's thread.
*/
[[nodiscard("the token tells a cancel from a timeout; discard it with "
            "std::ignore")]] CANCELLATION_NETWORK_EXPORT Token
abortOnCancel(QNetworkReply *reply, const Token &token,
              std::chrono::nanoseconds timeout = std::chrono::nanoseconds::max());

} // namespace Cancellation
