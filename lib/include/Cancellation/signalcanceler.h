// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>

#include <QtCore/QObject>

#include <memory>

namespace Cancellation {

class Source;

/*!
    \class Cancellation::SignalCanceler
    \brief Cancels a Source on Ctrl+C or a termination request: SIGINT or SIGTERM on Unix,
    a console control event on Windows.

    Every signal is handled on the thread the SignalCanceler lives in, which
    must run an event loop: there it cancels target() with
    Reason::Kind::SystemSignal and the signal number (if target() is set and
    not yet canceled), then emits signalReceived(). The SignalCanceler prints
    nothing. Signals that arrive while the event loop is busy are queued and
    each one emits signalReceived() once.

    Only one SignalCanceler may own the handlers at a time. Constructing a
    second one while another exists is a programming error: it logs a
    warning and stays inactive (isActive() is \c false).

    What holds on each platform:

    \list
    \li Unix (Linux, macOS): the constructor installs handlers for SIGINT
        and SIGTERM with sigaction(), with SA_RESTART, so blocking calls in
        other threads are not cut short; the destructor restores the handlers
        that were installed before. The handler is async-signal-safe: it only
        write()s the signal number to a socketpair, saving and restoring
        errno, as in Qt's "Calling Qt Functions From Unix Signal Handlers". It
        runs on whichever thread the kernel picks; a QSocketNotifier reads the
        socketpair in order. Under ThreadSanitizer, a handler that lands on a
        thread blocked in write() runs only once the write returns, which a
        stalled reader may never let happen: start such threads with SIGINT
        and SIGTERM blocked (pthread_sigmask()), so that the kernel gives the
        signals to another thread.
    \li Windows: the constructor adds a console control handler with
        SetConsoleCtrlHandler(); the destructor removes it, leaving other
        handlers in place. Ctrl+C is reported as SIGINT, Ctrl+Break as
        SIGBREAK, closing the console window as SIGTERM. Windows runs the
        handler on a thread of its own for each event; it posts the signal to
        this object's thread. Ctrl+C and Ctrl+Break then count as handled and
        the process goes on. On a close, the handler does not return: Windows
        ends the process about 5 seconds after the event (at once if the
        handler returned), and blocking gives the program those seconds to
        cancel, let its workers stop and return from main(). Logoff and
        shutdown events are left to other handlers. A process without a
        console receives no events, and one started with Ctrl+C disabled (in a
        new process group) receives no Ctrl+C.
    \li Elsewhere: it logs a warning and stays inactive.
    \endlist

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
    /*!
        Restores the previous SIGINT and SIGTERM handlers and closes the socketpair (Unix), or
        removes the console control handler (Windows). A signal that races with the destructor
        may be dropped (Unix), or be handled by this object or by the handlers that remain
        (Windows; by default Ctrl+C then ends the process).
    */
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

        A SIGINT or SIGTERM (on Windows also SIGBREAK) arrived, numbered
        \a signalNumber; emitted once per signal, after target() (if any) has
        been canceled. Emitted on this object's thread.
    */

    //! [signalcanceler-signalreceived]
    void signalReceived(int signalNumber, QPrivateSignal);

private:
    CANCELLATION_NO_EXPORT void handleSignal(int signalNumber);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Cancellation
