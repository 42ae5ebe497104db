// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/callbacktype.h>
#include <Cancellation/cancellation_export.h>
#include <Cancellation/reason.h>
#include <Cancellation/registration.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QMetaObject>
#include <QtCore/QObject>

#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

namespace Cancellation {

class Source;

namespace detail {
class ScopedRegistration;
// The cancellation word of a Token that can never be canceled: live, with no
// deadline, for ever. Never written.
inline constinit const std::atomic<qint64> NeverCanceledWord { std::numeric_limits<qint64>::max() };
} // namespace detail

/*!
    \class Cancellation::Token
    \brief The worker's read-only view of a Source: check, wait, and register callbacks.

    A Token is a small copyable handle, like std::stop_token or Go's
    context.Context. It cannot cancel. It shares ownership of the token's
    state, so it stays valid after the Source that made it is destroyed and
    keeps reporting the final state.

    A default-constructed Token can never be canceled.

    \threadsafe

    All functions may be called from any thread on the same or on
    different Token objects.

    \inmodule CancellationToken
    \inheaderfile Cancellation/token.h
*/
class CANCELLATION_EXPORT Token
{
public:
    /*! Makes a Token that can never be canceled. \sa canBeCanceled() */
    Token() noexcept;
    /*! Makes a copy that refers to the same token. */
    Token(const Token &) = default;
    /*! Makes this Token refer to the same token as the one assigned. */
    Token &operator=(const Token &) = default;
    /*! Takes over \a other's token; \a other can then never be canceled. */
    Token(Token &&other) noexcept
        : m_state(std::move(other.m_state)),
          m_word(std::exchange(other.m_word, &detail::NeverCanceledWord))
    {
    }
    /*! Takes over \a other's token; \a other can then never be canceled. */
    Token &operator=(Token &&other) noexcept
    {
        m_state = std::move(other.m_state);
        m_word = std::exchange(other.m_word, &detail::NeverCanceledWord);
        return *this;
    }
    /*! Releases this handle; the token lives on in its Source and other copies. */
    ~Token() = default;

    /*!
        Returns \c true once the token has been canceled or its deadline has
        passed. Without a deadline this is one atomic load (acquire): every
        write made before the winning cancel() is visible to a thread that
        sees \c true. At or after the effective deadline it is \c true,
        even if the timer has not fired yet: the first caller to notice
        cancels the token (with Reason::Kind::Timeout, or ParentCanceled for a
        parent's deadline), and so runs its callbacks and emits
        Source::canceled() on the calling thread. Once a parent is seen
        canceled on this path, the token is canceled too, without waiting for
        the parent's cancellation to reach it.

        Inline, so that a polling loop pays for one load and one compare while
        the token is live. The encoding of that word is therefore part of the
        binary interface.
    */
    bool isCanceled() const noexcept
    {
        const qint64 word = m_word->load(std::memory_order_acquire);
        if (word == std::numeric_limits<qint64>::max()) // live, no deadline
            return false;
        if (word == std::numeric_limits<qint64>::min()) // canceled
            return true;
        return isCanceledSlow(); // a deadline is armed: compare it with the clock
    }

    /*! Returns \c false for a default-constructed Token, which can never be canceled. */
    bool canBeCanceled() const noexcept { return m_state != nullptr; }

    /*! The reason of the winning cancellation, or a Reason of kind None. */
    Reason reason() const;

    /*!
        The effective deadline: the earliest of this token's and its parents'.
        Forever if none. Settled when the token is canceled, and kept from then on.
    */
    QDeadlineTimer deadline() const noexcept;

    /*!
        Blocks until the token is canceled or \a timeout has elapsed, whichever
        comes first. Returns \c true if the token is canceled. Wakes within
        microseconds of cancel(); a token's waiters share one wake-up word, so
        waking 64 threads costs one system call. Also returns \c true at the
        token's deadline, whatever its DeadlineCheck, including a deadline
        armed while the wait was already blocked.
    */
    bool waitFor(std::chrono::nanoseconds timeout) const;
    /*!
        Blocks until the token is canceled or until \a deadline on the steady
        clock, whichever comes first. Returns \c true if the token is canceled.
        Wakes as waitFor() does. \sa waitFor()
    */
    bool waitUntil(std::chrono::steady_clock::time_point deadline) const;
    /*!
        \overload
        Waits until \a deadline; QDeadlineTimer::Forever waits until canceled.
    */
    bool waitUntil(QDeadlineTimer deadline) const;

