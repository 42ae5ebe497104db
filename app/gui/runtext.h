// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"
#include "core/runsnapshot.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

#include <chrono>

namespace Demo {

// The words the window uses for a run, wherever it shows them.
class RunText
{
    Q_DECLARE_TR_FUNCTIONS(Demo::RunText)

public:
    // "1 worker", "4 workers".
    static QString workers(int count);
    // Every one of \a count workers, as a sentence's subject: "The worker", "Both workers",
    // "All 4 workers".
    static QString everyWorker(int count);
    // "sleep, then check", "wait on the token", or both.
    static QString mode(WaitMode mode);
    // The speed of a run slowed down \a slowdown times: "1×", "0.25×", "0.1×".
    static QString speed(int slowdown);
    // \a worker's stop, as what a sentence about the worker says of it: "stopped 12 ms after
    // the deadline", "stopped 2 s after its token was canceled, 1.5 s of it while the run was
    // paused", "ignored its token and ran on for 1.2 s after its cancel was due". Empty without
    // a WorkerSnapshot::stopLatency.
    static QString stop(const WorkerSnapshot &worker);
    // \a time on the wall clock, "HH:mm:ss.zzz". Both clocks are read together once, so the
    // same moment always shows the same time, however often it is shown.
    static QString wallClock(std::chrono::steady_clock::time_point time);
};

} // namespace Demo
