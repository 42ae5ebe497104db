// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/callbacktype.h>
#include <Cancellation/reason.h>

#include <atomic>
#include <thread>

// AddressSanitizer keeps reporting a use of a node after it was unregistered:
// the memory a state keeps is poisoned until it is taken again.
#if defined(__SANITIZE_ADDRESS__)
#  define CANCELLATION_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define CANCELLATION_ASAN 1
#  endif
#endif
#ifdef CANCELLATION_ASAN
#  include <sanitizer/asan_interface.h>
#endif

namespace Cancellation::detail {

/*
    The memory of one small callback node, kept by a State for its next
    registration when a callback is unregistered: a token whose callbacks are
    registered and unregistered in turn, as a worker does for each item,
    allocates once. .NET's CancellationTokenSource keeps freed nodes likewise.
    A state holds those 96 bytes until it is destroyed. Thread-safe.
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
    ~SpareNode()
    {
        void *memory = m_memory.load(std::memory_order_acquire);
        unpoison(memory);
        ::operator delete(memory);
    }

    // Returns the kept memory, or null.
    void *take() noexcept
    {
        if (!m_memory.load(std::memory_order_relaxed))
            return nullptr;
        void *memory = m_memory.exchange(nullptr, std::memory_order_acquire);
        unpoison(memory);
        return memory;
    }
    // Keeps memory of SmallSize bytes if none is kept; returns false otherwise.
    bool keep(void *memory) noexcept
    {
        poison(memory); // before another thread can take it
        void *expected = nullptr;
        if (m_memory.compare_exchange_strong(expected, memory, std::memory_order_release,
                                             std::memory_order_relaxed))
            return true;
        unpoison(memory);
        return false;
    }

private:
    static void poison([[maybe_unused]] void *memory) noexcept
    {
#ifdef CANCELLATION_ASAN
        ASAN_POISON_MEMORY_REGION(memory, SmallSize);
#endif
    }
    static void unpoison([[maybe_unused]] void *memory) noexcept
    {
#ifdef CANCELLATION_ASAN
        if (memory)
            ASAN_UNPOISON_MEMORY_REGION(memory, SmallSize);
#endif
    }

    std::atomic<void *> m_memory { nullptr };
};

/*
    One registered callback in a State's list: a user's, in the heap
    (UserCallback) or in the caller's ScopedCallback (ScopedNode), or a
    child's link (ChildLink, in state_p.h). Every field is guarded by the
    owning State's mutex, except that a canceling parent chains the
    ChildLinks it took out of its list through m_next, on its own thread
    (State::markChildren()).
*/
class CallbackNode
{
public:
    enum class Role : unsigned char { User, Scoped, ChildLink };

    CallbackNode(const CallbackNode &) = delete;
    CallbackNode &operator=(const CallbackNode &) = delete;

    // Runs the callback. Exceptions are caught and logged by the caller.
    virtual void invoke(const Reason &reason) = 0;
    // Destroys what the node owns and frees it, or keeps its memory in spare.
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

/*
    A ScopedCallback's node, built in its ScopedRegistration's storage. The
    caller's object owns the memory and the callback, and outlives the
    registration: destroy() only ends the node's lifetime.
*/
class ScopedNode final : public CallbackNode
{
public:
    using Invoke = void (*)(void *callback, const Reason &reason);

    ScopedNode(Invoke invokeFunction, void *callback) noexcept
        : CallbackNode(Role::Scoped), m_invoke(invokeFunction), m_callback(callback)
    {
    }

    void invoke(const Reason &reason) override { m_invoke(m_callback, reason); }
    void destroy(SpareNode &) noexcept override { this->~ScopedNode(); }

private:
    ~ScopedNode() override = default;

    const Invoke m_invoke;
    void *const m_callback;
};

} // namespace Cancellation::detail
