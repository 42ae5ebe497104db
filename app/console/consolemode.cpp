// SPDX-License-Identifier: MIT
#include "consolemode.h"

#include "core/linewriter.h"
#include "console/processsetup.h"
#include "core/commandline.h"
#include "core/durationparser.h"
#include "core/runsnapshot.h"
#include "core/signalnames.h"
#include "core/workerrunner.h"

#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaObject>
#include <QtCore/QStringBuilder>

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace Demo {

namespace {

using namespace std::chrono_literals;

// How long a signal that ends the program waits for the lines already queued (its own
// "Handling" line, the message on stderr) before it exits without them: a stalled reader must
// not hold it up, and a live one takes microseconds.
constexpr std::chrono::milliseconds ExitGrace = 100ms;

QString doneLine(const RunSnapshot &run)
{
    // Not canceled: every worker ignored its token and ended on its own (the console cancels
    // nothing but the root, and the others stop only when canceled).
    const QString why = run.isCanceled() ? run.reason.toString() : QStringLiteral("not canceled");
    const int ignoring = run.config.ignoringWorkers;
    const int workers = int(run.workers.size()) - ignoring;
    if (workers == 0)
        return QStringLiteral("Done (%1; every worker ignored its token and ended on its own)")
                .arg(why);
    const QString who = workers == 1 ? QStringLiteral("the worker")
                                     : QStringLiteral("all %1 workers").arg(workers);
    const QString after =
            run.slowestStop ? DurationParser::format(*run.slowestStop) : QStringLiteral("?");
    // A deadline is due when it passes, however late it is noticed.
    const QString since =
            run.timedOut() ? QStringLiteral("the deadline") : QStringLiteral("the cancel");
    const QString ignored = ignoring == 0
            ? QString()
            : QStringLiteral("; %1 ignored its token and ended on its own").arg(ignoring);
    return QStringLiteral("Done (%1; %2 stopped within %3 of %4%5)")
            .arg(why, who, after, since, ignored);
}

/*
    One console run. Nothing on the main thread ever waits on stdout or stderr: lines go
    through a LineWriter each, and only an exit waits for them, for at most ExitGrace. So a
    signal is always handled, however stalled the reader.

    Order of events: the workers print; a signal, the timeout or a write error cancels the
    token; once every worker has stopped, "Done" is queued and the program exits as soon as it
    is written (0), or reports the write error on stderr (1). A second signal before the end
    exits at once with 128 + its number.
*/
// What the writing threads report to the main thread. Emitted on a writing thread, delivered
// through queued connections made on the main thread: Qt hands each call over, and nothing
// built on a writing thread runs on the main one (which ThreadSanitizer could not follow
// through Qt's uninstrumented event queue).
class WriterEvents : public QObject
{
    Q_OBJECT

Q_SIGNALS:
    void stdoutWritten();
    void stdoutFailed();
    void stderrWritten();
};

class ConsoleRun
{
public:
    ConsoleRun()
        : m_out(std::in_place, STDOUT_FILENO, "stdout-writer"),
          m_err(std::in_place, STDERR_FILENO, "stderr-writer")
    {
        QObject::connect(
                &m_events, &WriterEvents::stdoutWritten, &m_events, [this] { onOutputWritten(); },
                Qt::QueuedConnection);
        QObject::connect(
                &m_events, &WriterEvents::stdoutFailed, &m_events, [this] { onWriteError(); },
                Qt::QueuedConnection);
        QObject::connect(
                &m_events, &WriterEvents::stderrWritten, &m_events,
                [] { QCoreApplication::exit(CommandLine::WriteErrorExitCode); },
                Qt::QueuedConnection);
    }
    ~ConsoleRun()
    {
        // Stops the writing threads before the runner they call back into is destroyed.
        m_out.reset();
        m_err.reset();
    }

    int exec(const DemoOptions &options, std::chrono::steady_clock::time_point processStarted);

private:
    void onSignal(int signalNumber);
    void onWriteError();
    void onFinished();
    void onOutputWritten();
    [[noreturn]] void exitNow(int status, const QString &message,
                              std::chrono::steady_clock::time_point deadline);
    bool waitUntilWritten(std::chrono::steady_clock::time_point deadline);

    WriterEvents m_events; // first: outlives the writing threads
    std::optional<LineWriter> m_out;
    std::optional<LineWriter> m_err;
    WorkerRunner m_runner;
    int m_signals = 0;
    bool m_finished = false;
};

void ConsoleRun::onSignal(int signalNumber)
{
    const auto deadline = std::chrono::steady_clock::now() + ExitGrace;
    if (m_finished) {
        // "Done" is queued or written: the run is over and only output is left. A signal
        // changes nothing, unless the output is stuck, and then it ends the wait (the message
        // saying so gets a grace of its own).
        if (!waitUntilWritten(deadline))
            exitNow(128 + signalNumber,
                    QStringLiteral("cancellation-demo: signal received; exiting without waiting "
                                   "for the output to be written"),
                    std::chrono::steady_clock::now() + ExitGrace);
        return;
    }
    // The SignalCanceler has canceled the token already.
    m_out->post(SignalNames::handlingLine(signalNumber).toLocal8Bit());
    if (++m_signals == 1)
        return;
    // The user insists: don't wait for the workers.
    exitNow(128 + signalNumber,
            QStringLiteral("cancellation-demo: signal received again; exiting without waiting "
                           "for the workers"),
            deadline);
}

void ConsoleRun::exitNow(int status, const QString &message,
                         std::chrono::steady_clock::time_point deadline)
{
    m_err->post(message.toLocal8Bit());
    waitUntilWritten(deadline);
    // Skips every destructor, which would join the workers and the writing threads.
    std::_Exit(status);
}

bool ConsoleRun::waitUntilWritten(std::chrono::steady_clock::time_point deadline)
{
    const auto left = [deadline] {
        return std::max(0ms,
                        std::chrono::ceil<std::chrono::milliseconds>(
                                deadline - std::chrono::steady_clock::now()));
    };
    // stderr first: its one line says why the program exits, and a stalled stdout must not
    // use up the time before it is written.
    const bool errWritten = m_err->waitUntilWritten(left());
    return m_out->waitUntilWritten(left()) && errWritten;
}

void ConsoleRun::onWriteError()
{
    // Nothing can be shown any more: stop the workers. The error is reported once they have.
    if (m_runner.isRunning())
        m_runner.rootSource()->cancelWithMessage(QStringLiteral("write error on stdout"));
}

void ConsoleRun::onFinished()
{
    m_finished = true;
    if (m_out->error() == 0)
        m_out->post(doneLine(RunSnapshot::take(m_runner, std::chrono::steady_clock::now()))
                            .toLocal8Bit());
    m_out->whenWritten([this] { Q_EMIT m_events.stdoutWritten(); });
}

void ConsoleRun::onOutputWritten()
{
    const int error = m_out->error();
    if (error == 0) {
        QCoreApplication::exit(0);
        return;
    }
    m_err->post(
            (QStringLiteral("cancellation-demo: write error on stdout: ") + qt_error_string(error))
                    .toLocal8Bit());
    m_err->whenWritten([this] { Q_EMIT m_events.stderrWritten(); });
}

int ConsoleRun::exec(const DemoOptions &options,
                     std::chrono::steady_clock::time_point processStarted)
{
    m_out->onError([this](int) { Q_EMIT m_events.stdoutFailed(); });
    if (!options.quiet) {
        LineWriter *out = &*m_out;
        m_runner.setLineSink([out](int, QStringView line) { out->write(line.toLocal8Bit()); });
    }

    // Takes over from the handler main() installed first; the signals that one caught are
    // raised again for it, in order, and handled once the event loop runs.
    Cancellation::SignalCanceler canceler;
    ProcessSetup::replayCaughtSignals();
    QObject::connect(&canceler, &Cancellation::SignalCanceler::signalReceived, &m_runner,
                     [this](int signalNumber) { onSignal(signalNumber); });
    QObject::connect(&m_runner, &WorkerRunner::finished, &m_runner, [this] { onFinished(); });

    RunConfig config = RunConfig::fromOptions(options);
    config.timeoutFrom = processStarted;
    if (!m_runner.start(config)) {
        m_err->post("cancellation-demo: could not start the workers");
        m_err->waitUntilWritten(ExitGrace);
        return CommandLine::WriteErrorExitCode;
    }
    canceler.setTarget(m_runner.rootSource());
    return QCoreApplication::exec();
    // ~SignalCanceler restores main()'s handler: until the process exits, a signal is ignored.
}

} // namespace

int runConsole(const DemoOptions &options, std::chrono::steady_clock::time_point processStarted)
{
    ConsoleRun run;
    return run.exec(options, processStarted);
}

} // namespace Demo

#include "consolemode.moc"
