// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>

#include <memory>

namespace Cancellation {

namespace detail {
class State;
class CallbackNode;
} // namespace detail

/*!
    \class Cancellation::Registration
    \brief Owns a callback registered with Token::onCanceled(); destroying it unregisters.

    A Registration is move-only. Its destructor calls unregister().

    \threadsafe

    An unregister() may race with cancel() on another thread: exactly
    one of the two wins. Either unregister() returns \c true and the callback
    never runs, or the callback runs (exactly once) and unregister() returns
    \c false after it has finished. Unregistering from inside the callback
    itself returns at once instead of deadlocking.

    \inmodule CancellationToken
    \inheaderfile Cancellation/registration.h
*/
class CANCELLATION_EXPORT Registration
{
public:
    /*! Makes an empty Registration, which owns no callback. */
    Registration() noexcept;
    /*! Takes over the callback of \a other, which becomes empty. */
    Registration(Registration &&other) noexcept;
    /*!
        Unregisters this Registration's callback, as unregister() does, then
        takes over the callback of \a other, which becomes empty.
    */
    Registration &operator=(Registration &&other) noexcept;
    Registration(const Registration &) = delete;
    Registration &operator=(const Registration &) = delete;
    /*! Unregisters the callback, as unregister() does. \sa unregister() */
    ~Registration();

    /*!
        Removes the callback. Returns \c true if it was removed before it ran,
        so it will never run; \c false if it has run, is running, or this
        Registration is empty. If the callback is running on another thread,
        waits for it to return first. Returns \c true at most once.
    */
    bool unregister();

    /*! Returns \c true while the callback is registered and has not started to run. */
    bool isPending() const noexcept;

private:
    friend class Token;
    friend class Source;
    friend class detail::State;
    CANCELLATION_NO_EXPORT Registration(const std::shared_ptr<detail::State> &state,
                                        detail::CallbackNode *node) noexcept;

    std::shared_ptr<detail::State> m_state;
    detail::CallbackNode *m_node = nullptr;
};

} // namespace Cancellation
