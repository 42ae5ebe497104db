// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <chrono>
#include <memory>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace Cancellation {

namespace detail {
class State;
}

/*!
    \class Cancellation::Reason
    \brief Why a token was canceled: a kind, an optional message, and when.

    A Reason is an immutable, implicitly shared value. It is cheap to copy and
    safe to read from any thread. A default-constructed Reason has kind None
    and means "not canceled".

    \inmodule CancellationToken
    \inheaderfile Cancellation/reason.h
*/
class CANCELLATION_EXPORT Reason
{
    Q_GADGET
    /*! \property Cancellation::Reason::kind
        \brief Why the token was canceled; Kind::None if it was not.
    */
    Q_PROPERTY(Cancellation::Reason::Kind kind READ kind CONSTANT)
    /*! \property Cancellation::Reason::message
        \brief The message given to the cancel, or an empty string.
    */
    Q_PROPERTY(QString message READ message CONSTANT)
    /*! \property Cancellation::Reason::signalNumber
        \brief The signal number for Kind::SystemSignal, otherwise 0.
    */
    Q_PROPERTY(int signalNumber READ signalNumber CONSTANT)
    /*! \property Cancellation::Reason::text
        \brief The one-line description that toString() returns.
    */
    Q_PROPERTY(QString text READ toString CONSTANT)

public:
    /*!
        \enum Cancellation::Reason::Kind
        \value None            Not canceled.
        \value UserRequest     Source::cancel() or Source::cancelWithMessage() was called.
        \value Timeout         The deadline was reached.
        \value ParentCanceled  A parent token was canceled; see parent().
        \value SystemSignal    An operating-system signal such as SIGINT arrived; see
                               signalNumber().
    */
    enum class Kind {
        None,
        UserRequest,
        Timeout,
        ParentCanceled,
        SystemSignal,
    };
    Q_ENUM(Kind)

    /*! Makes a Reason of kind None: not canceled. */
    Reason() noexcept;
    /*!
        Makes a Reason of \a kind with \a message and, for Kind::SystemSignal only,
        \a signalNumber; canceledAt() is now. A Reason of kind None keeps
        neither. Explicit, so that comparing a Reason with a Kind does not
        compile: compare kind().
    */
    explicit Reason(Kind kind, const QString &message = QString(), int signalNumber = 0);

    Kind kind() const noexcept;
    /*! Returns \c true unless kind() is Kind::None. */
    bool isCanceled() const noexcept { return kind() != Kind::None; }
    QString message() const;
    int signalNumber() const noexcept;
    /*! When the token was canceled, on the steady clock. The epoch for Kind::None. */
    std::chrono::steady_clock::time_point canceledAt() const noexcept;
    /*! The parent's reason for Kind::ParentCanceled, otherwise a Reason of kind None. */
    Reason parent() const;
    /*!
        The reason at the root of a chain of ParentCanceled reasons; this one
        if it has no parent.
    */
    Reason root() const;

    /*! A one-line description, for example "timed out" or "canceled by SIGINT: message". */
    QString toString() const;

    /*!
        \fn [reason-equal] bool Reason::operator==(const Reason &lhs, const Reason &rhs)

        Returns \c true if \a lhs and \a rhs have the same kind, message,
        signal number and canceledAt(), and so have their chains of parents.
    */

    //! [reason-equal]
    friend CANCELLATION_EXPORT bool operator==(const Reason &lhs, const Reason &rhs) noexcept;

private:
    friend class detail::State;
    struct Data;
    // Fills storage if given, so that a cancel can use a Data allocated in advance.
    CANCELLATION_NO_EXPORT Reason(Kind kind, const QString &message, int signalNumber,
                                  std::chrono::steady_clock::time_point canceledAt,
                                  const Reason *parent, std::shared_ptr<Data> storage);

    std::shared_ptr<const Data> d;
};

/*!
    \relates Cancellation::Reason
    Writes \a reason's kind and message to \a debug, with the root's
    description for Kind::ParentCanceled, and returns \a debug.
*/
CANCELLATION_EXPORT QDebug operator<<(QDebug debug, const Reason &reason);

} // namespace Cancellation

Q_DECLARE_METATYPE(Cancellation::Reason)
