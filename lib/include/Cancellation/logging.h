// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>

#include <QtCore/QLoggingCategory>

/*!
    \headerfile <Cancellation/logging.h>
    \inmodule CancellationToken
    \title <Cancellation/logging.h>
    \brief The library's logging category.
*/

namespace Cancellation {
/*!
    \relates <Cancellation/logging.h>

    Returns the library's logging category, "cancellation". Enable debug
    output with \c{QT_LOGGING_RULES="cancellation.debug=true"}.
*/
CANCELLATION_EXPORT const QLoggingCategory &lcCancellation();
} // namespace Cancellation
