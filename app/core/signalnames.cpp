// SPDX-License-Identifier: MIT
#include "signalnames.h"

namespace Demo::SignalNames {

QString name(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    default:
        return QStringLiteral("signal %1").arg(signalNumber);
    }
}

QString handlingLine(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
    case SIGTERM:
        return QStringLiteral("Handling ") + name(signalNumber).toLower();
    default:
        return QStringLiteral("Handling ") + name(signalNumber);
    }
}

sigset_t handledSet()
{
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    return signals;
}

} // namespace Demo::SignalNames
