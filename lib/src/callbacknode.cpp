// SPDX-License-Identifier: MIT
#include "callbacknode_p.h"

#include <QtCore/qglobal.h>

#include <algorithm>

namespace Cancellation::detail {

UserCallback::UserCallback(const CallbackType &type) noexcept
    : CallbackNode(Role::User), m_type(type)
{
}

std::size_t UserCallback::callbackOffset(const CallbackType &type) noexcept
{
    // An alignment is a power of two: a mask rounds up, where a division would
    // cost more than the rest of a registration.
    Q_ASSERT(type.alignment != 0 && (type.alignment & (type.alignment - 1)) == 0);
    return (sizeof(UserCallback) + type.alignment - 1) & ~(type.alignment - 1);
}

std::size_t UserCallback::alignmentOf(const CallbackType &type) noexcept
{
    return std::max(alignof(UserCallback), type.alignment);
}

bool UserCallback::isSmall(const CallbackType &type) noexcept
{
    static_assert(sizeof(UserCallback) + 48 <= SpareNode::SmallSize,
                  "Token::onCanceled() documents that a callback of 48 bytes is small");
    return callbackOffset(type) + type.size <= SpareNode::SmallSize
            && alignmentOf(type) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;
}

// The aligned operator new goes through aligned_alloc(), several times slower
// than malloc(): only an over-aligned callback pays for it.
void *UserCallback::allocate(const CallbackType &type, SpareNode &spare)
{
    if (isSmall(type)) {
        if (void *memory = spare.take())
            return memory;
        return ::operator new(SpareNode::SmallSize);
    }
    const std::size_t size = callbackOffset(type) + type.size;
    const std::size_t alignment = alignmentOf(type);
    if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
        return ::operator new(size);
    return ::operator new(size, std::align_val_t(alignment));
}

void UserCallback::deallocate(void *memory, const CallbackType &type, SpareNode &spare) noexcept
{
    const std::size_t alignment = alignmentOf(type);
    if (isSmall(type) && spare.keep(memory))
        return;
    if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
        ::operator delete(memory);
    else
        ::operator delete(memory, std::align_val_t(alignment));
}

UserCallback *UserCallback::create(const CallbackType &type, void *callback, SpareNode &spare)
{
    void *memory = allocate(type, spare);
    auto *node = ::new (memory) UserCallback(type);
    try {
        type.moveConstruct(node->callback(), callback);
    } catch (...) {
        node->~UserCallback();
        deallocate(memory, type, spare);
        throw;
    }
    return node;
}

void *UserCallback::callback() noexcept
{
    return reinterpret_cast<std::byte *>(this) + callbackOffset(m_type);
}

void UserCallback::invoke(const Reason &reason)
{
    m_type.invoke(callback(), reason);
}

void UserCallback::destroy(SpareNode &spare) noexcept
{
    const CallbackType &type = m_type;
    type.destroy(callback());
    this->~UserCallback();
    deallocate(static_cast<void *>(this), type, spare);
}

} // namespace Cancellation::detail
