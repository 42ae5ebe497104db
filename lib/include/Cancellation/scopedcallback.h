// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/callbacktype.h>
#include <Cancellation/cancellation_export.h>
#include <Cancellation/reason.h>
#include <Cancellation/token.h>

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

namespace Cancellation {

namespace detail {

class State;

/*
    Implementation detail of ScopedCallback: a registration that lives in the
    caller's object, with no allocation. The library builds its list node in
    m_node; the node's layout stays private to the library. This class's
    layout (consumers construct and destroy it inline), NodeSize, NodeAlign
    and these functions are the binary interface.
*/
class CANCELLATION_EXPORT ScopedRegistration
{
public:
    using Invoke = void (*)(void *callback, const Reason &reason);
    static constexpr std::size_t NodeSize = 64;
    static constexpr std::size_t NodeAlign = 8;

    ScopedRegistration() noexcept = default;
    ScopedRegistration(const ScopedRegistration &) = delete;
    ScopedRegistration &operator=(const ScopedRegistration &) = delete;
    ~ScopedRegistration() = default; // the owner calls unregister() first

    // Registers the callback at callback with token, or runs it at once on
    // this thread if token is canceled. At most once per object. Allocates
    // nothing.
    void registerWith(const Token &token, Invoke invoke, void *callback) noexcept;
    void registerWith(Token &&token, Invoke invoke, void *callback) noexcept;
    // Unregisters as Registration::unregister() does; from inside the
    // callback itself, returns at once and the canceling thread never touches
    // this object again.
    void unregister() noexcept;

private:
    // Builds the node in m_node and registers it with m_state.
    CANCELLATION_NO_EXPORT void link(Invoke invoke, void *callback) noexcept;

    std::shared_ptr<State> m_state;
    alignas(NodeAlign) std::byte m_node[NodeSize];
};

} // namespace detail

/*!
    \class Cancellation::ScopedCallback
    \brief A callback registered with a Token for exactly as long as this object lives, like std::stop_callback.

    The constructor registers the callback, and the destructor unregisters
    it. The callback runs at most once: synchronously on the thread that
    cancels the token, with no lock held; or at once, in the constructor, if
    the token is already canceled. It may take a \c{const Reason &} or
    nothing. An exception thrown from it is caught and logged.

    \code
    Cancellation::ScopedCallback abortTransfer(token, [&] { transfer.abort(); });
    \endcode

    Unlike Token::onCanceled(), which moves the callback into the heap and
    returns a movable Registration, a ScopedCallback keeps the callback and
    the library's bookkeeping inside itself: registering allocates nothing.
    It can be neither copied nor moved, as the token's list points into it.

    ScopedCallback objects may be made and destroyed on any thread, each by
    one thread at a time. The destructor may race with a cancellation on another thread: either
    the callback never runs, or it runs exactly once and the destructor
    waits for it to return before the callback is destroyed. So never
    destroy a ScopedCallback while holding a lock that its callback takes.

    Destroying a ScopedCallback from inside its own callback, on the
    canceling thread, returns at once instead of deadlocking, and the
    canceling thread never touches it again. The callable is then destroyed
    before its call returns: after that point the callback must not touch
    its captures or members. This holds at any depth of that call, including
    an event loop nested in it that delivers a deleteLater().

    \inmodule CancellationToken
    \inheaderfile Cancellation/scopedcallback.h
    \sa Token::onCanceled()
*/
template<typename Callback>
class ScopedCallback
{
    static_assert(std::is_object_v<Callback> && !std::is_const_v<Callback>,
                  "ScopedCallback<Callback> stores a Callback: not a reference, not const");
    static_assert(
            std::is_invocable_v<Callback &, const Reason &> || std::is_invocable_v<Callback &>,
            "a cancellation callback takes a const Reason & or nothing");

public:
    /*!
        \fn [scoped-token] template<typename F> ScopedCallback::ScopedCallback(const Token &token, F &&callback)

        Constructs the callback from \a callback and registers it with \a
        token. If \a token is already canceled, runs it before returning. If \a
        token can never be canceled, registers nothing. Throws only what
        constructing the callback throws.
    */

    //! [scoped-token]
    template<typename F>
    [[nodiscard]] explicit ScopedCallback(const Token &token, F &&callback) noexcept(
            std::is_nothrow_constructible_v<Callback, F>)
        : m_callback(std::forward<F>(callback))
    {
        m_registration.registerWith(token, &detail::invokeCallback<Callback>,
                                    std::addressof(m_callback));
    }
    /*!
        \fn [scoped-moved-token] template<typename F> ScopedCallback::ScopedCallback(Token &&token, F &&callback)
        \overload

        Takes over \a token instead of copying it.
    */

    //! [scoped-moved-token]
    template<typename F>
    [[nodiscard]] explicit ScopedCallback(Token &&token, F &&callback) noexcept(
            std::is_nothrow_constructible_v<Callback, F>)
        : m_callback(std::forward<F>(callback))
    {
        m_registration.registerWith(std::move(token), &detail::invokeCallback<Callback>,
                                    std::addressof(m_callback));
    }
    ScopedCallback(const ScopedCallback &) = delete;
    ScopedCallback &operator=(const ScopedCallback &) = delete;
    /*!
        Unregisters the callback. If it is running on another thread, waits for
        it to return first; from inside the callback itself, returns at once.
    */
    ~ScopedCallback() { m_registration.unregister(); }

private:
    // Mutable: a const ScopedCallback may still run a callable that changes itself.
    mutable Callback m_callback;
    detail::ScopedRegistration m_registration;
};

template<typename Callback>
ScopedCallback(Token, Callback) -> ScopedCallback<Callback>;

} // namespace Cancellation
