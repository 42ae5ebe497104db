// SPDX-License-Identifier: MIT
#include <Cancellation/scopedcallback.h>

#include "state_p.h"

#include <new>

namespace Cancellation::detail {

static_assert(sizeof(ScopedNode) <= ScopedRegistration::NodeSize
                      && alignof(ScopedNode) <= ScopedRegistration::NodeAlign,
              "a ScopedNode must fit ScopedRegistration::m_node, which is binary interface");

void ScopedRegistration::registerWith(const Token &token, Invoke invoke, void *callback) noexcept
{
    Q_ASSERT(!m_state);
    if (!token.m_state)
        return; // can never be canceled, so the callback can never run
    m_state = token.m_state;
    link(invoke, callback);
}

void ScopedRegistration::registerWith(Token &&token, Invoke invoke, void *callback) noexcept
{
    Q_ASSERT(!m_state);
    if (!token.m_state)
        return;
    m_state = std::move(token.m_state);
    token.m_word = &NeverCanceledWord; // as a moved-from Token reads
    link(invoke, callback);
}

void ScopedRegistration::link(Invoke invoke, void *callback) noexcept
{
    m_state->registerCallback(::new (m_node) ScopedNode(invoke, callback));
}

void ScopedRegistration::unregister() noexcept
{
    if (const std::shared_ptr<State> state = std::move(m_state))
        state->unregister(std::launder(reinterpret_cast<ScopedNode *>(m_node)));
}

} // namespace Cancellation::detail
