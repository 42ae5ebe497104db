// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "report.h"
#include "stats.h"

#include <Cancellation/source.h>

#include <chrono>
#include <latch>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace Bench {

namespace {

using namespace std::chrono_literals;

// One cancel-after sample: a waiter blocked on the token observes the timeout.
// Or, for the floor, a thread that sleeps until its own deadline.
struct Sample
{
    bool token = false;
    std::unique_ptr<Cancellation::Source> source;
    std::latch ready { 1 };
    std::thread thread;
    std::int64_t deadlineNs = 0;
    std::int64_t firedNs = 0; // reason().canceledAt(): when the timer thread canceled
    std::int64_t observedNs = 0; // when the waiter returned from its wait
};

void startTokenSample(Sample &sample, std::chrono::milliseconds timeout)
{
    sample.token = true;
    sample.source = std::make_unique<Cancellation::Source>();
    sample.thread = std::thread([&sample, token = sample.source->token()] {
        sample.ready.count_down();
        token.waitFor(std::chrono::nanoseconds::max());
        sample.observedNs = nowNs();
    });
    sample.ready.wait(); // the waiter exists before the deadline is armed
    sample.source->cancelAfter(timeout);
    sample.deadlineNs = sample.source->deadline().deadlineNSecs();
}

// The floor: what a thread that sleeps until a deadline gets from the kernel.
void startFloorSample(Sample &sample, std::chrono::milliseconds timeout)
{
    sample.thread = std::thread([&sample, timeout] {
        sample.ready.count_down();
        sample.deadlineNs = nowNs() + std::chrono::nanoseconds(timeout).count();
        std::this_thread::sleep_until(
                std::chrono::steady_clock::time_point(std::chrono::nanoseconds(sample.deadlineNs)));
        sample.observedNs = nowNs();
    });
    sample.ready.wait();
}

struct RunFigures
{
    std::vector<double> tokenLateMs, floorLateMs;
    std::vector<double> firedLateMs; // reason().canceledAt() - deadline
    double earliestMs = 1e9; // min over the token's samples of (observed or fired) - deadline
};

// Runs samples of cancel-after D, alternating token and floor. 1 ms samples run one
// after the other; longer ones are staggered (never two deadlines within 5 ms) so
// that the run stays short.
RunFigures runSamples(std::chrono::milliseconds timeout, int perKind, std::mt19937_64 &random)
{
    const bool sequential = timeout < 5ms;
    const std::chrono::nanoseconds spacing = std::max<std::chrono::nanoseconds>(5ms, timeout / 100);
    std::uniform_int_distribution<std::int64_t> jitter(
            0, sequential ? 1'000'000 : spacing.count() / 2);

    std::vector<std::unique_ptr<Sample>> samples;
    for (int i = 0; i < 2 * perKind; ++i) {
        auto &sample = samples.emplace_back(std::make_unique<Sample>());
        // token, floor, floor, token, token, floor, ...: each goes first half of the time.
        if ((i % 2 == 0) == (i / 2 % 2 == 0))
            startTokenSample(*sample, timeout);
        else
            startFloorSample(*sample, timeout);
        if (sequential)
            sample->thread.join();
        else
            std::this_thread::sleep_for(spacing);
        std::this_thread::sleep_for(std::chrono::nanoseconds(jitter(random)));
    }

    RunFigures figures;
    for (const auto &sample : samples) {
        if (sample->thread.joinable())
            sample->thread.join();
        const double lateMs = static_cast<double>(sample->observedNs - sample->deadlineNs) / 1e6;
        if (!sample->token) {
            figures.floorLateMs.push_back(lateMs);
            continue;
        }
        const Cancellation::Reason reason = sample->source->reason();
        if (reason.kind() != Cancellation::Reason::Kind::Timeout) {
            progress("error: a cancel-after sample ended with %s", qPrintable(reason.toString()));
            std::exit(2);
        }
        sample->firedNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  reason.canceledAt().time_since_epoch())
                                  .count();
        figures.tokenLateMs.push_back(lateMs);
        figures.firedLateMs.push_back(static_cast<double>(sample->firedNs - sample->deadlineNs)
                                      / 1e6);
        figures.earliestMs =
                std::min({ figures.earliestMs, lateMs,
                           static_cast<double>(sample->firedNs - sample->deadlineNs) / 1e6 });
    }
    return figures;
}

} // namespace

