// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/signalwait.h>
#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <QCoro/QCoroTask>
#include <QtCore/QObject>
#include <QtCore/QThread>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

/*!
    \headerfile <Cancellation/coro.h>
    \inmodule CancellationToken
    \title <Cancellation/coro.h>
    \brief Coroutines under a token, with QCoro: \c{co_await token}, a QCoro
    task or a signal raced against a token and a timeout. Component \c Coro
    of the package (header-only): link \c CancellationToken::Coro.

    An awaitable here that suspends resumes the coroutine once, on the thread
    that awaited, through that thread's event loop, never inside the call
    that canceled. One whose result is known already (a token canceled
    before the co_await) does not suspend. A coroutine frame destroyed while
    it waits is never resumed.
*/

namespace Cancellation {

namespace detail {

// A coroutine suspended on this thread, to be resumed here at most once. Its awaiter owns
// it; the queued resume holds a weak_ptr, so a frame destroyed first is not resumed.
struct Suspended
{
    explicit Suspended(std::coroutine_handle<> h) : handle(h) { }
    std::coroutine_handle<> handle;
};

// Resumes \a suspended on \a context's thread, through its event loop, unless its awaiter
// is gone by then.
inline void resumeOn(QObject *context, std::weak_ptr<Suspended> suspended)
{
    QMetaObject::invokeMethod(
            context,
            [suspended = std::move(suspended)] {
                if (const auto alive = suspended.lock())
                    std::exchange(alive->handle, {}).resume();
            },
            Qt::QueuedConnection);
}

// The object on the awaiting thread that queued resumes go to, owned by the awaiter. It goes
// with deleteLater(): the awaiter usually ends inside a resume delivered to this very object,
// and a later delete leaves that call undisturbed. A resume still queued for it finds its
// awaiter gone and does nothing.
struct DeleteLater
{
    void operator()(QObject *object) const { object->deleteLater(); }
};
using Context = std::unique_ptr<QObject, DeleteLater>;

inline Context makeContext()
{
    return Context(new QObject);
}

// The result of untilCanceled() for a task of T: an optional T, or for void whether it ran to
// its end.
template<typename T>
using Completed = std::conditional_t<std::is_void_v<T>, bool, std::optional<T>>;

// A task raced against a token: the first of the two to finish decides. Touched on the
// awaiting thread only.
template<typename T>
struct Race
{
    Completed<T> result {};
    std::exception_ptr error; // what the task threw, if it finished first
    bool finished = false;
    std::weak_ptr<Suspended> waiting; // owned by the awaiter: gone with the awaiting frame
    Context context = makeContext(); // on the awaiting thread, where the race is decided

    void finish()
    {
        if (!std::exchange(finished, true))
            resumeOn(context.get(), waiting);
    }
};

// Runs the task to its end, detached, and hands its result to the race on the awaiting
// thread, if the race is still open.
template<typename T>
QCoro::Task<> runToEnd(QCoro::Task<T> task, std::shared_ptr<Race<T>> race)
{
    auto completed = std::make_shared<Completed<T>>();
    std::exception_ptr error;
    try {
        if constexpr (std::is_void_v<T>) {
            co_await std::move(task);
            *completed = true;
        } else {
            completed->emplace(co_await std::move(task));
        }
    } catch (...) {
        error = std::current_exception();
    }
    const auto deliver = [race, completed, error] {
        if (!race->finished) {
            race->result = std::move(*completed);
            race->error = error;
        }
        race->finish();
    };
    if (QThread::currentThread() == race->context->thread())
        deliver();
    else
        QMetaObject::invokeMethod(race->context.get(), deliver, Qt::QueuedConnection);
}

template<typename T>
class RaceAwaiter
{
public:
    RaceAwaiter(std::shared_ptr<Race<T>> race, Token token)
        : m_race(std::move(race)), m_token(std::move(token))
    {
    }

    bool await_ready() const noexcept { return m_race->finished || m_token.isCanceled(); }

