// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/registration.h>
#include <Cancellation/token.h>

#include <QtCore/QRunnable>
#include <QtCore/QFuture>
#include <QtCore/QPromise>
#include <QtCore/QThreadPool>

#include <atomic>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

/*!
    \headerfile <Cancellation/concurrent.h>
    \inmodule CancellationToken
    \title <Cancellation/concurrent.h>
    \brief QtConcurrent::run for callables that take a Token: tasks on a
    QThreadPool that a canceled token takes off the queue. Header-only, and
    Qt6::Core is enough.
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

/*
    A task on a QThreadPool under a token. While it waits in the pool's queue,
    canceling the token takes it off the queue (QThreadPool::tryTake()) and
    finishes its future canceled; a task that starts with its token canceled
    finishes its future canceled without calling the function. Once started,
    canceling the token cancels the future, and the function sees the token.
*/
template<typename T, typename Body>
class TokenTask final : public QRunnable
{
public:
    TokenTask(const Token &token, Body body) : m_token(token), m_body(std::move(body))
    {
        m_promise.start(); // as QtConcurrent::run(): started once queued
    }

    static QFuture<T> start(QThreadPool *pool, const Token &token, Body body)
    {
        auto *task = new TokenTask(token, std::move(body));
        QFuture<T> future = task->m_promise.future();
        // Registered before the pool knows the task: a token canceled already finds nothing
        // to take, and run() sees it canceled. Once queued, the task is taken off the queue
        // and deleted by the callback, or it has started and unregisters the callback first.
        task->m_takeOff = token.onCanceled([pool, task] {
            if (pool->tryTake(task)) {
                task->m_queued.load(std::memory_order_acquire);
                task->finishCanceled();
                delete task; // also drops this callback's Registration, from inside it
            }
        });
        // QThreadPool hands the task over under its own lock; this release, and the acquire
        // of whoever takes the task, make that hand-off visible to ThreadSanitizer too.
        task->m_queued.store(true, std::memory_order_release);
        pool->start(task);
        return future;
    }

    void run() override
    {
        m_queued.load(std::memory_order_acquire);
        m_takeOff.unregister(); // waits for a callback that is trying to take the task
        if (m_token.isCanceled()) {
            finishCanceled();
            return;
        }
        {
            const Registration link = m_token.onCanceled([this] { m_promise.future().cancel(); });
            m_body(m_promise, m_token);
            cancelIfCanceled(m_promise, m_token);
        }
        m_promise.finish();
    }

private:
    void finishCanceled()
    {
        m_promise.future().cancel();
        m_promise.finish();
    }

    QPromise<T> m_promise;
    const Token m_token;
    Body m_body;
    Registration m_takeOff;
    std::atomic<bool> m_queued = false;
};

template<typename T, typename Body>
QFuture<T> startTask(QThreadPool *pool, const Token &token, Body &&body)
{
    return TokenTask<T, std::decay_t<Body>>::start(pool, token, std::forward<Body>(body));
}

} // namespace detail

/*!
    \fn [run-pool] auto run(QThreadPool *pool, const Token &token, F &&function, Args &&...args)
    \relates <Cancellation/concurrent.h>

    Runs \a function on \a pool as \c{function(token, args...)} and returns
    its future, as QtConcurrent::run does. While the task waits in the pool's
    queue, canceling \a token takes it off the queue and finishes the future
    canceled; a task whose token is canceled when it starts finishes canceled
    without calling \a function. While the function runs, canceling \a token
    also cancels the future, so QFutureWatchers see it; the function itself
    checks or waits on the token it is given.

    The \a args are copied, as QtConcurrent::run copies them.
*/

//! [run-pool]
template<typename F, typename... Args>
auto run(QThreadPool *pool, const Token &token, F &&function, Args &&...args)
{
    using Result = std::invoke_result_t<std::decay_t<F>, Token, std::decay_t<Args>...>;
    return detail::startTask<Result>(
            pool, token,
            [function = std::forward<F>(function),
             arguments = std::make_tuple(std::forward<Args>(args)...)](
                    QPromise<Result> &promise, const Token &taskToken) mutable {
                std::apply(
                        [&](auto &...argument) {
                            if constexpr (std::is_void_v<Result>)
                                std::invoke(function, taskToken, std::move(argument)...);
                            else
                                promise.addResult(
                                        std::invoke(function, taskToken, std::move(argument)...));
                        },
                        arguments);
            });
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
    the token (use cancelWhenFutureCanceled() for that). As with run(), a
    task canceled before it starts never calls \a function, and one canceled
    while queued leaves the pool's queue.
*/

//! [run-with-promise]
template<typename T, typename F, typename... Args>
QFuture<T> runWithPromise(QThreadPool *pool, const Token &token, F &&function, Args &&...args)
{
    return detail::startTask<T>(pool, token,
                                [function = std::forward<F>(function),
                                 arguments = std::make_tuple(std::forward<Args>(args)...)](
                                        QPromise<T> &promise, const Token &taskToken) mutable {
                                    std::apply(
                                            [&](auto &...argument) {
                                                std::invoke(function, promise, taskToken,
                                                            std::move(argument)...);
                                            },
                                            arguments);
                                });
}

} // namespace Cancellation
