// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/callbacktype.h>
#include <Cancellation/reason.h>

#include <atomic>
#include <thread>

namespace Cancellation::detail {

/*
    The memory of one small callback node, kept by a State for its next
    registration when a callback is unregistered: a token whose callbacks are
    registered and unregistered in turn, as a worker does for each item,
    allocates once. .NET's CancellationTokenSource keeps freed nodes likewise.
    Thread-safe.
*/
class SpareNode
{
public:
    // Every small node is allocated with this size, so that any small node's
    // memory holds any other.
    static constexpr std::size_t SmallSize = 96;

    SpareNode() = default;
    SpareNode(const SpareNode &) = delete;
    SpareNode &operator=(const SpareNode &) = delete;
    ~SpareNode() { ::operator delete(m_memory.load(std::memory_order_acquire)); }

    // Returns the kept memory, or null.
    void *take() noexcept
    {
        if (!m_memory.load(std::memory_order_relaxed))
            return nullptr;
        return m_memory.exchange(nullptr, std::memory_order_acquire);
    }
    // Keeps memory of SmallSize bytes if none is kept; returns false otherwise.
    bool keep(void *memory) noexcept
    {
        void *expected = nullptr;
        return m_memory.compare_exchange_strong(expected, memory, std::memory_order_release,
                                                std::memory_order_relaxed);
    }

private:
    std::atomic<void *> m_memory { nullptr };
};

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
    // Destroys the callback and frees the node, or keeps its memory in spare.
    virtual void destroy(SpareNode &spare) noexcept = 0;

protected:
    explicit CallbackNode(Role role) noexcept : m_role(role) { }
    virtual ~CallbackNode() = default;

private:
    friend class State;
    enum class Status : unsigned char { Unlinked, Linked, Running, Done };

    CallbackNode *m_prev = nullptr;
    CallbackNode *m_next = nullptr;
    std::thread::id m_runningOn; // valid while Running
    Status m_status = Status::Unlinked;
    const Role m_role;
    bool m_orphaned = false; // unregistered from inside its own callback: the canceler destroys it
};

// A user's callback, stored in the same allocation right after the node.
class UserCallback final : public CallbackNode
{
public:
    // Moves the callback at callback into a new node, in spare's memory if it
    // is small. Throws what the allocation or the callback's move constructor
    // throws.
    static UserCallback *create(const CallbackType &type, void *callback, SpareNode &spare);

    void invoke(const Reason &reason) override;
    void destroy(SpareNode &spare) noexcept override;

private:
    explicit UserCallback(const CallbackType &type) noexcept;
    ~UserCallback() override = default;

    static std::size_t callbackOffset(const CallbackType &type) noexcept;
    static std::size_t alignmentOf(const CallbackType &type) noexcept;
    static bool isSmall(const CallbackType &type) noexcept;
    static void *allocate(const CallbackType &type, SpareNode &spare);
    static void deallocate(void *memory, const CallbackType &type, SpareNode &spare) noexcept;
    void *callback() noexcept;

    const CallbackType &m_type;
};

} // namespace Cancellation::detail
