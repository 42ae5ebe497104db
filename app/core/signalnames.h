// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>

namespace Demo {

// How the demo names the signals it handles, in the window and on the console alike.
namespace SignalNames {

// "SIGINT", "SIGTERM", or "signal 7".
QString name(int signalNumber);
// The article's line on a signal: "Handling sigint", "Handling sigterm", "Handling signal 7".
QString handlingLine(int signalNumber);

} // namespace SignalNames

} // namespace Demo
