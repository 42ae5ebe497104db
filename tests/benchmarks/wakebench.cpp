// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "report.h"
#include "platform.h"
#include "stats.h"

#include <Cancellation/source.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <stop_token>
#include <thread>
#include <vector>

namespace Bench {

namespace {

using namespace std::chrono_literals;

// A worker that times out instead of being woken fails the benchmark.
constexpr std::chrono::seconds WaitLimit = 30s;

QString plural(int count)
{
    return count == 1 ? QString() : QStringLiteral("s");
}

struct RoundResult
{
    double noticeUs = 0; // cancel until the last worker observed it
    double joinUs = 0; // cancel until every worker was joined
    double returnUs = 0; // cancel until the cancel call returned
};

// Returns once every worker sleeps in the kernel, so that the cancel finds them
// blocked in the wait and not on their way to it.
// Without thread states (Linux only), a fixed 20 ms stands in.
void waitUntilAsleep(const std::vector<qint64> &tids)
{
    if (!TestPlatform::HasThreadState) {
        std::this_thread::sleep_for(20ms);
        return;
    }
    const std::int64_t limit = nowNs() + 2'000'000'000;
    for (qint64 tid : tids) {
        while (TestPlatform::threadState(tid) != 'S' && nowNs() < limit)
            std::this_thread::sleep_for(50us);
    }
}

// How the workers of a round end.
enum class Exit {
    // No worker exits before every worker has woken, so that (a) times the wake: with more
    // workers than cores, the last wake-up would otherwise wait for the others' thread exits.
    AfterAllWoken,
    // Each worker exits as soon as it notices, as real workers do, so that (b) times the exits
    // and joins and not a barrier: std::latch's wait spins with sched_yield() before it blocks,
    // which costs most when all workers wake together.
    AtOnce,
};

template<typename Thread, typename Work, typename Cancel>
RoundResult runRound(int workers, std::int64_t delayNs, Exit exit, Work work, Cancel cancel)
{
    std::vector<std::int64_t> wakeNs(workers, 0);
    std::vector<qint64> tids(workers, 0);
    std::latch started(workers);
    std::latch woken(workers);
    std::atomic<int> timedOut { 0 };
    std::vector<Thread> threads;
    threads.reserve(workers);
    for (int i = 0; i < workers; ++i) {
        threads.emplace_back([&, i] {
            tids[i] = TestPlatform::currentThreadId();
            started.count_down();
            const bool canceled = work(i);
            wakeNs[i] = nowNs(); // right after the wait returned
            if (!canceled)
                timedOut.fetch_add(1, std::memory_order_relaxed);
            if (exit == Exit::AfterAllWoken)
                woken.arrive_and_wait();
        });
    }
    started.wait();
    waitUntilAsleep(tids);
    std::this_thread::sleep_for(std::chrono::nanoseconds(delayNs));
    const std::int64_t cancelNs = nowNs();
    cancel();
    const std::int64_t returnedNs = nowNs();
    for (Thread &thread : threads)
        thread.join();
    const std::int64_t joinedNs = nowNs();
    if (timedOut.load() != 0) {
        progress("error: %d workers timed out instead of waking", timedOut.load());
        std::exit(2);
    }
    std::int64_t lastWakeNs = cancelNs;
    for (std::int64_t ns : wakeNs)
        lastWakeNs = std::max(lastWakeNs, ns);
    return { static_cast<double>(lastWakeNs - cancelNs) / 1e3,
             static_cast<double>(joinedNs - cancelNs) / 1e3,
             static_cast<double>(returnedNs - cancelNs) / 1e3 };
}

// Workers blocked in Token::waitFor(): one wake-up word for all of them.
RoundResult tokenRound(int workers, std::int64_t delayNs, Exit exit)
{
    Cancellation::Source source;
    const Cancellation::Token token = source.token();
    return runRound<std::thread>(
            workers, delayNs, exit, [&token](int) { return token.waitFor(WaitLimit); },
            [&source] { source.cancel(); });
}

// The standard library's interruptible wait: std::jthread workers, one
// std::stop_source for all of them (one cancel, as above), and per worker a
// mutex and a std::condition_variable_any waited on with the stop token.
RoundResult stdRound(int workers, std::int64_t delayNs, Exit exit)
{
    struct Slot
    {
        std::mutex mutex;
        std::condition_variable_any condition;
    };
    std::stop_source stopSource;
    const std::stop_token stopToken = stopSource.get_token();
    std::vector<Slot> slots(workers);
    return runRound<std::jthread>(
            workers, delayNs, exit,
            [&](int i) {
                std::unique_lock lock(slots[i].mutex);
                slots[i].condition.wait_for(lock, stopToken, WaitLimit, [] { return false; });
                return stopToken.stop_requested();
            },
            [&stopSource] { stopSource.request_stop(); });
}

// The article's loop: sleep the whole interval, then check the token.
RoundResult pollLoopRound(int workers, std::chrono::nanoseconds interval, std::int64_t delayNs)
{
    Cancellation::Source source;
    const Cancellation::Token token = source.token();
    std::vector<std::int64_t> wakeNs(workers, 0);
    std::latch started(workers);
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int i = 0; i < workers; ++i) {
        threads.emplace_back([&, i] {
            started.count_down();
            while (!token.isCanceled())
                std::this_thread::sleep_for(interval);
            wakeNs[i] = nowNs();
        });
    }
    started.wait();
    std::this_thread::sleep_for(std::chrono::nanoseconds(delayNs));
    const std::int64_t cancelNs = nowNs();
    source.cancel();
    for (std::thread &thread : threads)
        thread.join();
    const std::int64_t joinedNs = nowNs();
    std::int64_t lastWakeNs = cancelNs;
    for (std::int64_t ns : wakeNs)
        lastWakeNs = std::max(lastWakeNs, ns);
    return { static_cast<double>(lastWakeNs - cancelNs) / 1e3,
             static_cast<double>(joinedNs - cancelNs) / 1e3 };
}

struct Series
{
    // One value per run.
    std::vector<double> noticeP50, noticeP99, joinP50, joinP99, returnP50;

