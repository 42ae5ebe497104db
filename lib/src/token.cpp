// SPDX-License-Identifier: MIT
#include <Cancellation/token.h>

#include "clock_p.h"
#include "state_p.h"

#include <Cancellation/logging.h>

#include <QtCore/QDebug>

#include <thread>

namespace Cancellation {

Token::Token() noexcept = default;

Token::Token(std::shared_ptr<detail::State> state) noexcept
    : m_state(std::move(state)),
      m_word(m_state ? m_state->cancellationWord() : &detail::NeverCanceledWord)
{
}

bool Token::isCanceledSlow() const noexcept
{
    return m_state->isCanceled(); // a Token without a state reads NeverCanceledWord
}

Reason Token::reason() const
{
    return m_state ? m_state->reason() : Reason();
}

QDeadlineTimer Token::deadline() const noexcept
{
    const qint64 ns = m_state ? m_state->effectiveDeadline() : detail::NoDeadlineNs;
    if (ns == detail::NoDeadlineNs)
        return QDeadlineTimer(QDeadlineTimer::Forever, Qt::PreciseTimer);
    // QDeadlineTimer's clock is CLOCK_MONOTONIC, as is std::chrono::steady_clock.
    QDeadlineTimer deadline(Qt::PreciseTimer);
    deadline.setPreciseDeadline(ns / 1'000'000'000, ns % 1'000'000'000, Qt::PreciseTimer);
    return deadline;
}

namespace {

bool waitUntilNs(detail::State *state, qint64 deadlineNs)
{
    if (state)
        return state->waitUntil(deadlineNs);
    if (deadlineNs == detail::NoDeadlineNs) {
        qCWarning(lcCancellation(), "Token: waiting forever on a token that can never be canceled");
        for (;;)
            std::this_thread::sleep_for(std::chrono::hours(24));
    }
    std::this_thread::sleep_until(detail::steadyTimePoint(deadlineNs));
    return false;
}

} // namespace

bool Token::waitFor(std::chrono::nanoseconds timeout) const
{
    if (timeout <= std::chrono::nanoseconds::zero())
        return isCanceled();
    return waitUntilNs(m_state.get(),
                       timeout == std::chrono::nanoseconds::max()
                               ? detail::NoDeadlineNs
                               : detail::steadyDeadlineAfter(timeout));
}

bool Token::waitUntil(std::chrono::steady_clock::time_point deadline) const
{
    const qint64 ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch())
                    .count();
    return waitUntilNs(m_state.get(), ns);
}

bool Token::waitUntil(QDeadlineTimer deadline) const
{
    // QDeadlineTimer's clock is CLOCK_MONOTONIC, as is std::chrono::steady_clock.
    return waitUntilNs(m_state.get(),
                       deadline.isForever() ? detail::NoDeadlineNs : deadline.deadlineNSecs());
}

Registration Token::registerCallback(const detail::CallbackType &type, void *callback) const
{
    if (!m_state)
        return Registration(); // can never be canceled, so the callback can never run
    detail::CallbackNode *node = detail::UserCallback::create(type, callback, m_state->spareNode());
    m_state->registerCallback(node);
    return Registration(m_state, node);
}

QString Token::debugName() const
{
    return m_state ? m_state->debugName() : QString();
}

qsizetype Token::childCount() const noexcept
{
    return m_state ? m_state->childCount() : 0;
}

qsizetype Token::registrationCount() const noexcept
{
    return m_state ? m_state->registrationCount() : 0;
}

QDebug operator<<(QDebug debug, const Token &token)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "Cancellation::Token(";
    if (!token.canBeCanceled())
        return debug << "never canceled)";
    const QString name = token.debugName();
    if (!name.isEmpty())
        debug << name << ", ";
    debug << (token.isCanceled() ? token.reason().toString() : QStringLiteral("live")) << ')';
    return debug;
}

} // namespace Cancellation
