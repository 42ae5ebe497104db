// SPDX-License-Identifier: MIT
#include "benchmarks.h"
#include "platform.h"
#include "report.h"
#include "stats.h"

#include "gui/mainwindow.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

namespace Bench {

namespace {

using namespace std::chrono_literals;

constexpr int GuiWorkers = 64;
constexpr std::chrono::milliseconds GuiInterval = 1ms;
constexpr std::chrono::seconds GuiDuration = 5s;
// The heartbeat whose lateness is the event-loop lag.
constexpr std::chrono::milliseconds HeartbeatPeriod = 5ms;

// Peak resident set size of this process in MiB (Linux: VmHWM); -1 if unknown.
double peakRssMiB()
{
    const qint64 kib = TestPlatform::peakResidentKiB();
    return kib < 0 ? -1 : static_cast<double>(kib) / 1024;
}

} // namespace

int guiChildMain(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("cancellation-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("cancellation-bench-gui"));

    // What `cancellation-demo --workers 64 --interval 1ms --start` sets, with our own
    // line sink in place of stdout: it counts every line the workers print.
    Demo::DemoOptions options;
    options.workers = GuiWorkers;
    options.interval = GuiInterval;
    options.mode = Demo::WaitMode::Wait;
    options.quiet = true;
    Demo::MainWindow window(options);
    std::atomic<quint64> sunkLines { 0 };
    window.runner()->setLineSink(
            [&sunkLines](int, QStringView) { sunkLines.fetch_add(1, std::memory_order_relaxed); });
    window.show();
    window.showTour(); // the figures must hold with "Learn the pattern" open beside the run

    QElapsedTimer clock;
    std::vector<double> lagMs;
    qint64 lastBeatNs = 0;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(HeartbeatPeriod);
    QObject::connect(&heartbeat, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        const qint64 late = now - lastBeatNs - std::chrono::nanoseconds(HeartbeatPeriod).count();
        lagMs.push_back(static_cast<double>(std::max<qint64>(late, 0)) / 1e6);
        lastBeatNs = now;
    });

    qint64 runNs = 0;
    QObject::connect(window.runner(), &Demo::WorkerRunner::finished, &app, [&app] { app.quit(); });
    QTimer::singleShot(0, &app, [&] {
        window.start();
        clock.start();
        lastBeatNs = 0;
        heartbeat.start();
        QTimer::singleShot(GuiDuration, &app, [&] {
            heartbeat.stop();
            runNs = clock.nsecsElapsed();
            window.cancelAll();
        });
    });
    QTimer::singleShot(GuiDuration + 60s, &app, [] {
        std::fputs("gui benchmark: the run did not finish within a minute of its cancel\n", stderr);
        std::exit(3);
    });
    app.exec();

    // What the window shows: the Lines column of its workers table, after its last refresh.
    quint64 viewLines = 0;
    const QTableView *table = window.findChild<QTableView *>();
    if (table && table->model()) {
        const QAbstractItemModel *model = table->model();
        for (int row = 0; row < model->rowCount(); ++row)
            viewLines += model->data(model->index(row, 2)).toULongLong(); // LinesColumn
    }
    const Demo::WorkerRunner *runner = window.runner();
    quint64 counterLines = 0;
    for (int i = 0; i < runner->workerCount(); ++i)
        counterLines += runner->workerStats(i).lines;

    const QJsonObject result {
        { QStringLiteral("runSeconds"), static_cast<double>(runNs) / 1e9 },
        { QStringLiteral("viewLines"), static_cast<double>(viewLines) },
        { QStringLiteral("counterLines"), static_cast<double>(counterLines) },
        { QStringLiteral("totalLines"), static_cast<double>(runner->totalLines()) },
        { QStringLiteral("sunkLines"), static_cast<double>(sunkLines.load()) },
        { QStringLiteral("droppedEvents"), static_cast<double>(runner->droppedEvents()) },
        { QStringLiteral("lagP50Ms"), percentile(lagMs, 0.5) },
        { QStringLiteral("lagP99Ms"), percentile(lagMs, 0.99) },
        { QStringLiteral("lagMaxMs"), maximum(lagMs) },
        { QStringLiteral("beats"), static_cast<int>(lagMs.size()) },
        { QStringLiteral("peakRssMiB"), peakRssMiB() },
    };
    const QByteArray json = QJsonDocument(result).toJson(QJsonDocument::Compact);
    std::printf("%s\n", json.constData());
    return 0;
}

void runGuiBenchmark(Report &report, const Settings &settings)
{
    std::vector<double> linesPerSecond, lagP50, lagP99, lagMax, rss, lost, dropped;
    for (int run = 0; run < settings.runs; ++run) {
        progress("6. GUI throughput: run %d/%d, %d workers at %lld ms for %lld s, offscreen",
                 run + 1, settings.runs, GuiWorkers, static_cast<long long>(GuiInterval.count()),
                 static_cast<long long>(GuiDuration.count()));
        // A child process, so that its peak RSS is the window's alone, and a private
        // settings directory, so that the window neither reads nor writes the user's.
        QTemporaryDir config;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), config.path());
        QProcess child;
        child.setProcessEnvironment(environment);
        child.start(QCoreApplication::applicationFilePath(), { QStringLiteral("--gui-child") });
        // Its stderr (Qt's notes about the offscreen platform) is shown only if it fails.
        if (!child.waitForFinished(120'000) || child.exitStatus() != QProcess::NormalExit
            || child.exitCode() != 0) {
            progress("error: the GUI benchmark process failed (%s):\n%s",
                     qPrintable(child.errorString()), child.readAllStandardError().constData());
            std::exit(2);
        }
        const QList<QByteArray> lines = child.readAllStandardOutput().trimmed().split('\n');
        const QJsonObject result = QJsonDocument::fromJson(lines.constLast()).object();
        const double view = result.value(QStringLiteral("viewLines")).toDouble();
        const double counters = result.value(QStringLiteral("counterLines")).toDouble();
        const double total = result.value(QStringLiteral("totalLines")).toDouble();
        const double sunk = result.value(QStringLiteral("sunkLines")).toDouble();
        linesPerSecond.push_back(view / result.value(QStringLiteral("runSeconds")).toDouble());
        lagP50.push_back(result.value(QStringLiteral("lagP50Ms")).toDouble());
        lagP99.push_back(result.value(QStringLiteral("lagP99Ms")).toDouble());
        lagMax.push_back(result.value(QStringLiteral("lagMaxMs")).toDouble());
        rss.push_back(result.value(QStringLiteral("peakRssMiB")).toDouble());
        // Lines printed (the sink's count) that the runner's counters or the view miss.
        lost.push_back(std::max(
                { std::abs(sunk - counters), std::abs(sunk - total), std::abs(sunk - view) }));
        dropped.push_back(result.value(QStringLiteral("droppedEvents")).toDouble());
    }

