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
*/
class CANCELLATION_EXPORT Reason
{
    Q_GADGET
    Q_PROPERTY(Cancellation::Reason::Kind kind READ kind CONSTANT)
    Q_PROPERTY(QString message READ message CONSTANT)
    Q_PROPERTY(int signalNumber READ signalNumber CONSTANT)
    Q_PROPERTY(QString text READ toString CONSTANT)

public:
    enum class Kind {
        None,           //!< not canceled
        UserRequest,    //!< cancel() was called
        Timeout,        //!< the deadline was reached
        ParentCanceled, //!< a parent token was canceled; see parent()
        SystemSignal,   //!< an operating-system signal such as SIGINT arrived
    };
    Q_ENUM(Kind)

    Reason() noexcept;
    //! Explicit, so that comparing a Reason with a Kind does not compile: compare kind().
    explicit Reason(Kind kind, const QString &message = QString(), int signalNumber = 0);

    Kind kind() const noexcept;
    bool isCanceled() const noexcept { return kind() != Kind::None; }
    QString message() const;
    //! The signal number for Kind::SystemSignal, otherwise 0.
    int signalNumber() const noexcept;
    //! When the token was canceled, on the steady clock. The epoch for Kind::None.
    std::chrono::steady_clock::time_point canceledAt() const noexcept;
    //! The parent's reason for Kind::ParentCanceled, otherwise a Reason of kind None.
    Reason parent() const;
    //! The reason at the root of a chain of ParentCanceled reasons.
    Reason root() const;

    //! A one-line description, for example "timed out" or "canceled by SIGINT: message".
    QString toString() const;

    friend CANCELLATION_EXPORT bool operator==(const Reason &lhs, const Reason &rhs) noexcept;

private:
    friend class detail::State;
    struct Data;
    // Fills storage if given, so that a cancel can use a Data allocated in advance.
    Reason(Kind kind, const QString &message, int signalNumber,
           std::chrono::steady_clock::time_point canceledAt, const Reason *parent,
           std::shared_ptr<Data> storage);

    std::shared_ptr<const Data> d;
};

CANCELLATION_EXPORT QDebug operator<<(QDebug debug, const Reason &reason);

} // namespace Cancellation

Q_DECLARE_METATYPE(Cancellation::Reason)
