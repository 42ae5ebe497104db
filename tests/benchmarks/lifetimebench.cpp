// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "report.h"
#include "stats.h"

#include <Cancellation/source.h>

#include <QtCore/QObject>

#include <cstdlib>
#include <stop_token>
#include <vector>

namespace Bench {

namespace {

// The std child's link: what a Source(parentToken) does for a parent's cancel.
struct RequestStop
{
    std::stop_source *source;
    void operator()() const noexcept { source->request_stop(); }
};

// Each function makes and drops one object per iteration, so the allocator hands the
// same blocks back every time: the cost of construction and destruction, not of fresh pages.
template<typename MakeAndDrop>
double perIterationNs(std::int64_t iterations, MakeAndDrop makeAndDrop)
{
    const std::int64_t start = nowNs();
    for (std::int64_t i = 0; i < iterations; ++i)
        makeAndDrop();
    return static_cast<double>(nowNs() - start) / static_cast<double>(iterations);
}

double sourceNs(std::int64_t iterations)
{
    return perIterationNs(iterations, [] {
        Cancellation::Source source;
        keep(&source);
    });
}

double stdSourceNs(std::int64_t iterations)
{
    return perIterationNs(iterations, [] {
        std::stop_source source;
        keep(source);
    });
}

// What every Source costs before its own work: a QObject.
double qobjectNs(std::int64_t iterations)
{
    return perIterationNs(iterations, [] {
        QObject object;
        keep(&object);
    });
}

double childNs(const Cancellation::Token &parent, std::int64_t iterations)
{
    return perIterationNs(iterations, [&parent] {
        Cancellation::Source child(parent);
        keep(&child);
    });
}

double stdChildNs(const std::stop_token &parent, std::int64_t iterations)
{
    return perIterationNs(iterations, [&parent] {
        std::stop_source child;
        std::stop_callback<RequestStop> link(parent, RequestStop { &child });
        keep(child);
        keep(&link);
    });
}

} // namespace

void runLifetimeBenchmarks(Report &report, const Settings &settings)
{
    progress("7. making and dropping a Source");
    // Short batches (about a millisecond, well under a scheduler time slice), interleaved
    // and alternating which side goes first; each run's figure is the median of its batches.
    const std::int64_t iterations = 2'000;
    const int batches = settings.quick ? 31 : 51;
    Cancellation::Source parent;
    const Cancellation::Token parentToken = parent.token();
    std::stop_source stdParent;
    const std::stop_token stdParentToken = stdParent.get_token();

    // Warm up the allocator and the caches.
    sourceNs(iterations);
    stdSourceNs(iterations);
    childNs(parentToken, iterations);
    stdChildNs(stdParentToken, iterations);
    qobjectNs(iterations);

    std::vector<double> sourceRuns, stdSourceRuns, childRuns, stdChildRuns, qobjectRuns;
    for (int run = 0; run < settings.runs; ++run) {
        std::vector<double> source, stdSource, child, stdChild, qobject;
        for (int batch = 0; batch < batches; ++batch) {
            if (batch % 2 == 0) {
                source.push_back(sourceNs(iterations));
                stdSource.push_back(stdSourceNs(iterations));
                child.push_back(childNs(parentToken, iterations));
                stdChild.push_back(stdChildNs(stdParentToken, iterations));
                qobject.push_back(qobjectNs(iterations));
            } else {
                qobject.push_back(qobjectNs(iterations));
                stdChild.push_back(stdChildNs(stdParentToken, iterations));
                child.push_back(childNs(parentToken, iterations));
                stdSource.push_back(stdSourceNs(iterations));
                source.push_back(sourceNs(iterations));
            }
        }
        sourceRuns.push_back(percentile(source, 0.5));
        stdSourceRuns.push_back(percentile(stdSource, 0.5));
        childRuns.push_back(percentile(child, 0.5));
        stdChildRuns.push_back(percentile(stdChild, 0.5));
        qobjectRuns.push_back(percentile(qobject, 0.5));
    }
    // Every child unlinked itself from the parent when it was dropped.
    if (parentToken.childCount() != 0 || parent.isCanceled()) {
        progress("error: the parent kept %lld children or was canceled",
                 static_cast<long long>(parentToken.childCount()));
        std::exit(2);
    }

    const QString section = QStringLiteral("7. Making and dropping a Source");
    report.add({ QStringLiteral("lifetime.source"), section,
                 QStringLiteral("Source() made and dropped vs std::stop_source"),
                 QStringLiteral("ns"), sourceRuns, stdSourceRuns, Goal(),
                 QStringLiteral("per run, the median of %1 interleaved batches of %2 make-and-drop "
                                "iterations; no goal: a Source is a QObject with its own state "
                                "and reason, a std::stop_source one shared counter block")
                         .arg(batches)
                         .arg(iterations) });
    report.add({ QStringLiteral("lifetime.child"), section,
                 QStringLiteral("Source(parentToken) made and dropped vs std::stop_source + "
                                "std::stop_callback on the parent's token"),
                 QStringLiteral("ns"), childRuns, stdChildRuns, Goal::ratioAtMost(2.0),
                 QStringLiteral("the parent is live and never canceled; the std child's callback "
                                "calls request_stop() on the child, as a Source's parent link "
                                "cancels it") });
    report.add({ QStringLiteral("lifetime.qobject"), section,
                 QStringLiteral("QObject() made and dropped, the floor under any Source, vs the "
                                "same std pair"),
                 QStringLiteral("ns"), qobjectRuns, stdChildRuns, Goal(),
                 QStringLiteral("a Source is a QObject: no Source can cost less than this row") });
}

} // namespace Bench
