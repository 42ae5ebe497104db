// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/callbacktype.h>
#include <Cancellation/reason.h>

#include <thread>

namespace Cancellation::detail {

/*
    One registered callback in a State's list: a user's (UserCallback) or a
    child's link (ChildLink, in state_p.h). Every field is guarded by the
    owning State's mutex.
*/
class CallbackNode
{
public:
    enum class Role : unsigned char { User, ChildLink };

    CallbackNode(const CallbackNode &) = delete;
    CallbackNode &operator=(const CallbackNode &) = delete;

    // Runs the callback. Exceptions are caught and logged by the caller.
    virtual void invoke(const Reason &reason) = 0;
    // Destroys the callback and frees the node.
    virtual void destroy() noexcept = 0;

protected:
    explicit CallbackNode(Role role) noexcept : m_role(role) { }
    virtual ~CallbackNode() = default;

private:
    friend class State;
    enum class Status : unsigned char { Unlinked, Linked, Running, Done };

    CallbackNode *m_prev = nullptr;
    CallbackNode *m_next = nullptr;
    Status m_status = Status::Unlinked;
    const Role m_role;
    std::thread::id m_runningOn; // valid while Running
    bool m_orphaned = false; // unregistered from inside its own callback: the canceler destroys it
};

// A user's callback, stored in the same allocation right after the node.
class UserCallback final : public CallbackNode
{
public:
    // Moves the callback at callback into a new node. Throws what the
    // allocation or the callback's move constructor throws.
    static UserCallback *create(const CallbackType &type, void *callback);

    void invoke(const Reason &reason) override;
    void destroy() noexcept override;

private:
    explicit UserCallback(const CallbackType &type) noexcept;
    ~UserCallback() override = default;

    static std::size_t callbackOffset(const CallbackType &type) noexcept;
    static std::size_t alignmentOf(const CallbackType &type) noexcept;
    static void *allocate(const CallbackType &type);
    static void deallocate(void *memory, const CallbackType &type) noexcept;
    void *callback() noexcept;

    const CallbackType &m_type;
};

} // namespace Cancellation::detail
