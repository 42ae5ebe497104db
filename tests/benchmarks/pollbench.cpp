// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "report.h"
#include "stats.h"

#include <Cancellation/source.h>

#include <chrono>
#include <stop_token>

namespace Bench {

namespace {

// Both loops have the same shape: poll, count, repeat. Both polls are inline.
double tokenPollNs(const Cancellation::Token &token, std::int64_t iterations)
{
    std::int64_t seen = 0;
    const std::int64_t start = nowNs();
    for (std::int64_t i = 0; i < iterations; ++i)
        seen += token.isCanceled() ? 1 : 0;
    const std::int64_t elapsed = nowNs() - start;
    keep(seen);
    return static_cast<double>(elapsed) / static_cast<double>(iterations);
}

double stdPollNs(const std::stop_token &token, std::int64_t iterations)
{
    std::int64_t seen = 0;
    const std::int64_t start = nowNs();
    for (std::int64_t i = 0; i < iterations; ++i)
        seen += token.stop_requested() ? 1 : 0;
    const std::int64_t elapsed = nowNs() - start;
    keep(seen);
    return static_cast<double>(elapsed) / static_cast<double>(iterations);
}

} // namespace

void runPollBenchmarks(Report &report, const Settings &settings)
{
    progress("1. poll cost");
    // Many short batches (well under a scheduler time slice), interleaved, so that a
    // preemption spoils one batch and not the figure: each run's figure is the median
    // of its batches.
    const std::int64_t iterations = 200'000;
    const int batches = settings.quick ? 31 : 51;

    Cancellation::Source source;
    const Cancellation::Token token = source.token();
    Cancellation::Source withDeadline;
    withDeadline.cancelAfter(std::chrono::hours(1), Cancellation::Source::DeadlineCheck::PollOnly);
    const Cancellation::Token deadlineToken = withDeadline.token();
    std::stop_source stopSource;
    const std::stop_token stopToken = stopSource.get_token();

    tokenPollNs(token, iterations); // warm up
    stdPollNs(stopToken, iterations);

    std::vector<double> tokenRuns, stdRuns, deadlineRuns;
    for (int run = 0; run < settings.runs; ++run) {
        std::vector<double> tokenNs, stdNs, deadlineNs;
        for (int batch = 0; batch < batches; ++batch) {
            tokenNs.push_back(tokenPollNs(token, iterations));
            stdNs.push_back(stdPollNs(stopToken, iterations));
            deadlineNs.push_back(tokenPollNs(deadlineToken, iterations / 10));
        }
        tokenRuns.push_back(percentile(tokenNs, 0.5));
        stdRuns.push_back(percentile(stdNs, 0.5));
        deadlineRuns.push_back(percentile(deadlineNs, 0.5));
    }

    const QString section = QStringLiteral("1. Poll cost");
    report.add({ QStringLiteral("poll.isCanceled"), section,
                 QStringLiteral("isCanceled() vs std::stop_token::stop_requested()"),
                 QStringLiteral("ns"), tokenRuns, stdRuns, Goal::ratioAtMost(1.5),
                 QStringLiteral("per run, the median of %1 interleaved batches of %2 polls")
                         .arg(batches)
                         .arg(iterations) });
    report.add({ QStringLiteral("poll.isCanceledWithDeadline"), section,
                 QStringLiteral("isCanceled() with a deadline armed (PollOnly), no std equivalent"),
                 QStringLiteral("ns"), deadlineRuns, std::nullopt, Goal(),
                 QStringLiteral("reads the steady clock on each poll to notice the deadline") });
}

} // namespace Bench