    const QString section = QStringLiteral("6. GUI: 64 workers at 1 ms for 5 s, offscreen");
    report.add({ QStringLiteral("gui.linesPerSecond"), section,
                 QStringLiteral("lines/s delivered to the view"), QStringLiteral("lines/s"),
                 linesPerSecond, std::nullopt, Goal(),
                 QStringLiteral(
                         "the sum of the workers table's Lines column after the run ÷ the run's "
                         "length; 64,000/s is the ceiling") });
    report.add({ QStringLiteral("gui.lag.p50"), section, QStringLiteral("event-loop lag, p50"),
                 QStringLiteral("ms"), lagP50, std::nullopt, Goal(),
                 QStringLiteral("lateness of a 5 ms PreciseTimer heartbeat on the GUI thread") });
    report.add({ QStringLiteral("gui.lag.p99"), section, QStringLiteral("event-loop lag, p99"),
                 QStringLiteral("ms"), lagP99, std::nullopt, Goal::medianBelow(50), QString() });
    report.add({ QStringLiteral("gui.lag.max"), section, QStringLiteral("event-loop lag, max"),
                 QStringLiteral("ms"), lagMax, std::nullopt, Goal(), QString() });
    report.add({ QStringLiteral("gui.peakRss"), section, QStringLiteral("peak RSS (VmHWM)"),
                 QStringLiteral("MiB"), rss, std::nullopt, Goal::maxBelow(200),
                 QStringLiteral("the whole GUI process, in a child of the benchmark") });
    report.add({ QStringLiteral("gui.linesLost"), section,
                 QStringLiteral("lines lost: printed vs runner counters vs view"),
                 QStringLiteral("lines"), lost, std::nullopt, Goal::maxEqual(0),
                 QStringLiteral(
                         "the largest difference between the lines the workers printed (a counting "
                         "line sink), the runner's counters and the view") });
    report.add({ QStringLiteral("gui.droppedEvents"), section,
                 QStringLiteral("timeline events dropped (queue bound)"), QStringLiteral("events"),
                 dropped, std::nullopt, Goal(), QString() });
}

} // namespace Bench
