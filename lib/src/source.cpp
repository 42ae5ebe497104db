// SPDX-License-Identifier: MIT
#include <Cancellation/source.h>

#include "clock_p.h"
#include "source_p.h"

#include <Cancellation/logging.h>

#include <QtCore/QDebug>

#include <limits>

namespace Cancellation {

namespace {

std::vector<std::shared_ptr<detail::State>> statesOf(const QList<Token> &tokens,
                                                     std::shared_ptr<detail::State> Token::*state)
{
    std::vector<std::shared_ptr<detail::State>> states;
    states.reserve(tokens.size());
    for (const Token &token : tokens) {
        if (token.*state) // a default-constructed Token can never cancel a child
            states.push_back(token.*state);
    }
    return states;
}

} // namespace

Source::Source(QObject *parent)
    : QObject(parent),
      d_ptr(std::make_unique<SourcePrivate>(this,
                                            std::span<const std::shared_ptr<detail::State>>()))
{
}

Source::Source(const Token &parentToken, QObject *parent)
    : QObject(parent),
      // A default-constructed Token can never cancel a child.
      d_ptr(std::make_unique<SourcePrivate>(
              this,
              parentToken.m_state ? std::span(&parentToken.m_state, 1)
                                  : std::span<const std::shared_ptr<detail::State>>()))
{
}

Source::Source(const QList<Token> &parentTokens, QObject *parent)
    : QObject(parent),
      d_ptr(std::make_unique<SourcePrivate>(this, statesOf(parentTokens, &Token::m_state)))
{
}

Source::~Source()
{
    // Waits for an emission in flight on another thread.
    d_ptr->state->stopObserver();
}

Token Source::token() const
{
    return Token(d_ptr->state);
}

bool Source::isCanceled() const noexcept
{
    // Local references here and below: noticing a deadline cancels, and a slot
    // connected to canceled() may delete this Source, and with it d_ptr.
    const std::shared_ptr<detail::State> state = d_ptr->state;
    return state->isCanceled();
}

Reason Source::reason() const
{
    return d_ptr->state->reason();
}

QString Source::reasonText() const
{
    return d_ptr->state->reason().toString();
}

bool Source::cancel()
{
    const std::shared_ptr<detail::State> state = d_ptr->state;
    return state->cancel(Reason::Kind::UserRequest, QString(), 0);
}

bool Source::cancelWithMessage(const QString &message)
{
    const std::shared_ptr<detail::State> state = d_ptr->state;
    return state->cancel(Reason::Kind::UserRequest, message, 0);
}

bool Source::cancelWithReason(Reason::Kind kind, const QString &message, int signalNumber)
{
    const std::shared_ptr<detail::State> state = d_ptr->state;
    return state->cancel(kind, message, signalNumber);
}

bool Source::cancelAfter(std::chrono::nanoseconds timeout, DeadlineCheck check)
{
    if (timeout == std::chrono::nanoseconds::max())
        return d_ptr->setDeadline(detail::NoDeadlineNs, check);
    if (timeout < std::chrono::nanoseconds::zero()) {
        qCWarning(lcCancellation(),
                  "Source::cancelAfter(): negative timeout %lld ns rejected; the deadline is "
                  "unchanged. "
                  "Use std::chrono::nanoseconds::max() to disarm.",
                  static_cast<long long>(timeout.count()));
        return false;
    }
    return d_ptr->setDeadline(detail::steadyDeadlineAfter(timeout), check);
}

bool Source::cancelAfterMSecs(qint64 msecs)
{
    if (msecs == -1)
        return d_ptr->setDeadline(detail::NoDeadlineNs, DeadlineCheck::Timer);
    if (msecs < 0) {
        qCWarning(lcCancellation(),
                  "Source::cancelAfterMSecs(): negative timeout %lld ms rejected; the deadline is "
                  "unchanged. "
                  "Use -1 to disarm.",
                  static_cast<long long>(msecs));
        return false;
    }
    constexpr qint64 maxMSecs = std::numeric_limits<qint64>::max() / 1'000'000;
    // Beyond what nanoseconds can hold (292 years) is as good as never.
    if (msecs >= maxMSecs)
        return d_ptr->setDeadline(detail::NoDeadlineNs, DeadlineCheck::Timer);
    return d_ptr->setDeadline(detail::steadyDeadlineAfter(std::chrono::milliseconds(msecs)),
                              DeadlineCheck::Timer);
}

bool Source::cancelAt(QDeadlineTimer deadline, DeadlineCheck check)
{
    // QDeadlineTimer's clock is CLOCK_MONOTONIC, as is std::chrono::steady_clock.
    return d_ptr->setDeadline(
            deadline.isForever() ? detail::NoDeadlineNs : deadline.deadlineNSecs(), check);
}

bool Source::cancelAt(std::chrono::steady_clock::time_point deadline, DeadlineCheck check)
{
    // steady_clock counts nanoseconds, so this cannot overflow.
    return d_ptr->setDeadline(deadline == std::chrono::steady_clock::time_point::max()
                                      ? detail::NoDeadlineNs
                                      : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                deadline.time_since_epoch())
                                                .count(),
                              check);
}

detail::State::Observer SourcePrivate::observerOf(Source *q)
{
    // In force from the state's creation: a parent that is already canceled,
    // or cancels while q is still being constructed, emits canceled() and,
    // if it has a deadline, deadlineChanged() before it, to nobody, as nobody
    // can have connected yet. A new live state's first deadline emits
    // nothing: see State::create().
    detail::State::Observer observer;
    observer.canceled = [](void *source, const Reason &reason) {
        Q_EMIT static_cast<Source *>(source)->canceled(reason, Source::QPrivateSignal());
    };
    observer.deadlineChanged = [](void *source) {
        Q_EMIT static_cast<Source *>(source)->deadlineChanged(Source::QPrivateSignal());
    };
    observer.context = q;
    return observer;
}

bool SourcePrivate::setDeadline(qint64 deadlineNs, Source::DeadlineCheck check) const
{
    // A passed deadline cancels at once, on this thread, and a slot may delete
    // the Source before setOwnDeadline() returns. deadlineChanged() is emitted
    // by the state's observer, only if the effective deadline changes.
    const std::shared_ptr<detail::State> keepAlive = state;
    return keepAlive->setOwnDeadline(deadlineNs, check == Source::DeadlineCheck::Timer);
}

QDeadlineTimer Source::deadline() const noexcept
{
    return token().deadline();
}

qint64 Source::remainingTime() const noexcept
{
    const qint64 deadline = d_ptr->state->effectiveDeadline();
    if (deadline == detail::NoDeadlineNs)
        return -1;
    const qint64 now = detail::steadyNowNs();
    if (deadline <= now)
        return 0; // also for deadlines so far past that deadline - now would overflow
    return (deadline - now) / 1'000'000 + ((deadline - now) % 1'000'000 != 0);
}

QString Source::debugName() const
{
    return d_ptr->state->debugName();
}

void Source::setDebugName(const QString &name)
{
    if (d_ptr->state->setDebugName(name))
        Q_EMIT debugNameChanged(name, QPrivateSignal());
}

QDebug operator<<(QDebug debug, const Source *source)
{
    if (!source)
        return debug << "Cancellation::Source(nullptr)";
    return debug << source->token();
}

} // namespace Cancellation
