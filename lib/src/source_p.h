// SPDX-License-Identifier: MIT
#pragma once

#include "state_p.h"

#include <Cancellation/source.h>

#include <memory>
#include <span>

namespace Cancellation {

// Source's private part: everything its installed header does not need.
class SourcePrivate
{
public:
    // Makes q's state, linked to parents. Allocated first, by make_unique:
    // once the state exists, nothing can throw before ~Source can stop its
    // observer.
    SourcePrivate(Source *q, std::span<const std::shared_ptr<detail::State>> parents)
        : state(detail::State::create(parents, observerOf(q)))
    {
    }

    // Reports the state's events as q's signals.
    static detail::State::Observer observerOf(Source *q);
    // Arms, re-arms or disarms the own deadline; NoDeadlineNs disarms.
    bool setDeadline(qint64 deadlineNs, Source::DeadlineCheck check) const;

    const std::shared_ptr<detail::State> state;
};

} // namespace Cancellation
