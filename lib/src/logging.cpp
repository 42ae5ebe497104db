// SPDX-License-Identifier: MIT
#include <Cancellation/logging.h>

namespace Cancellation {

const QLoggingCategory &lcCancellation()
{
    static const QLoggingCategory category("cancellation", QtWarningMsg);
    return category;
}

} // namespace Cancellation
