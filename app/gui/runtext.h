// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>
#include <QtCore/QTime>

#include <chrono>

namespace Demo {

// The words the window uses for a run, wherever it shows them.
class RunText
{
    Q_DECLARE_TR_FUNCTIONS(Demo::RunText)

public:
    // "1 worker", "4 workers".
    static QString workers(int count);
    // "sleep, then check" or "wait on the token".
    static QString mode(WaitMode mode);
    // \a time on the wall clock, "HH:mm:ss.zzz", from the steady clock's \a steadyNow and
    // the wall clock's \a wallNow taken together.
    static QString wallClock(std::chrono::steady_clock::time_point time,
                             std::chrono::steady_clock::time_point steadyNow, const QTime &wallNow);
};

} // namespace Demo
