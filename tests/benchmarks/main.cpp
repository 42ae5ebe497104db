// SPDX-License-Identifier: MIT
// cancellation-bench: measures the token against the standard library and prints a
// Markdown table (or, with --json, the same figures as JSON). See tests/benchmarks/README
// in the notes and scripts/run-benchmarks.sh, the one command that builds and runs it.
#include "benchmarks.h"
#include "report.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonObject>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>

namespace Bench {

void progress(const char *format, ...)
{
    std::va_list arguments;
    va_start(arguments, format);
    std::fputs("bench: ", stderr);
    std::vfprintf(stderr, format, arguments);
    std::fputc('\n', stderr);
    va_end(arguments);
}

} // namespace Bench

int main(int argc, char *argv[])
{
    // Once a process has started a thread, libstdc++ switches shared_ptr counts to
    // atomics and std::stop_source to per-callback semaphore releases, for good. A
    // cancellation library lives in multithreaded programs, so measure both sides
    // there, whichever figures run first.
    std::thread([] {}).join();

#if CANCELLATION_BENCH_GUI
    // The GUI figure runs the window in a child process of its own: see guibench.cpp.
    if (argc == 2 && std::strcmp(argv[1], "--gui-child") == 0)
        return Bench::guiChildMain(argc, argv);
#endif

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cancellation-bench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("Measures Cancellation::Token against std::stop_token and friends and "
                           "prints a table."));
    parser.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the figures as JSON instead of a table."));
    const QCommandLineOption quick(
            QStringLiteral("quick"),
            QStringLiteral("A shorter run: fewer runs, rounds and samples."));
    const QCommandLineOption runs(
            QStringLiteral("runs"),
            QStringLiteral("Repeated runs per figure (default 5, 3 with --quick)."),
            QStringLiteral("n"));
    const QCommandLineOption rounds(
            QStringLiteral("rounds"),
            QStringLiteral("Rounds per run of the wake-up figures (default 200, 50 with --quick)."),
            QStringLiteral("n"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the random cancel moments."),
                                  QStringLiteral("n"));
    const QCommandLineOption only(QStringLiteral("only"),
                                  QStringLiteral("Run only these figures, comma-separated: poll, "
                                                 "wake, timeout, callbacks, gui, lifetime, "
                                                 "isolation."),
                                  QStringLiteral("list"));
    const QCommandLineOption command(
            QStringLiteral("command"),
            QStringLiteral("The command to print above the table (default: this one)."),
            QStringLiteral("text"));
    parser.addOptions({ json, quick, runs, rounds, seed, only, command });
    parser.process(app);

    Bench::Settings settings;
    settings.quick = parser.isSet(quick);
    settings.runs = settings.quick ? 3 : 5;
    settings.wakeRounds = settings.quick ? 50 : 200;
    settings.seed = std::random_device()();
    const auto readPositive = [&parser](const QCommandLineOption &option, int minimum, int &value) {
        if (!parser.isSet(option))
            return;
        bool ok = false;
        const int number = parser.value(option).toInt(&ok);
        if (!ok || number < minimum) {
            std::fprintf(stderr, "cancellation-bench: --%s needs a whole number ≥ %d, not '%s'\n",
                         qPrintable(option.names().constFirst()), minimum,
                         qPrintable(parser.value(option)));
            std::exit(1);
        }
        value = number;
    };
    readPositive(runs, 1, settings.runs);
    readPositive(rounds, 50, settings.wakeRounds); // the issue asks for at least 50
    if (parser.isSet(seed)) {
        bool ok = false;
        settings.seed = parser.value(seed).toULongLong(&ok);
        if (!ok) {
            std::fprintf(stderr, "cancellation-bench: --seed needs a whole number\n");
            return 1;
        }
    }

    QStringList known { QStringLiteral("poll"), QStringLiteral("wake"), QStringLiteral("timeout"),
                        QStringLiteral("callbacks") };
#if CANCELLATION_BENCH_GUI
    known << QStringLiteral("gui");
#endif
    known << QStringLiteral("lifetime") << QStringLiteral("isolation");
    QStringList selected = known;
    if (parser.isSet(only)) {
        selected = parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &name : selected) {
            if (!known.contains(name)) {
                std::fprintf(stderr,
                             "cancellation-bench: unknown figure '%s' in --only; known: %s\n",
                             qPrintable(name), qPrintable(known.join(QStringLiteral(", "))));
                return 1;
            }
        }
    }

    QString commandText = parser.value(command);
    if (commandText.isEmpty())
        commandText = QCoreApplication::arguments().join(QLatin1Char(' '));
    Bench::Report report(Bench::Machine::current(), commandText);
    report.setParameters(
            QStringLiteral("%1%2 runs per figure, %3 wake-up rounds per run, seed %4")
                    .arg(settings.quick ? QStringLiteral("--quick, ") : QString())
                    .arg(settings.runs)
                    .arg(settings.wakeRounds)
                    .arg(settings.seed),
            QJsonObject { { QStringLiteral("quick"), settings.quick },
                          { QStringLiteral("runs"), settings.runs },
                          { QStringLiteral("wakeRounds"), settings.wakeRounds },
                          { QStringLiteral("seed"), QString::number(settings.seed) } });
    Bench::progress("seed %llu, %d runs per figure, %d wake-up rounds per run",
                    static_cast<unsigned long long>(settings.seed), settings.runs,
                    settings.wakeRounds);

    const Bench::CpuUsage cpuAtStart = Bench::CpuUsage::now();
    if (selected.contains(QStringLiteral("poll")))
        Bench::runPollBenchmarks(report, settings);
    if (selected.contains(QStringLiteral("wake")))
        Bench::runWakeBenchmarks(report, settings);
    if (selected.contains(QStringLiteral("timeout")))
        Bench::runTimeoutBenchmarks(report, settings);
    if (selected.contains(QStringLiteral("callbacks")))
        Bench::runCallbackBenchmarks(report, settings);
#if CANCELLATION_BENCH_GUI
    if (selected.contains(QStringLiteral("gui")))
        Bench::runGuiBenchmark(report, settings);
#endif
    if (selected.contains(QStringLiteral("lifetime")))
        Bench::runLifetimeBenchmarks(report, settings);
    if (selected.contains(QStringLiteral("isolation")))
        Bench::runIsolationBenchmarks(report, settings);

    report.setEndLoad(Bench::Machine::loadAverage());
    report.setCpuUsage(cpuAtStart, Bench::CpuUsage::now());
    const QByteArray output = parser.isSet(json) ? report.json() : report.markdown().toUtf8();
    std::fwrite(output.constData(), 1, static_cast<std::size_t>(output.size()), stdout);
    return 0;
}
