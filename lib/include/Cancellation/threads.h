// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/registration.h>
#include <Cancellation/token.h>

#include <QtCore/QThread>

/*!
    \headerfile <Cancellation/threads.h>
    \inmodule CancellationToken
    \title <Cancellation/threads.h>
    \brief Bridges a token to QThread::requestInterruption(). Header-only.
*/

namespace Cancellation {

/*!
    \relates <Cancellation/threads.h>

    Calls requestInterruption() on \a thread when \a token is canceled, so a
    loop that checks QThread::isInterruptionRequested() stops too. Keep the
    Registration no longer than \a thread lives.

    The other direction has no push notice in Qt (QThread emits nothing on
    requestInterruption()); a loop that needs both checks both.

    \threadsafe

    QThread::requestInterruption() is thread-safe.
*/
[[nodiscard]] inline Registration requestInterruptionWhenCanceled(const Token &token,
                                                                  QThread *thread)
{
    return token.onCanceled([thread] { thread->requestInterruption(); });
}

} // namespace Cancellation
