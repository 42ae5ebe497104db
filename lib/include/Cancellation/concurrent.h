// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/registration.h>
#include <Cancellation/token.h>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>

#include <functional>
#include <type_traits>
#include <utility>

/*!
    \headerfile <Cancellation/concurrent.h>
    \inmodule CancellationToken
    \title <Cancellation/concurrent.h>
    \brief QtConcurrent::run for callables that take a Token. Header-only;
    link Qt6::Concurrent to use it.
*/

namespace Cancellation {

namespace detail {
// A waiter wakes before the canceling thread runs callbacks, so the function
// may return before the link has canceled the future: settle it here.
template<typename T>
void cancelIfCanceled(QPromise<T> &promise, const Token &token)
{
    if (token.isCanceled())
        promise.future().cancel();
}
} // namespace detail

/*!
    \fn [run-pool] auto run(QThreadPool *pool, const Token &token, F &&function, Args &&...args)
    \relates <Cancellation/concurrent.h>

    Runs \a function on \a pool with QtConcurrent::run, as
    \c{function(token, args...)}, and returns its future. While the function
    runs, canceling \a token also cancels the future, so QFutureWatchers see
    it; the function itself checks or waits on the token it is given.

    The \a args are copied, as QtConcurrent::run copies them.
*/

//! [run-pool]
template<typename F, typename... Args>
auto run(QThreadPool *pool, const Token &token, F &&function, Args &&...args)
{
    using Result = std::invoke_result_t<std::decay_t<F>, Token, std::decay_t<Args>...>;
    return QtConcurrent::run(
            pool,
            [function = std::forward<F>(function)](QPromise<Result> &promise,
                                                   const Token &taskToken,
                                                   std::decay_t<Args>... arguments) mutable {
                const Registration link =
                        taskToken.onCanceled([&promise] { promise.future().cancel(); });
                if constexpr (std::is_void_v<Result>)
                    std::invoke(function, taskToken, std::move(arguments)...);
                else
                    promise.addResult(std::invoke(function, taskToken, std::move(arguments)...));
                detail::cancelIfCanceled(promise, taskToken);
            },
            token, std::forward<Args>(args)...);
}

/*!
    \fn [run] auto run(const Token &token, F &&function, Args &&...args)
    \relates <Cancellation/concurrent.h>
    \overload

    Runs \c{function(token, args...)} on QThreadPool::globalInstance().
*/

//! [run]
template<typename F, typename... Args>
auto run(const Token &token, F &&function, Args &&...args)
{
    return run(QThreadPool::globalInstance(), token, std::forward<F>(function),
               std::forward<Args>(args)...);
}

/*!
    \fn [run-with-promise] runWithPromise
    \relates <Cancellation/concurrent.h>

    Runs \a function on \a pool, as \c{function(promise, token, args...)} with
    the \a args copied, where \a function reports through a QPromise<T>, as
    with QtConcurrent::run, and returns its future. Canceling
    \a token cancels the future, which the function also sees as
    QPromise::isCanceled(); canceling the future from outside does not cancel
    the token (use cancelWhenFutureCanceled() for that).
*/

//! [run-with-promise]
template<typename T, typename F, typename... Args>
QFuture<T> runWithPromise(QThreadPool *pool, const Token &token, F &&function, Args &&...args)
{
    return QtConcurrent::run(
            pool,
            [function = std::forward<F>(function)](QPromise<T> &promise, const Token &taskToken,
                                                   std::decay_t<Args>... arguments) mutable {
                const Registration link =
                        taskToken.onCanceled([&promise] { promise.future().cancel(); });
                std::invoke(function, promise, taskToken, std::move(arguments)...);
                detail::cancelIfCanceled(promise, taskToken);
            },
            token, std::forward<Args>(args)...);
}

} // namespace Cancellation
