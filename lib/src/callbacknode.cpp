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

std::align_val_t UserCallback::alignmentOf(const CallbackType &type) noexcept
{
    return std::align_val_t(std::max(alignof(UserCallback), type.alignment));
}

UserCallback *UserCallback::create(const CallbackType &type, void *callback)
{
    void *memory = ::operator new(callbackOffset(type) + type.size, alignmentOf(type));
    auto *node = ::new (memory) UserCallback(type);
    try {
        type.moveConstruct(node->callback(), callback);
    } catch (...) {
        node->~UserCallback();
        ::operator delete(memory, alignmentOf(type));
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
    ::operator delete(static_cast<void *>(this), alignmentOf(type));
}

} // namespace Cancellation::detail
