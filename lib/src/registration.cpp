// SPDX-License-Identifier: MIT
#include <Cancellation/registration.h>

#include "state_p.h"

#include <utility>

namespace Cancellation {

Registration::Registration() noexcept = default;

Registration::Registration(const std::shared_ptr<detail::State> &state,
                           detail::CallbackNode *node) noexcept
    : m_state(state), m_node(node)
{
}

Registration::Registration(Registration &&other) noexcept
    : m_state(std::move(other.m_state)), m_node(std::exchange(other.m_node, nullptr))
{
}

Registration &Registration::operator=(Registration &&other) noexcept
{
    if (this != &other) {
        unregister();
        m_state = std::move(other.m_state);
        m_node = std::exchange(other.m_node, nullptr);
    }
    return *this;
}

Registration::~Registration()
{
    unregister();
}

bool Registration::unregister()
{
    detail::CallbackNode *node = std::exchange(m_node, nullptr);
    if (!node)
        return false;
    const std::shared_ptr<detail::State> state = std::move(m_state);
    return state->unregister(node);
}

bool Registration::isPending() const noexcept
{
    return m_node && m_state->isPending(m_node);
}

} // namespace Cancellation
