// SPDX-License-Identifier: MIT
#include "callbacknode_p.h"

#include <algorithm>

namespace Cancellation::detail {

UserCallback::UserCallback(const CallbackType &type) noexcept
    : CallbackNode(Role::User), m_type(type)
{
}

std::size_t UserCallback::callbackOffset(const CallbackType &type) noexcept
{
    return (sizeof(UserCallback) + type.alignment - 1) / type.alignment * type.alignment;
}

std::size_t UserCallback::alignmentOf(const CallbackType &type) noexcept
{
    return std::max(alignof(UserCallback), type.alignment);
}

// The aligned operator new goes through aligned_alloc(), several times slower
// than malloc(): only an over-aligned callback pays for it.
void *UserCallback::allocate(const CallbackType &type)
{
    const std::size_t size = callbackOffset(type) + type.size;
    const std::size_t alignment = alignmentOf(type);
    if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
        return ::operator new(size);
    return ::operator new(size, std::align_val_t(alignment));
}

void UserCallback::deallocate(void *memory, const CallbackType &type) noexcept
{
    const std::size_t alignment = alignmentOf(type);
    if (alignment <= __STDCPP_DEFAULT_NEW_ALIGNMENT__)
        ::operator delete(memory);
    else
        ::operator delete(memory, std::align_val_t(alignment));
}

UserCallback *UserCallback::create(const CallbackType &type, void *callback)
{
    void *memory = allocate(type);
    auto *node = ::new (memory) UserCallback(type);
    try {
        type.moveConstruct(node->callback(), callback);
    } catch (...) {
        node->~UserCallback();
        deallocate(memory, type);
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

void UserCallback::destroy() noexcept
{
    const CallbackType &type = m_type;
    type.destroy(callback());
    this->~UserCallback();
    deallocate(static_cast<void *>(this), type);
}

} // namespace Cancellation::detail
