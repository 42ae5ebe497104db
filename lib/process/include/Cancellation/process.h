// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellationprocess_export.h>
#include <Cancellation/token.h>

#include <chrono>

QT_BEGIN_NAMESPACE
class QProcess;
QT_END_NAMESPACE

/*!
    \headerfile <Cancellation/process.h>
    \inmodule CancellationToken
    \title <Cancellation/process.h>
    \brief Stopping a QProcess when a token is canceled: terminate, then kill
    after a grace period, as Go's exec.CommandContext with Cmd.Cancel and
    WaitDelay. Component \c Process of the package: link
    \c CancellationToken::Process.
*/

namespace Cancellation {

/*!
    \relates <Cancellation/process.h>

    When \a token is canceled, asks \a process to stop with
    QProcess::terminate() (SIGTERM on Unix, WM_CLOSE on Windows) and, if it
    is still running \a grace later, kills it with QProcess::kill(). A \a
    grace of zero kills at once; a grace above 24 days counts as 24 days
    (QTimer's limit). The kill never comes earlier than \a grace after the
    terminate.

    Both are delivered on \a process's thread, through its event loop. A
    process that is starting when the token is canceled, or that is started
    after it, is terminated as soon as it has started; a process that is
    not running is left alone.

    The link is for one run: the one going on at the call, or else the next
    start. Once that run has finished, or its start has failed, the link is
    gone, and a cancel of \a token no longer touches the QProcess, not even
    one that came before the end and is still queued. For another run under
    a token, call this again. Either side may go first:
    destroying \a process drops the link, a queued terminate and the
    pending kill. Call it on \a process's thread.
*/
CANCELLATION_PROCESS_EXPORT void terminateOnCancel(QProcess *process, const Token &token,
                                                   std::chrono::milliseconds grace);

} // namespace Cancellation