void runTimeoutBenchmarks(Report &report, const Settings &settings)
{
    struct Series
    {
        std::chrono::milliseconds timeout;
        int perKind;
        std::vector<double> tokenP50, tokenP99, tokenMax, floorP50, floorP99, floorMax, firedP50;
    };
    const int scale = settings.quick ? 2 : 1;
    std::vector<Series> series { { 1ms, 200 / scale, {}, {}, {}, {}, {}, {}, {} },
                                 { 10ms, 100 / scale, {}, {}, {}, {}, {}, {}, {} },
                                 { 100ms, 100 / scale, {}, {}, {}, {}, {}, {}, {} },
                                 { 1000ms, 100 / scale, {}, {}, {}, {}, {}, {}, {} } };
    std::mt19937_64 random(settings.seed + 3);
    double earliestMs = 1e9;
    for (int run = 0; run < settings.runs; ++run) {
        for (Series &s : series) {
            progress("3. timeout lateness: run %d/%d, cancelAfter(%lld ms), %d samples", run + 1,
                     settings.runs, static_cast<long long>(s.timeout.count()), s.perKind);
            const RunFigures figures = runSamples(s.timeout, s.perKind, random);
            s.tokenP50.push_back(percentile(figures.tokenLateMs, 0.5));
            s.tokenP99.push_back(percentile(figures.tokenLateMs, 0.99));
            s.tokenMax.push_back(maximum(figures.tokenLateMs));
            s.floorP50.push_back(percentile(figures.floorLateMs, 0.5));
            s.floorP99.push_back(percentile(figures.floorLateMs, 0.99));
            s.floorMax.push_back(maximum(figures.floorLateMs));
            s.firedP50.push_back(percentile(figures.firedLateMs, 0.5));
            earliestMs = std::min(earliestMs, figures.earliestMs);
        }
    }

    const QString section =
            QStringLiteral("3. Timeout lateness: observed − D (std: sleep_until floor)");
    for (const Series &s : series) {
        const QString d = QStringLiteral("cancelAfter(%1 ms)").arg(s.timeout.count());
        const QString id = QStringLiteral("timeout.%1ms.").arg(s.timeout.count());
        report.add(
                { id + QStringLiteral("p50"), section, d + QStringLiteral(", p50"),
                  QStringLiteral("ms"), s.tokenP50, s.floorP50, Goal::medianAtMost(0.2),
                  s.timeout == 1ms
                          ? QStringLiteral("%1 samples per run at 1 ms, %2 at 10, 100 and 1000 ms "
                                           "(p99 is the nearest rank); observed = a waiter blocked "
                                           "in waitFor() returns; samples of 10 ms and more are "
                                           "staggered, never two deadlines within 5 ms")
                                    .arg(200 / scale)
                                    .arg(100 / scale)
                          : QString() });
        report.add({ id + QStringLiteral("p99"), section, d + QStringLiteral(", p99"),
                     QStringLiteral("ms"), s.tokenP99, s.floorP99, Goal::medianAtMost(1.0),
                     QString() });
        report.add({ id + QStringLiteral("max"), section, d + QStringLiteral(", max"),
                     QStringLiteral("ms"), s.tokenMax, s.floorMax, Goal(), QString() });
        report.add({ id + QStringLiteral("fired.p50"), section,
                     d + QStringLiteral(", canceled (reason().canceledAt()), p50"),
                     QStringLiteral("ms"), s.firedP50, std::nullopt, Goal(),
                     s.timeout == 1ms ? QStringLiteral(
                             "when the token was canceled, by the timer thread or by "
                             "the waiter noticing its deadline, whichever came first")
                                      : QString() });
    }
    report.add({ QStringLiteral("timeout.earliest"), section,
                 QStringLiteral("earliest observed or fired − D, all D (never early)"),
                 QStringLiteral("ms"), std::vector<double> { earliestMs }, std::nullopt,
                 Goal::minAtLeast(0),
                 QStringLiteral("fired = reason().canceledAt(): when the timer thread or the "
                                "waiter canceled the token") });
}

} // namespace Bench
