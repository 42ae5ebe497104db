// SPDX-License-Identifier: MIT
#pragma once

#include "state_p.h"

#include <Cancellation/source.h>

#include <memory>

namespace Cancellation {

// Source's private part: everything its installed header does not need.
class SourcePrivate
{
public:
    explicit SourcePrivate(std::shared_ptr<detail::State> newState) noexcept
        : state(std::move(newState))
    {
    }

    // Reports the state's events as q's signals.
    static detail::State::Observer observerOf(Source *q);
    // Arms, re-arms or disarms the own deadline; NoDeadlineNs disarms.
    bool setDeadline(qint64 deadlineNs, Source::DeadlineCheck check) const;

    const std::shared_ptr<detail::State> state;
};

} // namespace Cancellation