    void await_suspend(std::coroutine_handle<> awaiting)
    {
        m_suspended = std::make_shared<Suspended>(awaiting);
        m_race->waiting = m_suspended;
        m_canceled = m_token.onCanceled(m_race->context.get(), [race = std::weak_ptr(m_race)] {
            if (const auto alive = race.lock())
                alive->finish();
        });
    }

    // Canceled before it suspended, or resumed: a result that comes later is dropped.
    void await_resume() { m_race->finished = true; }

private:
    std::shared_ptr<Race<T>> m_race;
    Token m_token;
    std::shared_ptr<Suspended> m_suspended;
    Registration m_canceled; // declared last: unregistered first
};

} // namespace detail

/*!
    \class Cancellation::TokenAwaiter
    \inmodule CancellationToken
    \inheaderfile Cancellation/coro.h
    \brief What \c{co_await token} waits on: the token's cancel, whose Reason
    it returns.

    \c{co_await token} suspends the coroutine until the token is canceled
    and returns its Reason; it resumes on the awaiting thread, through its
    event loop. It does not suspend if the token is canceled already. A
    token that is never canceled never resumes it.
*/
class TokenAwaiter
{
public:
    /*! Waits for \a token. */
    explicit TokenAwaiter(Token token) : m_token(std::move(token)) { }

    /*! Returns whether the token is canceled already. */
    bool await_ready() const noexcept { return m_token.isCanceled(); }
    /*! Suspends \a awaiting until the token is canceled. */
    void await_suspend(std::coroutine_handle<> awaiting)
    {
        m_suspended = std::make_shared<detail::Suspended>(awaiting);
        m_context = detail::makeContext();
        m_canceled = m_token.onCanceled(m_context.get(), [suspended = std::weak_ptr(m_suspended)] {
            if (const auto alive = suspended.lock())
                std::exchange(alive->handle, {}).resume();
        });
    }
    /*! Returns the token's reason. */
    Reason await_resume() const { return m_token.reason(); }

private:
    Token m_token;
    std::shared_ptr<detail::Suspended> m_suspended;
    detail::Context m_context;
    Registration m_canceled; // declared last: unregistered first
};

// co_await token: see TokenAwaiter.
inline TokenAwaiter operator co_await(const Token &token)
{
    return TokenAwaiter(token);
}

/*!
    \fn [until-canceled] QCoro::Task<Completed<T>> untilCanceled(QCoro::Task<T> task, Token token, std::chrono::nanoseconds timeout)
    \relates <Cancellation/coro.h>

    Awaits \a task until \a token is canceled or \a timeout passes
    (std::chrono::nanoseconds::max(), the default, sets none; zero or less,
    as a remaining time may be, has passed). Returns the task's value in a
    \c std::optional, empty if the token or the timeout came first; for a
    \c{QCoro::Task<void>}, \c true if it ran to its end.
    To tell the timeout from a cancel, ask \a token. If the task throws
    first, the exception is rethrown here.

    The awaiting coroutine resumes exactly once, on its thread. The task
    itself is not stopped, since a coroutine cannot be stopped from outside:
    it runs to its end, and its value is dropped. Stop the work it waits for
    with the same token (abortOnCancel(), terminateOnCancel()) and it ends
    at once; for a signal, use signalOrCanceled(), which ends on cancel.
    Any QCoro awaitable becomes a task in a one-line coroutine.
*/

//! [until-canceled]
template<typename T>
QCoro::Task<detail::Completed<T>>
untilCanceled(QCoro::Task<T> task, Token token,
              std::chrono::nanoseconds timeout = std::chrono::nanoseconds::max())
{
    Source scope(token); // the caller's token, and the timeout
    if (timeout != std::chrono::nanoseconds::max())
        scope.cancelAfter(std::max(timeout, std::chrono::nanoseconds::zero()));
    auto race = std::make_shared<detail::Race<T>>();
    detail::runToEnd(std::move(task), race); // detached: its frame ends with the task
    co_await detail::RaceAwaiter<T>(race, scope.token());
    if (race->error)
        std::rethrow_exception(race->error);
    co_return std::move(race->result);
}

/*!
    \class Cancellation::SignalAwaiter
    \inmodule CancellationToken
    \inheaderfile Cancellation/coro.h
    \brief What signalOrCanceled() returns: it waits for a signal, a token or
    a timeout, with onSignalOrCanceled(), and returns the SignalWaitResult.
*/
class SignalAwaiter
{
public:
    /*! \internal */
    template<typename Signal>
    SignalAwaiter(const typename QtPrivate::FunctionPointer<Signal>::Object *sender, Signal signal,
                  Token token, std::chrono::nanoseconds timeout)
        : m_token(std::move(token)),
          m_timeout(timeout),
          m_start([sender, signal](QObject *context, const Token &waitToken,
                                   std::chrono::nanoseconds waitTimeout,
                                   std::weak_ptr<State> state) {
              onSignalOrCanceled(
                      sender, signal, waitToken, context,
                      [context, state](SignalWaitResult result) {
                          if (const auto alive = state.lock()) {
                              alive->result = result;
                              detail::resumeOn(context, alive->suspended);
                          }
                      },
                      waitTimeout);
          })
    {
    }

