// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>
#include <Cancellation/reason.h>
#include <Cancellation/token.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <chrono>
#include <memory>

namespace Cancellation {

class SourcePrivate;

/*!
    \class Cancellation::Source
    \brief A QObject that owns a cancellation token: cancel it, give it a
    timeout, link it to parents, and watch it through signals and properties.

    Hand token() to workers; keep the Source where cancellation is decided,
    typically in the GUI. Destroying a Source neither cancels its token nor
    disarms its timeout: tokens already handed out stay valid, and a deadline
    armed before still cancels them when it passes.

    A Source made from parent tokens is canceled, with
    Reason::Kind::ParentCanceled, when any parent is; never the reverse.

    \threadsafe

    Every function may be called from any thread. Signals are
    emitted on the thread that caused them (the canceling thread; for a
    timeout, the timer thread or the first thread to poll or wait past the
    deadline), never while an internal lock is held.
    Connect with a context object to receive them on your own thread.

    \inmodule CancellationToken
    \inheaderfile Cancellation/source.h
*/
class CANCELLATION_EXPORT Source : public QObject
{
    Q_OBJECT
    /*! \property Cancellation::Source::canceled
        \brief Whether the token is canceled, as Token::isCanceled() reports it.
        Once \c true, it stays \c true.
    */
    Q_PROPERTY(bool canceled READ isCanceled NOTIFY canceled)
    /*! \property Cancellation::Source::reason
        \brief The reason of the winning cancellation, or a Reason of kind None.
    */
    Q_PROPERTY(Cancellation::Reason reason READ reason NOTIFY canceled)
    /*! \property Cancellation::Source::reasonText
        \brief The reason as one line of text (Reason::toString()), for display.
    */
    Q_PROPERTY(QString reasonText READ reasonText NOTIFY canceled)
    /*! \property Cancellation::Source::deadline
        \brief The effective deadline: the earliest of this Source's and its
        parents'. QDeadlineTimer::Forever if none. Settled when the token is
        canceled, and kept from then on. \sa Token::deadline()
    */
    Q_PROPERTY(QDeadlineTimer deadline READ deadline NOTIFY deadlineChanged)
    /*! \property Cancellation::Source::debugName
        \brief A name for debug output and logs; Token::debugName() returns it too.
    */
    Q_PROPERTY(QString debugName READ debugName WRITE setDebugName NOTIFY debugNameChanged)

public:
    /*!
        \enum Cancellation::Source::DeadlineCheck
        How a deadline is noticed: the article's two ways to add a timeout.

        \value Timer    Push and pull: a timer cancels at the deadline even if
                        nobody polls, and isCanceled() is true from the deadline
                        on, even before the timer fires.
        \value PollOnly Pull only, the article's "timeout_time": the deadline is
                        noticed by the first isCanceled(), wait or registration
                        at or after it. Nothing fires on its own.
    */
    enum class DeadlineCheck {
        Timer,
        PollOnly,
    };
    Q_ENUM(DeadlineCheck)

    /*! Makes a live Source, with no parent token, owned by the QObject \a parent. */
    explicit Source(QObject *parent = nullptr);
    /*!
        Makes a child of \a parentToken, born canceled if the parent already
        is; \a parent is the QObject parent.
    */
    explicit Source(const Token &parentToken, QObject *parent = nullptr);
    /*!
        Makes a token linked to several \a parentTokens, like .NET's
        CreateLinkedTokenSource: it is canceled when the first of them is.
        \a parent is the QObject parent.
    */
    explicit Source(const QList<Token> &parentTokens, QObject *parent = nullptr);
    /*!
        Destroys the Source without canceling its token: tokens handed out
        stay valid, and an armed deadline still cancels them.
    */
    ~Source() override;

    /*! A read-only handle for workers. It outlives this Source. */
    Token token() const;

    bool isCanceled() const noexcept;
    Reason reason() const;
    QString reasonText() const;

    /*!
        Cancels with Reason::Kind::UserRequest and \a message. Only the first
        cancellation of a token wins and returns \c true; it runs the
        callbacks and emits canceled(). Later calls return \c false and
        change nothing.
    */
    bool cancelWithMessage(const QString &message);

