// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace Bench {

class Report;

//! How long and how often to measure; set from the command line.
struct Settings
{
    bool quick = false;
    //! Repeated runs of each figure; the table shows min / median / max over them.
    int runs = 5;
    //! Rounds per run of the wake-up figures (p50 and p99 are taken over them).
    int wakeRounds = 100;
    std::uint64_t seed = 0;
};

//! Prints a progress line on stderr, so that stdout holds only the table or the JSON.
void progress(const char *format, ...) __attribute__((format(printf, 1, 2)));

//! 1. Poll cost: Token::isCanceled() against std::stop_token::stop_requested().
void runPollBenchmarks(Report &report, const Settings &settings);
//! 2. Cancel until the workers notice and until they are joined, against
//! std::jthread + std::stop_token + std::condition_variable_any; and the article's poll loop.
void runWakeBenchmarks(Report &report, const Settings &settings);
//! 3. Timeout lateness of Source::cancelAfter(), against the sleep_until() floor.
void runTimeoutBenchmarks(Report &report, const Settings &settings);
//! 4. Callback registration and 5. fan-out, against std::stop_callback and std::stop_source.
void runCallbackBenchmarks(Report &report, const Settings &settings);
//! 7. Making and dropping a Source and a child Source, against std::stop_source and a
//! std::stop_source linked to its parent by a std::stop_callback.
void runLifetimeBenchmarks(Report &report, const Settings &settings);
//! 8. Timeout isolation: how late other tokens' timeouts are observed while one token's
//! timeout callback blocks for 500 ms (80 ms with --quick).
void runIsolationBenchmarks(Report &report, const Settings &settings);

#if CANCELLATION_BENCH_GUI
//! 6. GUI throughput: MainWindow offscreen with 64 workers at 1 ms for 5 s, in a child process.
void runGuiBenchmark(Report &report, const Settings &settings);
//! The child process of runGuiBenchmark(), started with --gui-child.
int guiChildMain(int argc, char *argv[]);
#endif

} // namespace Bench