    // (a) and the return from rounds with Exit::AfterAllWoken, (b) from rounds with Exit::AtOnce.
    void addRun(const std::vector<RoundResult> &wakeRounds,
                const std::vector<RoundResult> &exitRounds)
    {
        std::vector<double> notice, join, returned;
        for (const RoundResult &round : wakeRounds) {
            notice.push_back(round.noticeUs);
            returned.push_back(round.returnUs);
        }
        for (const RoundResult &round : exitRounds)
            join.push_back(round.joinUs);
        returnP50.push_back(percentile(returned, 0.5));
        noticeP50.push_back(percentile(notice, 0.5));
        noticeP99.push_back(percentile(notice, 0.99));
        joinP50.push_back(percentile(join, 0.5));
        joinP99.push_back(percentile(join, 0.99));
    }
};

} // namespace

void runWakeBenchmarks(Report &report, const Settings &settings)
{
    const int workerCounts[] = { 1, 8, 64 };
    std::mt19937_64 random(settings.seed);
    // The moment of cancel, after every worker is asleep in its wait.
    std::uniform_int_distribution<std::int64_t> delay(200'000, 2'000'000);

    std::map<int, Series> tokenSeries, stdSeries;
    for (int run = 0; run < settings.runs; ++run) {
        for (int workers : workerCounts) {
            progress("2. cancel to wake-up: run %d/%d, %d workers, %d rounds", run + 1,
                     settings.runs, workers, settings.wakeRounds);
            // Warm up: thread stacks, lazy initialisation.
            tokenRound(workers, delay(random), Exit::AfterAllWoken);
            stdRound(workers, delay(random), Exit::AfterAllWoken);
            std::map<Exit, std::vector<RoundResult>> tokenRounds, stdRounds;
            for (int round = 0; round < settings.wakeRounds; ++round) {
                // Interleaved round by round, each going first every other round.
                for (Exit exit : { Exit::AfterAllWoken, Exit::AtOnce }) {
                    if (round % 2 == 0) {
                        tokenRounds[exit].push_back(tokenRound(workers, delay(random), exit));
                        stdRounds[exit].push_back(stdRound(workers, delay(random), exit));
                    } else {
                        stdRounds[exit].push_back(stdRound(workers, delay(random), exit));
                        tokenRounds[exit].push_back(tokenRound(workers, delay(random), exit));
                    }
                }
            }
            tokenSeries[workers].addRun(tokenRounds[Exit::AfterAllWoken],
                                        tokenRounds[Exit::AtOnce]);
            stdSeries[workers].addRun(stdRounds[Exit::AfterAllWoken], stdRounds[Exit::AtOnce]);
        }
    }

    const QString section = QStringLiteral("2. Cancel until workers notice / are joined");
    const QString note =
            QStringLiteral("p50 and p99 over %1 rounds per run, %2 runs; std side: std::jthread, "
                           "one std::stop_source, a std::condition_variable_any per worker; "
                           "(a) from rounds whose workers exit once all have woken, (b) from "
                           "rounds whose workers exit as soon as they notice")
                    .arg(settings.wakeRounds)
                    .arg(settings.runs);
    for (int workers : workerCounts) {
        const Series &ours = tokenSeries[workers];
        const Series &theirs = stdSeries[workers];
        const double noticeGoal = workers == 64 ? 0.8 : 1.0;
        const QString prefix = QStringLiteral("%1 worker%2").arg(workers).arg(plural(workers));
        const QString id = QStringLiteral("wake.%1.").arg(workers);
        report.add({ id + QStringLiteral("notice.p50"), section,
                     prefix + QStringLiteral(", (a) last wake-up, p50"), QStringLiteral("µs"),
                     ours.noticeP50, theirs.noticeP50, Goal::ratioAtMost(noticeGoal),
                     workers == 1 ? note : QString() });
        report.add({ id + QStringLiteral("notice.p99"), section,
                     prefix + QStringLiteral(", (a) last wake-up, p99"), QStringLiteral("µs"),
                     ours.noticeP99, theirs.noticeP99, Goal::ratioAtMost(noticeGoal), QString() });
        report.add({ id + QStringLiteral("return.p50"), section,
                     prefix + QStringLiteral(", cancel() / request_stop() returns, p50"),
                     QStringLiteral("µs"), ours.returnP50, theirs.returnP50, Goal(),
                     workers == 1 ? QStringLiteral(
                             "the canceling call alone: the cost of the wake primitive "
                             "on the canceling thread")
                                  : QString() });
        report.add({ id + QStringLiteral("join.p50"), section,
                     prefix + QStringLiteral(", (b) all joined, p50"), QStringLiteral("µs"),
                     ours.joinP50, theirs.joinP50, Goal::ratioAtMost(1.0), QString() });
        report.add({ id + QStringLiteral("join.p99"), section,
                     prefix + QStringLiteral(", (b) all joined, p99"), QStringLiteral("µs"),
                     ours.joinP99, theirs.joinP99, Goal::ratioAtMost(1.0), QString() });
    }

    // The article's poll loop: the gap that the interruptible wait closes.
    const std::chrono::milliseconds intervals[] = { 100ms, 1000ms };
    for (std::chrono::milliseconds interval : intervals) {
        const int rounds = interval >= 1s ? (settings.quick ? 3 : 6) : (settings.quick ? 10 : 20);
        std::uniform_int_distribution<std::int64_t> phase(
                0, std::chrono::nanoseconds(interval).count());
        for (int workers : workerCounts) {
            progress("2. the article's poll loop: %lld ms, %d workers, %d rounds",
                     static_cast<long long>(interval.count()), workers, rounds);
            std::vector<double> notice;
            for (int round = 0; round < rounds; ++round)
                notice.push_back(pollLoopRound(workers, interval, phase(random)).noticeUs / 1e3);
            report.add(
                    { QStringLiteral("pollloop.%1ms.%2").arg(interval.count()).arg(workers),
                      QStringLiteral("2. The article's poll loop (sleep, then check)"),
                      QStringLiteral("%1 ms interval, %2 worker%3, (a) last noticed")
                              .arg(interval.count())
                              .arg(workers)
                              .arg(plural(workers)),
                      QStringLiteral("ms"), notice, std::nullopt, Goal(),
                      workers == 1 && interval == 100ms
                              ? QStringLiteral(
                                        "min / median / max over rounds (%1 at 100 ms, %2 at 1 s), "
                                        "the cancel at a random phase of the interval")
                                        .arg(settings.quick ? 10 : 20)
                                        .arg(settings.quick ? 3 : 6)
                              : QString() });
        }
    }
}

} // namespace Bench
