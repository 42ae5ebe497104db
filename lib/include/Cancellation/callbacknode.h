// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>
#include <Cancellation/reason.h>

#include <functional>
#include <thread>
#include <type_traits>
#include <utility>

namespace Cancellation::detail {

/*
    Implementation detail of Token::onCanceled(): one registered callback.
    Every field but the callable is guarded by the owning State's mutex.
*/
class CANCELLATION_EXPORT CallbackNode
{
public:
    enum class Role : unsigned char { User, ChildLink };

    explicit CallbackNode(Role role) noexcept : m_role(role) { }
    CallbackNode(const CallbackNode &) = delete;
    CallbackNode &operator=(const CallbackNode &) = delete;
    virtual ~CallbackNode();

    // Runs the callback. Exceptions are caught and logged by the caller.
    virtual void invoke(const Reason &reason) = 0;

private:
    friend class State;
    enum class Status : unsigned char { Unlinked, Linked, Running, Done };

    CallbackNode *m_prev = nullptr;
    CallbackNode *m_next = nullptr;
    Status m_status = Status::Unlinked;
    const Role m_role;
    std::thread::id m_runningOn; // valid while Running
    bool m_orphaned = false; // unregistered from inside its own callback: the canceler deletes it
};

template<typename F>
class FunctorNode final : public CallbackNode
{
public:
    template<typename G>
    explicit FunctorNode(G &&functor)
        : CallbackNode(Role::User), m_functor(std::forward<G>(functor))
    {
    }

    void invoke(const Reason &reason) override
    {
        if constexpr (std::is_invocable_v<F &, const Reason &>)
            std::invoke(m_functor, reason);
        else
            std::invoke(m_functor);
    }

private:
    F m_functor;
};

} // namespace Cancellation::detail
