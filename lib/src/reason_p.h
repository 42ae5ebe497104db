// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/reason.h>

namespace Cancellation {

struct Reason::Data
{
    Kind kind = Kind::None;
    QString message;
    int signalNumber = 0;
    std::chrono::steady_clock::time_point canceledAt;
    Reason parent;
};

} // namespace Cancellation