    /*!
        \fn [token-oncanceled] Registration Token::onCanceled(F &&callback) const

        Registers \a callback to run exactly once when the token is canceled,
        synchronously on the thread that cancels it, with no lock held. If the
        token is already canceled, runs it at once on this thread. The callback
        may take a \c{const Reason &} or nothing. An exception thrown from it is
        caught and logged; the other callbacks still run.

        Destroying the returned Registration unregisters the callback.

        The callback is moved into one allocation. A Source and its tokens
        keep the memory of one unregistered callback for the next one if it is
        small: 48 bytes or less on a 64-bit system, such as a lambda that
        captures a few pointers, and not over-aligned. Registering and
        unregistering such callbacks in turn allocates once.
    */

    //! [token-oncanceled]
    template<typename F>
    [[nodiscard]] Registration onCanceled(F &&callback) const
    {
        using Functor = std::decay_t<F>;
        Functor functor(std::forward<F>(callback));
        return registerCallback(detail::callbackTypeOf<Functor>, &functor);
    }

    /*!
        \fn [token-oncanceled-context] Token::onCanceled(QObject *context, F &&callback) const
        \overload

        Like onCanceled(), but \a callback is queued to \a context's thread, as
        QFuture::onCanceled(context, ...) does. If \a context is destroyed
        before the queued call is delivered, the call is dropped. Keep the
        Registration no longer than \a context lives, for example as a member
        of \a context.
    */

    //! [token-oncanceled-context]
    template<typename F>
    [[nodiscard]] Registration onCanceled(QObject *context, F &&callback) const
    {
        using Functor = std::decay_t<F>;
        // The outer callback runs at most once, so it may move the functor on.
        return onCanceled([context, functor = Functor(std::forward<F>(callback))](
                                  const Reason &reason) mutable {
            QMetaObject::invokeMethod(
                    context,
                    [functor = std::move(functor), reason]() mutable {
                        if constexpr (std::is_invocable_v<Functor &, const Reason &>)
                            functor(reason);
                        else
                            functor();
                    },
                    Qt::QueuedConnection);
        });
    }

    /*! The debug name of the Source, if one was set. \sa Source::debugName */
    QString debugName() const;
    /*!
        The number of child tokens linked to this one that are alive and not
        canceled: a child leaves the count when it is canceled, by any cause,
        or destroyed. It leaves before it reads canceled, so a thread that
        sees a child canceled, or a slot of this token's own cancellation,
        never counts it.
    */
    qsizetype childCount() const noexcept;
    /*! The number of callbacks registered and not yet run or unregistered. */
    qsizetype registrationCount() const noexcept;

    /*!
        \fn [token-equal] bool Token::operator==(const Token &lhs, const Token &rhs)

        Returns \c true if \a lhs and \a rhs refer to the same token, or both
        can never be canceled.
    */

    //! [token-equal]
    friend bool operator==(const Token &lhs, const Token &rhs) noexcept
    {
        return lhs.m_state == rhs.m_state;
    }

private:
    friend class Source;
    friend class detail::ScopedRegistration;
    CANCELLATION_NO_EXPORT explicit Token(std::shared_ptr<detail::State> state) noexcept;
    // Moves the callback at callback, of the given type, into the token's list.
    Registration registerCallback(const detail::CallbackType &type, void *callback) const;
    bool isCanceledSlow() const noexcept;

    std::shared_ptr<detail::State> m_state;
    // The state's cancellation word, read inline by isCanceled(); never null, so
    // that a poll is one load and one compare while the token is live.
    const std::atomic<qint64> *m_word = &detail::NeverCanceledWord;
};

/*!
    \relates Cancellation::Token
    Writes \a token's debug name and state ("live", or the reason's
    description) to \a debug, and returns \a debug.
*/
CANCELLATION_EXPORT QDebug operator<<(QDebug debug, const Token &token);

} // namespace Cancellation

Q_DECLARE_METATYPE(Cancellation::Token)
