// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/cancellation_export.h>

#include <QtCore/QLoggingCategory>

namespace Cancellation {
//! The library's logging category, "cancellation". Enable debug output with
//! QT_LOGGING_RULES="cancellation.debug=true".
CANCELLATION_EXPORT const QLoggingCategory &lcCancellation();
}