    /*!
        Arms the timeout: the token cancels itself with Reason::Kind::Timeout
        \a timeout from now, replacing any earlier deadline (as .NET's
        CancelAfter does). A dedicated timer thread fires it, so it works when
        armed from any thread, with or without an event loop, and never fires
        early. isCanceled() is true at the deadline even before the timer
        fires, and a thread blocked in Token::waitFor() wakes at the deadline
        on its own, even one that began waiting before the timeout was armed.

        std::chrono::nanoseconds::max() disarms the timeout. Zero cancels at
        once. Any other negative value is rejected: a warning is logged, the
        deadline is unchanged, and the function returns \c false. On a token
        that is already canceled it also returns \c false and changes nothing.
        Returns \c true otherwise.

        \a check says how the deadline is noticed; with DeadlineCheck::PollOnly
        no timer is armed. \sa DeadlineCheck
    */
    bool cancelAfter(std::chrono::nanoseconds timeout, DeadlineCheck check = DeadlineCheck::Timer);
    /*!
        Arms the timeout at \a deadline, noticed as \a check says, and returns
        as cancelAfter() does. QDeadlineTimer::Forever disarms the timeout. A
        deadline at or before now cancels at once.
    */
    bool cancelAt(QDeadlineTimer deadline, DeadlineCheck check = DeadlineCheck::Timer);
    /*!
        \overload
        std::chrono::steady_clock::time_point::max() disarms.
    */
    bool cancelAt(std::chrono::steady_clock::time_point deadline,
                  DeadlineCheck check = DeadlineCheck::Timer);

    QDeadlineTimer deadline() const noexcept;
    /*!
        Milliseconds until the effective deadline, rounded up; -1 if there is
        none, 0 once it has passed. It changes with time, so it is a function,
        not a property: to show a countdown, call it from a timer, and restart
        that timer on deadlineChanged().
    */
    Q_INVOKABLE qint64 remainingTime() const noexcept;

    QString debugName() const;
    void setDebugName(const QString &name);

public Q_SLOTS:
    /*!
        Cancels with Reason::Kind::UserRequest and no message. Returns \c true
        if this call canceled the token, as cancelWithMessage() does.
    */
    bool cancel();
    /*!
        Arms the timeout \a msecs milliseconds from now, with a timer; -1
        disarms. Other negative values are rejected. Returns as cancelAfter()
        does. \sa cancelAfter()
    */
    bool cancelAfterMSecs(qint64 msecs);

Q_SIGNALS:
    /*!
        \fn [source-canceled] void Source::canceled(const Reason &reason)

        Emitted exactly once, when the token is canceled, with the \a reason,
        on the canceling thread.
    */

    //! [source-canceled]
    void canceled(const Cancellation::Reason &reason, QPrivateSignal);
    /*!
        \fn [source-deadlinechanged] void Source::deadlineChanged()

        Emitted exactly when deadline(), the effective deadline, changes:
        when this Source's own deadline is armed, re-armed or disarmed, or a
        parent's is, and the earliest of them moves, or when a cancellation
        settles it. Emitted on the thread that made the change, after it, with
        no lock held; for a cancellation, before canceled().
    */

    //! [source-deadlinechanged]
    void deadlineChanged(QPrivateSignal);
    /*!
        \fn [source-debugnamechanged] void Source::debugNameChanged(const QString &name)

        Emitted when setDebugName() changes the debug name to \a name.
    */

    //! [source-debugnamechanged]
    void debugNameChanged(const QString &name, QPrivateSignal);

private:
    Q_DECLARE_PRIVATE(Source)
    friend class SignalCanceler;
    CANCELLATION_NO_EXPORT bool cancelWithReason(Reason::Kind kind, const QString &message,
                                                 int signalNumber);

    const std::unique_ptr<SourcePrivate> d_ptr;
};

/*!
    \relates Cancellation::Source
    Writes \a source's token to \a debug, as the Token overload does, or
    "Cancellation::Source(nullptr)"; returns \a debug.
*/
CANCELLATION_EXPORT QDebug operator<<(QDebug debug, const Source *source);

} // namespace Cancellation
