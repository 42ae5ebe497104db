// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "report.h"
#include "stats.h"

#include <Cancellation/source.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace Bench {

namespace {

using namespace std::chrono_literals;

std::chrono::steady_clock::time_point steadyAt(std::int64_t ns)
{
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

[[noreturn]] void fail(const char *what)
{
    progress("error: %s", what);
    std::exit(2);
}

// Counts down to zero; a wait that can give up, so a lost timeout stops the run with an
// error instead of hanging it.
class Countdown
{
public:
    explicit Countdown(int count) : m_count(count) { }

    void countDown()
    {
        std::lock_guard lock(m_mutex);
        if (--m_count == 0)
            m_zero.notify_all();
    }

    bool waitFor(std::chrono::nanoseconds timeout)
    {
        std::unique_lock lock(m_mutex);
        return m_zero.wait_for(lock, timeout, [this] { return m_count == 0; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_zero;
    int m_count;
};

// Token B: another token whose timeout falls while A's slow callback runs. Its cancellation is
// observed either by a thread blocked in waitFor(), or by a callback registered on it; never
// both on one token, as a waiter notices its token's deadline itself and cancels it on its own
// thread, which would also run the callback on time and hide the timer thread's delay.
struct Probe
{
    bool byWaiter = false;
    std::unique_ptr<Cancellation::Source> source;
    Cancellation::Registration registration; // after source: unregistered first
    std::latch ready { 1 };
    std::thread waiter;
    std::int64_t offsetNs = 0; // the deadline, after A's callback began
    std::int64_t deadlineNs = 0;
    std::int64_t observedNs = 0;
};

struct Parameters
{
    std::chrono::milliseconds slow; // how long A's callback blocks
    int probes; // B tokens per round, half observed each way
    int rounds; // per run
    std::chrono::nanoseconds firstOffset;
    std::chrono::nanoseconds spacing;
};

struct RoundFigures
{
    std::vector<double> waiterLateMs, callbackLateMs;
};

void runRound(const Parameters &p, int round, RoundFigures &figures)
{
    Countdown done(p.probes + 1); // every B observed, and A's callback returned
    std::vector<std::unique_ptr<Probe>> probes;
    for (int i = 0; i < p.probes; ++i) {
        auto &probe = probes.emplace_back(std::make_unique<Probe>());
        // waiter, callback, waiter, ... in even rounds; callback first in odd ones.
        probe->byWaiter = (i % 2 == 0) == (round % 2 == 0);
        probe->offsetNs = (p.firstOffset + i * p.spacing).count();
        probe->source = std::make_unique<Cancellation::Source>();
        Probe *raw = probe.get();
        if (probe->byWaiter) {
            probe->waiter = std::thread([raw, &done, token = probe->source->token()] {
                raw->ready.count_down();
                token.waitFor(std::chrono::nanoseconds::max());
                raw->observedNs = nowNs();
                done.countDown();
            });
            probe->ready.wait(); // blocked (or about to be) before its deadline is armed
        } else {
            probe->registration = probe->source->token().onCanceled([raw, &done] {
                raw->observedNs = nowNs();
                done.countDown();
            });
        }
    }

    // A: a short timeout whose callback arms every B a few ms ahead, then blocks. Arming
    // from inside the callback puts each B's deadline within the callback's run, however
    // late A itself fires.
    Cancellation::Source a;
    std::int64_t slowStartNs = 0, slowEndNs = 0;
    bool armed = true;
    Cancellation::Registration slow = a.token().onCanceled([&] {
        slowStartNs = nowNs();
        for (const auto &probe : probes) {
            probe->deadlineNs = slowStartNs + probe->offsetNs;
            armed = probe->source->cancelAt(steadyAt(probe->deadlineNs)) && armed;
        }
        const std::int64_t slowNs = std::chrono::nanoseconds(p.slow).count();
        std::this_thread::sleep_until(steadyAt(slowStartNs + slowNs));
        slowEndNs = nowNs();
        done.countDown();
    });
    if (!a.cancelAfter(1ms))
        fail("cancelAfter() on A was rejected");

    // Far longer than any lateness worth measuring: a timeout lost for good stops the run.
    if (!done.waitFor(p.slow + 30s))
        fail("a token B was not canceled within 30 s of A's slow callback");
    for (const auto &probe : probes) {
        if (probe->waiter.joinable())
            probe->waiter.join();
    }
    if (!armed)
        fail("cancelAt() on a token B was rejected");

    for (const auto &probe : probes) {
        if (probe->source->reason().kind() != Cancellation::Reason::Kind::Timeout)
            fail("a token B was canceled for another reason than its timeout");
        if (probe->deadlineNs < slowStartNs || probe->deadlineNs >= slowEndNs)
            fail("a token B's deadline fell outside A's callback");
        const double lateMs = static_cast<double>(probe->observedNs - probe->deadlineNs) / 1e6;
        (probe->byWaiter ? figures.waiterLateMs : figures.callbackLateMs).push_back(lateMs);
    }
}

} // namespace

void runIsolationBenchmarks(Report &report, const Settings &settings)
{
    // 32 tokens B per round, their deadlines 2 ms after A's callback began and then every
    // slow / 64 (7.8 ms behind a 500 ms callback, 1.25 ms behind 80 ms): all within its
    // first half. 7 rounds give 112 samples per run of each way of observing, for a p99.
    Parameters p;
    p.slow = settings.quick ? 80ms : 500ms;
    p.probes = 32;
    p.rounds = 7;
    p.firstOffset = 2ms;
    p.spacing = std::chrono::nanoseconds(p.slow) / 64;

    std::vector<double> worseP50, worseP99, worseMax, waiterP50, waiterP99, callbackP50,
            callbackP99;
    for (int run = 0; run < settings.runs; ++run) {
        progress("8. timeout isolation: run %d/%d, %d rounds of %d tokens behind a %lld ms "
                 "callback",
                 run + 1, settings.runs, p.rounds, p.probes,
                 static_cast<long long>(p.slow.count()));
        RoundFigures figures;
        for (int round = 0; round < p.rounds; ++round)
            runRound(p, round, figures);
        waiterP50.push_back(percentile(figures.waiterLateMs, 0.5));
        waiterP99.push_back(percentile(figures.waiterLateMs, 0.99));
        callbackP50.push_back(percentile(figures.callbackLateMs, 0.5));
        callbackP99.push_back(percentile(figures.callbackLateMs, 0.99));
        worseP50.push_back(std::max(waiterP50.back(), callbackP50.back()));
        worseP99.push_back(std::max(waiterP99.back(), callbackP99.back()));
        worseMax.push_back(
                std::max(maximum(figures.waiterLateMs), maximum(figures.callbackLateMs)));
    }

    const QString section = QStringLiteral(
            "8. Timeout isolation: another token's lateness while a slow callback runs");
    const QString behind = QStringLiteral("behind a %1 ms callback").arg(p.slow.count());
    report.add({ QStringLiteral("isolation.p50"), section,
                 QStringLiteral("observed − deadline %1, the worse way, p50").arg(behind),
                 QStringLiteral("ms"), worseP50, std::nullopt, Goal(),
                 QStringLiteral("token A's timeout callback blocks for %1 ms (500 ms in a full "
                                "run, 80 ms with --quick); it arms %2 other tokens B to time "
                                "out 2 ms after it began and every %3 ms from then on, all "
                                "within its run. Half the Bs are observed by a thread blocked "
                                "in waitFor(), half by a callback registered on them (each per "
                                "run: %4 rounds, %5 samples); the worse way's figure is shown")
                         .arg(p.slow.count())
                         .arg(p.probes)
                         .arg(Report::format(
                                 std::chrono::duration<double, std::milli>(p.spacing).count()))
                         .arg(p.rounds)
                         .arg(p.rounds * p.probes / 2) });
    report.add({ QStringLiteral("isolation.p99"), section,
                 QStringLiteral("observed − deadline %1, the worse way, p99").arg(behind),
                 QStringLiteral("ms"), worseP99, std::nullopt, Goal::medianBelow(1.0), QString() });
    report.add({ QStringLiteral("isolation.max"), section,
                 QStringLiteral("observed − deadline %1, the worse way, max").arg(behind),
                 QStringLiteral("ms"), worseMax, std::nullopt, Goal(), QString() });
    report.add({ QStringLiteral("isolation.waiter.p50"), section,
                 QStringLiteral("observed by a waiter in waitFor(), p50"), QStringLiteral("ms"),
                 waiterP50, std::nullopt, Goal(),
                 QStringLiteral("a waiter notices its own token's deadline and cancels it "
                                "itself, without the timer thread") });
    report.add({ QStringLiteral("isolation.waiter.p99"), section,
                 QStringLiteral("observed by a waiter in waitFor(), p99"), QStringLiteral("ms"),
                 waiterP99, std::nullopt, Goal(), QString() });
    report.add({ QStringLiteral("isolation.callback.p50"), section,
                 QStringLiteral("observed by a callback on the token, p50"), QStringLiteral("ms"),
                 callbackP50, std::nullopt, Goal(),
                 QStringLiteral("nobody polls or waits on these tokens: only the timer can "
                                "cancel them") });
    report.add({ QStringLiteral("isolation.callback.p99"), section,
                 QStringLiteral("observed by a callback on the token, p99"), QStringLiteral("ms"),
                 callbackP99, std::nullopt, Goal(), QString() });
}

} // namespace Bench
