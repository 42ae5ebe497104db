// SPDX-License-Identifier: MIT
#include <Cancellation/reason.h>

#include "reason_p.h"

#include <QtCore/QDebug>

#include <csignal>

namespace Cancellation {

Reason::Reason() noexcept = default;

Reason::Reason(Kind kind, const QString &message, int signalNumber)
    : Reason(kind, message, signalNumber,
             kind == Kind::None ? std::chrono::steady_clock::time_point() : std::chrono::steady_clock::now(),
             nullptr, nullptr)
{
}

Reason::Reason(Kind kind, const QString &message, int signalNumber,
               std::chrono::steady_clock::time_point canceledAt, const Reason *parent,
               std::shared_ptr<Data> storage)
{
    if (kind == Kind::None)
        return;
    std::shared_ptr<Data> data = storage ? std::move(storage) : std::make_shared<Data>();
    data->kind = kind;
    data->message = message;
    data->signalNumber = kind == Kind::SystemSignal ? signalNumber : 0;
    data->canceledAt = canceledAt;
    if (parent && kind == Kind::ParentCanceled)
        data->parent = *parent;
    d = std::move(data);
}

Reason::Kind Reason::kind() const noexcept
{
    return d ? d->kind : Kind::None;
}

QString Reason::message() const
{
    return d ? d->message : QString();
}

int Reason::signalNumber() const noexcept
{
    return d ? d->signalNumber : 0;
}

std::chrono::steady_clock::time_point Reason::canceledAt() const noexcept
{
    return d ? d->canceledAt : std::chrono::steady_clock::time_point();
}

Reason Reason::parent() const
{
    return d ? d->parent : Reason();
}

Reason Reason::root() const
{
    Reason reason = *this;
    while (reason.kind() == Kind::ParentCanceled && reason.parent().isCanceled())
        reason = reason.parent();
    return reason;
}

static QString signalName(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
#ifdef SIGHUP
    case SIGHUP:
        return QStringLiteral("SIGHUP");
#endif
    default:
        return QStringLiteral("signal %1").arg(signalNumber);
    }
}

QString Reason::toString() const
{
    QString text;
    switch (kind()) {
    case Kind::None:
        return QStringLiteral("not canceled");
    case Kind::UserRequest:
        text = QStringLiteral("canceled by user");
        break;
    case Kind::Timeout:
        text = QStringLiteral("timed out");
        break;
    case Kind::ParentCanceled:
        text = QStringLiteral("parent canceled (%1)").arg(parent().toString());
        break;
    case Kind::SystemSignal:
        text = QStringLiteral("canceled by %1").arg(signalName(signalNumber()));
        break;
    }
    if (!d->message.isEmpty())
        text += QStringLiteral(": ") + d->message;
    return text;
}

bool operator==(const Reason &lhs, const Reason &rhs) noexcept
{
    if (lhs.d == rhs.d)
        return true;
    if (!lhs.d || !rhs.d)
        return false;
    return lhs.d->kind == rhs.d->kind && lhs.d->message == rhs.d->message
            && lhs.d->signalNumber == rhs.d->signalNumber && lhs.d->canceledAt == rhs.d->canceledAt
            && lhs.d->parent == rhs.d->parent;
}

QDebug operator<<(QDebug debug, const Reason &reason)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Cancellation::Reason(" << reason.kind();
    if (!reason.message().isEmpty())
        debug << ", " << reason.message();
    if (reason.kind() == Reason::Kind::ParentCanceled)
        debug << ", parent: " << reason.parent();
    debug << ')';
    return debug;
}

} // namespace Cancellation
