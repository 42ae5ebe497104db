// SPDX-License-Identifier: MIT
#include <Cancellation/reason.h>

#include "reason_p.h"

#include <QtCore/QDebug>

#include <csignal>

namespace Cancellation {

Reason::Reason() noexcept = default;

Reason::Reason(Kind kind, const QString &message, int signalNumber)
    : Reason(kind, message, signalNumber,
             kind == Kind::None ? std::chrono::steady_clock::time_point()
                                : std::chrono::steady_clock::now(),
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

Reason::Data::~Data()
{
    std::shared_ptr<const Data> next = std::move(parent.d);
    // use_count() is exact when it is 1: no other owner is left to copy it.
    while (next && next.use_count() == 1) {
        // Sole owner of a Data that was made non-const: take its parent first.
        std::shared_ptr<const Data> after = std::move(const_cast<Data &>(*next).parent.d);
        next = std::move(after);
    }
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
#ifdef SIGBREAK
    case SIGBREAK: // Windows: Ctrl+Break, as SignalCanceler reports it
        return QStringLiteral("SIGBREAK");
#endif
    default:
        return QStringLiteral("signal %1").arg(signalNumber);
    }
}

QString Reason::toString() const
{
    // Iterative: "parent canceled (" for each level, the root's text, then the
    // closing parentheses, each level's message after its own parenthesis.
    if (!d)
        return QStringLiteral("not canceled");
    QString text;
    QList<const Data *> levels;
    const Data *data = d.get();
    while (data->kind == Kind::ParentCanceled && data->parent.d) {
        levels.append(data);
        text += QStringLiteral("parent canceled (");
        data = data->parent.d.get();
    }
    switch (data->kind) {
    case Kind::None:
        break;
    case Kind::UserRequest:
        text += QStringLiteral("canceled by user");
        break;
    case Kind::Timeout:
        text += QStringLiteral("timed out");
        break;
    case Kind::ParentCanceled:
        text += QStringLiteral("parent canceled (not canceled)");
        break;
    case Kind::SystemSignal:
        text += QStringLiteral("canceled by ") + signalName(data->signalNumber);
        break;
    }
    if (!data->message.isEmpty())
        text += QStringLiteral(": ") + data->message;
    for (auto level = levels.crbegin(); level != levels.crend(); ++level) {
        text += u')';
        if (!(*level)->message.isEmpty())
            text += QStringLiteral(": ") + (*level)->message;
    }
    return text;
}

bool operator==(const Reason &lhs, const Reason &rhs) noexcept
{
    // Iterative over the chains of parents.
    const Reason::Data *left = lhs.d.get();
    const Reason::Data *right = rhs.d.get();
    while (left != right) {
        if (!left || !right)
            return false;
        if (left->kind != right->kind || left->message != right->message
            || left->signalNumber != right->signalNumber || left->canceledAt != right->canceledAt)
            return false;
        left = left->parent.d.get();
        right = right->parent.d.get();
    }
    return true;
}

QDebug operator<<(QDebug debug, const Reason &reason)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Cancellation::Reason(" << reason.kind();
    if (!reason.message().isEmpty())
        debug << ", " << reason.message();
    if (reason.kind() == Reason::Kind::ParentCanceled)
        debug << ", root: " << reason.root().toString();
    debug << ')';
    return debug;
}

} // namespace Cancellation
