// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/reason.h>

namespace Cancellation {

struct CANCELLATION_NO_EXPORT Reason::Data
{
    Data() = default;
    Data(const Data &) = delete;
    Data &operator=(const Data &) = delete;
    // Unrolls a long chain of parents that only this Data holds, so that the
    // reason of a 100,000-deep child is destroyed on a bounded stack.
    ~Data();

    Kind kind = Kind::None;
    QString message;
    int signalNumber = 0;
    std::chrono::steady_clock::time_point canceledAt;
    Reason parent;
};

} // namespace Cancellation
