// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <QtCore/QString>

#include <chrono>
#include <optional>

namespace Demo {

struct RunConfig;

/*!
    \namespace Demo::LibraryCalls
    \brief The library calls behind the demo's actions, as C++ a reader could write: the
    window's log shows each one with its result, so every click teaches the API it uses.
    The run's Source is \c root and worker n's (1-based, as the window counts) \c workerN.
*/
namespace LibraryCalls {

//! \a duration as a std::chrono literal in the largest unit that holds it exactly: "10s",
//! "1500ms", "2min", "1h".
QString durationLiteral(std::chrono::nanoseconds duration);

//! What start() makes: the run's Source, one child per worker, and the timeout, if any.
QString start(const RunConfig &config);
//! Cancel all: root.cancel(), or cancelWithMessage(\a message), and what it returned.
QString cancelAll(bool result, const QString &message = {});
//! A worker's own cancel (0-based \a worker), with \a message if any, and what it returned.
QString cancelWorker(int worker, bool result, const QString &message = {});
//! The timeout re-armed with \a timeout from now, or disarmed if it is empty.
QString setTimeout(std::optional<std::chrono::nanoseconds> timeout, TimeoutStyle style);

} // namespace LibraryCalls

} // namespace Demo
