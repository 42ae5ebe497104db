// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>
#include <Cancellation/token.h>

#include <QtCore/QObject>

#include <chrono>
#include <functional>

/*!
    \headerfile <Cancellation/signalwait.h>
    \inmodule CancellationToken
    \title <Cancellation/signalwait.h>
    \brief Waiting on the GUI thread, or any thread with an event loop, for a
    signal or a token, with a timeout: without blocking the event loop and
    without a nested one.
*/

namespace Cancellation {

/*!
    \enum Cancellation::SignalWaitResult
    \relates <Cancellation/signalwait.h>

    How a wait of onSignalOrCanceled() ended.

    \value Signaled        The signal was emitted.
    \value Canceled        The token was canceled.
    \value TimedOut        The timeout passed.
    \value SenderDestroyed The sender was destroyed before any of these.
*/
enum class SignalWaitResult { Signaled, Canceled, TimedOut, SenderDestroyed };

namespace detail {

// The wait's state lives in a QObject, a child of the context; the template below only adds
// the connection to the signal, whose type the library cannot know.
CANCELLATION_EXPORT QObject *startSignalWait(const QObject *sender, const Token &token,
                                             std::chrono::nanoseconds timeout, QObject *context,
                                             std::function<void(SignalWaitResult)> callback);
// The signal's slot, called directly on the emitting thread: it ends the wait as Signaled at
// the emit, so a signal emitted before a cancel or the timeout wins, whatever the context's
// thread is busy with. Get it on the context's thread while the wait lives; the functor may
// then be called from any thread, also once the wait has ended or gone.
CANCELLATION_EXPORT std::function<void()> signalWaitEnd(QObject *wait);
// Disconnects \a connection when the wait ends, or at once if it has.
CANCELLATION_EXPORT void disconnectWhenWaitEnds(QObject *wait, QMetaObject::Connection connection);

} // namespace detail

/*!
    \fn [on-signal-or-canceled] void onSignalOrCanceled(const typename QtPrivate::FunctionPointer<Signal>::Object *sender, Signal signal, const Token &token, QObject *context, Callback &&callback, std::chrono::nanoseconds timeout)
    \relates <Cancellation/signalwait.h>

    Waits, without blocking, for \a sender's \a signal, a cancel of \a
    token, or \a timeout (std::chrono::nanoseconds::max(), the default, sets
    none), whichever comes first, and then calls \a callback once with the
    SignalWaitResult. Code that must stay on its thread, as GUI code must,
    goes on in \a callback instead of spinning a nested QEventLoop, so
    nothing else runs inside it and deleteLater() works as usual.

    Which comes first is decided when it happens, on whichever thread: a
    signal emitted before a cancel wins, even if \a context's thread is busy
    until after the cancel. \a callback runs exactly once, on \a context's
    thread, always through its event loop: never inside the emit, the cancel
    or a destructor, from whichever thread they come. A token canceled
    already, or a timeout of zero or less (a remaining time may be), ends the
    wait as soon as the event loop runs; so does a destroyed \a sender. A
    sender destroyed with \a context, or one that emits from its destructor
    (a child QProcess's finished()), does not call back into it. If \a
    context is destroyed first, \a callback is never called; the wait ends
    with it. The timeout is never early.

    Call it on \a context's thread.
*/

//! [on-signal-or-canceled]
template<typename Signal, typename Callback>
void onSignalOrCanceled(const typename QtPrivate::FunctionPointer<Signal>::Object *sender,
                        Signal signal, const Token &token, QObject *context, Callback &&callback,
                        std::chrono::nanoseconds timeout = std::chrono::nanoseconds::max())
{
    QObject *wait = detail::startSignalWait(
            sender, token, timeout, context,
            std::function<void(SignalWaitResult)>(std::forward<Callback>(callback)));
    // Direct, from whichever thread emits. Its context is the sender, alive while it emits;
    // the wait, on its own thread, could be going away meanwhile. The wait takes it down.
    detail::disconnectWhenWaitEnds(wait,
                                   QObject::connect(sender, signal, sender,
                                                    detail::signalWaitEnd(wait),
                                                    Qt::DirectConnection));
}

} // namespace Cancellation
