// SPDX-License-Identifier: MIT
#include "consolemode.h"

#include "core/durationparser.h"
#include "core/workerrunner.h"

#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QStringBuilder>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace Demo {

namespace {

// Workers print concurrently: one lock per line keeps lines whole, and each
// line is flushed, since stdout is often a pipe.
std::mutex g_outputMutex;

void writeLine(std::FILE *stream, QStringView line)
{
    const QByteArray bytes = line.toLocal8Bit() + '\n';
    std::lock_guard lock(g_outputMutex);
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
    std::fflush(stream);
}

QString signalLine(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
        return QStringLiteral("Handling sigint");
    case SIGTERM:
        return QStringLiteral("Handling sigterm");
    default:
        return QStringLiteral("Handling signal %1").arg(signalNumber);
    }
}

QString doneLine(const WorkerRunner &runner)
{
    const Cancellation::Reason reason = runner.rootSource()->reason();
    const QString why
            = reason.isCanceled() ? reason.toString() : QStringLiteral("every worker canceled");
    const std::optional<std::chrono::nanoseconds> latency = runner.maxStopLatency();
    const QString after = latency ? DurationParser::format(*latency) : QStringLiteral("?");
    const int ignoring = runner.config().ignoringWorkers;
    const int workers = runner.workerCount() - ignoring;
    if (workers == 0)
        return QStringLiteral("Done (%1; every worker ignored its token and ended on its own)").arg(why);
    const QString who = workers == 1 ? QStringLiteral("the worker")
                                     : QStringLiteral("all %1 workers").arg(workers);
    const QString ignored = ignoring == 0
            ? QString()
            : QStringLiteral("; %1 ignored its token and ended on its own").arg(ignoring);
    return QStringLiteral("Done (%1; %2 stopped %3 after cancel%4)").arg(why, who, after, ignored);
}

} // namespace

int runConsole(const DemoOptions &options, std::chrono::steady_clock::time_point processStarted)
{
    WorkerRunner runner;
    if (!options.quiet)
        runner.setLineSink([](int, QStringView line) { writeLine(stdout, line); });

    // Installed before the workers start, so no Ctrl+C is lost to the default handler.
    Cancellation::SignalCanceler canceler;
    int signalsReceived = 0;
    QObject::connect(&canceler, &Cancellation::SignalCanceler::signalReceived, &runner,
                     [&signalsReceived](int signalNumber) {
                         writeLine(stdout, signalLine(signalNumber));
                         if (++signalsReceived == 1)
                             return;
                         // The user insists: don't wait for the workers, and skip every
                         // destructor, which would join them.
                         writeLine(stderr,
                                   QStringLiteral("cancellation-demo: signal received again; "
                                                  "exiting without waiting for the workers"));
                         std::_Exit(128 + signalNumber);
                     });
    QObject::connect(&runner, &WorkerRunner::finished, &runner, [&runner] {
        writeLine(stdout, doneLine(runner));
        QCoreApplication::exit(0);
    });

    RunConfig config = RunConfig::fromOptions(options);
    config.timeoutFrom = processStarted;
    if (!runner.start(config)) {
        writeLine(stderr, QStringLiteral("cancellation-demo: could not start the workers"));
        return 1;
    }
    canceler.setTarget(runner.rootSource());
    return QCoreApplication::exec();
}

} // namespace Demo
