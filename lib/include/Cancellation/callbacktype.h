// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/reason.h>

#include <cstddef>
#include <functional>
#include <new>
#include <type_traits>
#include <utility>

namespace Cancellation::detail {

/*
    Implementation detail of Token::onCanceled(): how the library moves, runs
    and destroys a callback whose type only the caller's code knows. The
    library allocates the callback's storage together with its own
    bookkeeping, so none of that bookkeeping is compiled into a consumer: the
    binary interface is this struct and Token::registerCallback(). Its layout
    and the order of its fields are an ABI commitment.
*/
struct CallbackType
{
    std::size_t size;
    std::size_t alignment;
    // Move-constructs the callback at to from the one at from.
    void (*moveConstruct)(void *to, void *from);
    // Runs the callback. Exceptions are caught and logged by the library.
    void (*invoke)(void *callback, const Reason &reason);
    void (*destroy)(void *callback) noexcept;
};

// Runs the callback of type F at callback; it takes a const Reason & or nothing.
template<typename F>
void invokeCallback(void *callback, const Reason &reason)
{
    F &functor = *static_cast<F *>(callback);
    if constexpr (std::is_invocable_v<F &, const Reason &>)
        std::invoke(functor, reason);
    else
        std::invoke(functor);
}

template<typename F>
inline constexpr CallbackType callbackTypeOf {
    sizeof(F),
    alignof(F),
    [](void *to, void *from) { ::new (to) F(std::move(*static_cast<F *>(from))); },
    &invokeCallback<F>,
    [](void *callback) noexcept { static_cast<F *>(callback)->~F(); },
};

} // namespace Cancellation::detail
