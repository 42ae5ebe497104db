// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>

#include <csignal>

namespace Demo {

// How the demo names the signals it handles, in the window and on the console alike.
namespace SignalNames {

// "SIGINT", "SIGTERM", or "signal 7".
QString name(int signalNumber);
// The article's line on a signal: "Handling sigint", "Handling sigterm", "Handling signal 7".
QString handlingLine(int signalNumber);
// The signals it handles, SIGINT and SIGTERM, as a set for sigaction() and pthread_sigmask().
sigset_t handledSet();

} // namespace SignalNames

} // namespace Demo
