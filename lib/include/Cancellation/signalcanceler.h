// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>

#include <QtCore/QObject>

#include <memory>

namespace Cancellation {

class Source;

/*!
    \class Cancellation::SignalCanceler
    \brief Cancels a Source when the process receives SIGINT or SIGTERM (Ctrl+C, \c kill).

    The constructor installs handlers for SIGINT and SIGTERM with sigaction();
    the destructor restores the handlers that were installed before. The
    handler is async-signal-safe: it only write()s the signal number to a
    socketpair, saving and restoring errno, as in Qt's "Calling Qt Functions
    From Unix Signal Handlers". A QSocketNotifier reads it on the thread the
    SignalCanceler lives in, which must run an event loop; there, every
    signal cancels target() with Reason::Kind::SystemSignal and the signal
    number (if target() is set and not yet canceled), then emits
    signalReceived(). The SignalCanceler prints nothing.

    Only one SignalCanceler may own the handlers at a time. Constructing a
    second one while another exists is a programming error: it logs a
    warning and stays inactive (isActive() is \c false). On platforms
    without POSIX signals it is always inactive.

    Signals that arrive while the event loop is busy are queued in the
    socketpair and handled in order; each one emits signalReceived() once.
    The handler runs on whichever thread the kernel picks, and is installed
    with SA_RESTART, so blocking calls in other threads are not cut short.

    Not thread-safe: use it from its own thread only.

    \inmodule CancellationToken
    \inheaderfile Cancellation/signalcanceler.h
*/
class CANCELLATION_EXPORT SignalCanceler : public QObject
{
    Q_OBJECT
    /*! \property Cancellation::SignalCanceler::active
        \brief Whether this instance owns the signal handlers. It does not
        change after construction.
    */
    Q_PROPERTY(bool active READ isActive CONSTANT)

public:
    /*!
        Installs the handlers with no target: signals are only reported by
        signalReceived(). \a parent is the QObject parent.
    */
    explicit SignalCanceler(QObject *parent = nullptr);
    /*! Installs the handlers; signals cancel \a target. \a parent is the QObject parent. */
    explicit SignalCanceler(Source *target, QObject *parent = nullptr);
    /*! Restores the previous SIGINT and SIGTERM handlers and closes the socketpair. */
    ~SignalCanceler() override;

    bool isActive() const noexcept;

    /*! The Source the next signal cancels, or \nullptr (also once it has been destroyed). */
    Source *target() const;
    /*!
        Makes later signals cancel \a target instead, for example the token of
        the next run; \nullptr makes them cancel nothing. The SignalCanceler
        does not own \a target.
    */
    void setTarget(Source *target);

Q_SIGNALS:
    /*!
        \fn [signalcanceler-signalreceived] void SignalCanceler::signalReceived(int signalNumber)

        A SIGINT or SIGTERM arrived, numbered \a signalNumber; emitted once
        per signal, after target() (if any) has been canceled. Emitted on this
        object's thread.
    */

    //! [signalcanceler-signalreceived]
    void signalReceived(int signalNumber, QPrivateSignal);

private:
    void handleSignal(int signalNumber);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Cancellation
