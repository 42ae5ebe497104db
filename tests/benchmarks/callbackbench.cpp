// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "platform.h"
#include "report.h"
#include "stats.h"

#include <Cancellation/scopedcallback.h>
#include <Cancellation/source.h>

#include <deque>
#include <map>
#include <memory>
#include <stop_token>
#include <vector>

namespace Bench {

namespace {

// The same callable on both sides: counts its calls on the canceling thread.
struct Counter
{
    int *count;
    void operator()() const { ++*count; }
};

// The time per iteration of registering and unregistering one Counter.
template<typename Register>
double registerNs(std::int64_t iterations, Register registerOne)
{
    int count = 0;
    const std::int64_t start = nowNs();
    for (std::int64_t i = 0; i < iterations; ++i)
        registerOne(Counter { &count });
    const std::int64_t elapsed = nowNs() - start;
    keep(count);
    return static_cast<double>(elapsed) / static_cast<double>(iterations);
}

double tokenRegisterNs(const Cancellation::Token &token, std::int64_t iterations)
{
    return registerNs(iterations, [&token](Counter counter) {
        Cancellation::Registration registration = token.onCanceled(counter);
        registration.unregister();
    });
}

// The same shape as std::stop_callback: the callback and its node live in the
// loop's frame.
double scopedRegisterNs(const Cancellation::Token &token, std::int64_t iterations)
{
    return registerNs(iterations, [&token](Counter counter) {
        Cancellation::ScopedCallback callback(token, counter);
        keep(callback);
    });
}

double stdRegisterNs(const std::stop_token &token, std::int64_t iterations)
{
    return registerNs(iterations, [&token](Counter counter) {
        std::stop_callback callback(token, counter);
        keep(callback);
    });
}

void check(bool ok, const char *what)
{
    if (!ok) {
        progress("error: %s", what);
        std::exit(2);
    }
}

// cancel() to n callbacks; only the cancel is timed.
double tokenFanOutUs(int n)
{
    Cancellation::Source source;
    const Cancellation::Token token = source.token();
    int count = 0;
    std::vector<Cancellation::Registration> registrations;
    registrations.reserve(n);
    for (int i = 0; i < n; ++i)
        registrations.push_back(token.onCanceled(Counter { &count }));
    const std::int64_t start = nowNs();
    source.cancel();
    const std::int64_t elapsed = nowNs() - start;
    check(count == n, "not every callback ran");
    return static_cast<double>(elapsed) / 1e3;
}

double stdFanOutUs(int n)
{
    std::stop_source source;
    int count = 0;
    std::deque<std::stop_callback<Counter>> callbacks;
    for (int i = 0; i < n; ++i)
        callbacks.emplace_back(source.get_token(), Counter { &count });
    const std::int64_t start = nowNs();
    source.request_stop();
    const std::int64_t elapsed = nowNs() - start;
    check(count == n, "not every std::stop_callback ran");
    return static_cast<double>(elapsed) / 1e3;
}

long minorFaults()
{
    return TestPlatform::minorPageFaults(); // 0 where unknown (not Unix)
}

// Page faults taken inside the timed cancel() of the last tokenChildrenUs() call.
long lastChildFaults = 0;

// cancel() of a parent with n child Sources; only the cancel is timed.
double tokenChildrenUs(int n)
{
    Cancellation::Source parent;
    const Cancellation::Token parentToken = parent.token();
    std::vector<std::unique_ptr<Cancellation::Source>> children;
    children.reserve(n);
    for (int i = 0; i < n; ++i)
        children.push_back(std::make_unique<Cancellation::Source>(parentToken));
    const long faults = minorFaults();
    const std::int64_t start = nowNs();
    parent.cancel();
    const std::int64_t elapsed = nowNs() - start;
    lastChildFaults = minorFaults() - faults;
    for (const auto &child : children)
        check(child->isCanceled(), "a child token was not canceled");
    return static_cast<double>(elapsed) / 1e3;
}

// The standard library's equivalent: a child std::stop_source per child, linked
// by a std::stop_callback on the parent's token.
double stdChildrenUs(int n)
{
    struct RequestStop
    {
        std::stop_source *source;
        void operator()() const { source->request_stop(); }
    };
    struct Child
    {
        explicit Child(const std::stop_token &parent) : link(parent, RequestStop { &source }) { }
        std::stop_source source;
        std::stop_callback<RequestStop> link;
    };
    std::stop_source parent;
    const std::stop_token parentToken = parent.get_token();
    std::deque<Child> children;
    for (int i = 0; i < n; ++i)
        children.emplace_back(parentToken);
    const std::int64_t start = nowNs();
    parent.request_stop();
    const std::int64_t elapsed = nowNs() - start;
    for (const Child &child : children)
        check(child.source.stop_requested(), "a child std::stop_source was not stopped");
    return static_cast<double>(elapsed) / 1e3;
}

// The median over `rounds` of each function, interleaved round by round.
template<typename Token, typename Std>
std::pair<double, double> interleaved(int rounds, Token token, Std std)
{
    std::vector<double> tokenValues, stdValues;
    for (int round = 0; round < rounds; ++round) {
        if (round % 2 == 0) {
            tokenValues.push_back(token());
            stdValues.push_back(std());
        } else {
            stdValues.push_back(std());
            tokenValues.push_back(token());
        }
    }
    return { percentile(tokenValues, 0.5), percentile(stdValues, 0.5) };
}

int roundsFor(int n, bool quick)
{
    const int rounds = n <= 10 ? 400 : n <= 1000 ? 40 : 12;
    return quick ? rounds / 2 : rounds;
}

} // namespace

void runCallbackBenchmarks(Report &report, const Settings &settings)
{
    // 4. Registration: short interleaved batches (well under a scheduler time slice);
    // each run's figure is the median of its batches.
    {
        progress("4. callback registration");
        const std::int64_t iterations = 5'000;
        const int batches = settings.quick ? 31 : 51;
        Cancellation::Source source;
        const Cancellation::Token token = source.token();
        std::stop_source stopSource;
        const std::stop_token stopToken = stopSource.get_token();
        tokenRegisterNs(token, iterations); // warm up the allocator
        scopedRegisterNs(token, iterations);
        stdRegisterNs(stopToken, iterations);
        std::vector<double> scopedRuns, tokenRuns, stdRuns;
        for (int run = 0; run < settings.runs; ++run) {
            std::vector<double> scopedNs, tokenNs, stdNs;
            for (int batch = 0; batch < batches; ++batch) {
                scopedNs.push_back(scopedRegisterNs(token, iterations));
                tokenNs.push_back(tokenRegisterNs(token, iterations));
                stdNs.push_back(stdRegisterNs(stopToken, iterations));
            }
            scopedRuns.push_back(percentile(scopedNs, 0.5));
            tokenRuns.push_back(percentile(tokenNs, 0.5));
            stdRuns.push_back(percentile(stdNs, 0.5));
        }
        const QString note = QStringLiteral("per run, the median of %1 interleaved batches of %2")
                                     .arg(batches)
                                     .arg(iterations);
        report.add({ QStringLiteral("register.scoped"), QStringLiteral("4. Callback registration"),
                     QStringLiteral("ScopedCallback made and dropped vs std::stop_callback"),
                     QStringLiteral("ns"), scopedRuns, stdRuns, Goal::ratioAtMost(2.0),
                     note
                             + QStringLiteral("; both keep the callback and its node in the "
                                              "caller's frame") });
        report.add({ QStringLiteral("register.onCanceled"),
                     QStringLiteral("4. Callback registration"),
                     QStringLiteral("onCanceled() + unregister() vs std::stop_callback"),
                     QStringLiteral("ns"), tokenRuns, stdRuns, Goal::ratioAtMost(2.0),
                     note
                             + QStringLiteral("; the callback moves into the token's memory, "
                                              "behind a movable Registration") });
    }

    // 5. Fan-out.
    const int sizes[] = { 10, 1000, 10000 };
    std::map<int, std::vector<double>> tokenCallbacks, stdCallbacks, tokenChildren, stdChildren;
    std::vector<double> childFaults; // per run, the median over rounds at 10,000 children
    for (int run = 0; run < settings.runs; ++run) {
        for (int n : sizes) {
            progress("5. fan-out: run %d/%d, %d callbacks and %d children", run + 1, settings.runs,
                     n, n);
            const int rounds = roundsFor(n, settings.quick);
            const auto [tokenUs, stdUs] = interleaved(
                    rounds, [n] { return tokenFanOutUs(n); }, [n] { return stdFanOutUs(n); });
            tokenCallbacks[n].push_back(tokenUs);
            stdCallbacks[n].push_back(stdUs);
            std::vector<double> faults;
            const auto [tokenChildUs, stdChildUs] = interleaved(
                    rounds,
                    [n, &faults] {
                        const double us = tokenChildrenUs(n);
                        faults.push_back(static_cast<double>(lastChildFaults));
                        return us;
                    },
                    [n] { return stdChildrenUs(n); });
            if (n == 10000)
                childFaults.push_back(percentile(faults, 0.5));
            tokenChildren[n].push_back(tokenChildUs);
            stdChildren[n].push_back(stdChildUs);
        }
    }
    const QString section = QStringLiteral("5. Fan-out: cancel() until it returns");
    for (int n : sizes) {
        report.add({ QStringLiteral("fanout.callbacks.%1").arg(n), section,
                     QStringLiteral("%1 callbacks vs std::stop_source + std::stop_callback").arg(n),
                     QStringLiteral("µs"), tokenCallbacks[n], stdCallbacks[n],
                     Goal::ratioAtMost(2.0),
                     n == 10 ? QStringLiteral("each run: the median of %1, %2 and %3 rounds at 10, "
                                              "1,000 and 10,000")
                                       .arg(roundsFor(10, settings.quick))
                                       .arg(roundsFor(1000, settings.quick))
                                       .arg(roundsFor(10000, settings.quick))
                             : QString() });
    }
    for (int n : sizes) {
        report.add({ QStringLiteral("fanout.children.%1").arg(n), section,
                     QStringLiteral("%1 child tokens vs child std::stop_sources").arg(n),
                     QStringLiteral("µs"), tokenChildren[n], stdChildren[n],
                     n == 10000 ? Goal::medianBelow(5000) : Goal(),
                     n == 10 ? QStringLiteral(
                             "each child is a Source(parentToken); the std child is a "
                             "std::stop_source linked by a std::stop_callback")
                             : QString() });
    }
    report.add({ QStringLiteral("fanout.children.10000.faults"), section,
                 QStringLiteral("page faults inside that cancel(), 10,000 children"),
                 QStringLiteral("faults"), childFaults, std::nullopt, Goal(),
                 QStringLiteral(
                         "minor faults (getrusage) while cancel() ran: fresh heap pages touched by "
                         "what it allocates") });
    std::vector<double> growth;
    for (std::size_t run = 0; run < tokenChildren[1000].size(); ++run)
        growth.push_back(tokenChildren[10000][run] / tokenChildren[1000][run]);
    report.add({ QStringLiteral("fanout.children.growth"), section,
                 QStringLiteral("child fan-out growth, 1,000 → 10,000 (10 is linear)"),
                 QStringLiteral("×"), growth, std::nullopt, Goal::medianAtMost(15),
                 QStringLiteral(
                         "linear = the cost per child at 10,000 within 1.5× of that at 1,000") });
}

} // namespace Bench