    /*!
        Returns whether the result is known already: the token is canceled
        (SignalWaitResult::Canceled), or the timeout is zero or less
        (SignalWaitResult::TimedOut). Then it does not suspend, and connects
        nothing.
    */
    bool await_ready() noexcept
    {
        if (m_token.isCanceled())
            m_known = SignalWaitResult::Canceled;
        else if (m_timeout <= std::chrono::nanoseconds::zero())
            m_known = SignalWaitResult::TimedOut;
        return m_known.has_value();
    }
    /*! Starts the wait and suspends \a awaiting until it ends. */
    void await_suspend(std::coroutine_handle<> awaiting)
    {
        m_state = std::make_shared<State>();
        m_state->suspended = std::make_shared<detail::Suspended>(awaiting);
        m_context = detail::makeContext();
        m_start(m_context.get(), m_token, m_timeout, m_state);
    }
    /*! Returns how the wait ended. */
    SignalWaitResult await_resume() const { return m_known ? *m_known : m_state->result; }

private:
    struct State
    {
        SignalWaitResult result = SignalWaitResult::Canceled;
        std::shared_ptr<detail::Suspended> suspended;
    };

    Token m_token;
    std::chrono::nanoseconds m_timeout;
    std::function<void(QObject *, const Token &, std::chrono::nanoseconds, std::weak_ptr<State>)>
            m_start;
    std::optional<SignalWaitResult> m_known; // set by await_ready(): no wait
    std::shared_ptr<State> m_state;
    detail::Context m_context; // the wait's context: it ends with the frame
};

/*!
    \fn [signal-or-canceled] SignalAwaiter signalOrCanceled(const typename QtPrivate::FunctionPointer<Signal>::Object *sender, Signal signal, const Token &token, std::chrono::nanoseconds timeout)
    \relates <Cancellation/coro.h>

    \c{co_await signalOrCanceled(sender, &Sender::signal, token, 5s)} waits
    for \a sender's \a signal, a cancel of \a token or \a timeout, as
    onSignalOrCanceled() does, and returns the SignalWaitResult. A token
    canceled already, or a timeout of zero or less, gives its result at
    once, without suspending. Unlike a QCoro signal awaitable under
    untilCanceled(), it stops waiting on cancel: nothing is left connected.
*/

//! [signal-or-canceled]
template<typename Signal>
SignalAwaiter signalOrCanceled(const typename QtPrivate::FunctionPointer<Signal>::Object *sender,
                               Signal signal, const Token &token,
                               std::chrono::nanoseconds timeout = std::chrono::nanoseconds::max())
{
    return SignalAwaiter(sender, signal, token, timeout);
}

} // namespace Cancellation
