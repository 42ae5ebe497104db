// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace Cancellation {
class Source;
class Token;
} // namespace Cancellation

namespace Demo {

//! One run's parameters, with every default filled in.
struct RunConfig
{
    int workers = Limits::DefaultWorkers;
    std::chrono::nanoseconds interval = Limits::DefaultInterval;
    WaitMode mode = Limits::DefaultMode;
    //! Empty: no timeout. Zero: the token is canceled before the workers start.
    std::optional<std::chrono::nanoseconds> timeout {};
    /*!
        When the timeout counts from. Empty: from start(). The console sets the moment the
        process started, so that \c{--timeout 1500ms} ends the program 1.5 s after its start,
        however long Qt took to start up. A deadline that has already passed cancels the token
        before the workers start.
    */
    std::optional<std::chrono::steady_clock::time_point> timeoutFrom {};
    TimeoutStyle timeoutStyle = Limits::DefaultTimeoutStyle;
    /*!
        How many workers ignore their token, 0 to workers: workers 1 to ignoringWorkers (0-based
        indexes below it). Such a worker never looks at its token: it sleeps for the interval and
        prints, ignoredLineLimit times, then ends on its own, canceled or not. It shows that
        cancellation is cooperative.
    */
    int ignoringWorkers = 0;
    //! The lines an ignoring worker prints before it ends, 1 to MaxIgnoredLineLimit.
    int ignoredLineLimit = DefaultIgnoredLineLimit;
    /*!
        Slow motion, 1 to MaxSlowdown: how many times longer than set this run's interval and
        timeout are. interval and timeout above are already multiplied by it, so every figure of
        the run is real time; it only tells the settings that were scaled (see setInterval()).
    */
    int slowdown = 1;

    static constexpr int DefaultIgnoredLineLimit = 10;
    static constexpr int MaxIgnoredLineLimit = 1000000;
    static constexpr int MaxSlowdown = 100;

    //! The loop worker \a index (0-based) runs: Poll or Wait, never Mixed.
    WaitMode modeOf(int index) const noexcept
    {
        if (mode != WaitMode::Mixed)
            return mode;
        return index % 2 == 0 ? WaitMode::Poll : WaitMode::Wait;
    }
    //! The interval as set, before slow motion.
    std::chrono::nanoseconds setInterval() const noexcept { return interval / slowdown; }

    //! The given flags of \a options over the defaults.
    static RunConfig fromOptions(const DemoOptions &options);
};

//! What a worker is doing. Stopping: it has seen the cancel and is leaving its loop.
enum class WorkerState { Starting, Checking, Sleeping, Printing, Stopping, Stopped };

//! One worker's live counters: what only the worker knows. What its token
//! knows (canceled, why, when) is in the token; RunSnapshot combines both.
struct WorkerStats
{
    WorkerState state = WorkerState::Stopped;
    quint64 lines = 0; //!< "Hello World!" lines printed so far
    //! When it left its loop; empty until then.
    std::optional<std::chrono::steady_clock::time_point> stoppedAt;
    //! The worker never looks at its token (see RunConfig::ignoringWorkers).
    bool ignoresToken = false;
};

//! One step of one worker, for the GUI's timeline.
struct WorkerEvent
{
    enum class Type { Started, Checking, Sleeping, Printed, Stopped };
    int worker = 0; //!< 0-based index
    Type type = Type::Started;
    std::chrono::steady_clock::time_point time;
    quint64 line = 0; //!< lines printed by this worker so far, including this one for Printed
};

/*!
    \class Demo::WorkerRunner
    \brief Runs the article's loop on N worker threads, each on its own child token of one root
    Source, and reports lines, states and stop latencies.

    Worker i runs on a child Source of rootSource(), so cancel() stops them all and
    cancelWorker(i) stops one. In WaitMode::Poll (and as an odd-numbered worker in Mixed) a
    worker runs the article's loop verbatim:
    \code
    while (!token.isCanceled()) { sleep_for(interval); print(); }
    \endcode
    so it notices a cancel up to one interval late and prints one last line. In WaitMode::Wait
    (and as an even-numbered worker in Mixed) it runs
    \c{while (!token.waitFor(interval)) print();} and stops at once. The first
    RunConfig::ignoringWorkers workers run \c{for (i < limit) { sleep_for(interval); print(); }}
    instead, never looking at their token; finished() waits for them too.

    Threading: create and use the runner on one thread with an event loop (the owner thread) and
    call every function there. The workers publish their counters through atomics and their
    events through a short mutex, so workerStats(), totalLines(), aliveWorkers() and takeEvents()
    never wait for a worker. The line sink is the only code of yours that runs on the worker
    threads. Signals are emitted on the owner thread, through a queued call, never on a worker
    thread; no signal is queued per line. The workers block SIGINT and SIGTERM, leaving
    them to other threads (see startHelperThread()).
*/
class WorkerRunner : public QObject
{
    Q_OBJECT

public:
    using RunConfig = Demo::RunConfig;
    using LineSink = std::function<void(int worker, QStringView line)>;

    //! Events kept when nobody drains them; the oldest are dropped beyond this.
    static constexpr std::size_t MaxQueuedEvents = 1 << 16;

    explicit WorkerRunner(QObject *parent = nullptr);
    //! Cancels the run, if any, and joins its workers. The only blocking call.
    ~WorkerRunner() override;

    /*!
        Starts config.workers workers on a new root Source, after arming its timeout if
        config.timeout is set (from config.timeoutFrom, or from now). Returns \c false and
        changes nothing if a run is active (isRunning()) or if \a config is out of range (see
        Limits). Emits started().
    */
    bool start(const RunConfig &config);

    //! \c true from start() until finished() is emitted.
    bool isRunning() const noexcept;
    //! The current run's config; the last run's once finished.
    RunConfig config() const;

    //! The run's root Source, owned by the runner: valid from start() until the next start(), or
    //! nullptr before the first. Connect to its canceled() signal with a context object.
    Cancellation::Source *rootSource() const noexcept;
    //! Worker \a index's own Source (0-based), a child of rootSource(), owned by the runner and
    //! valid as long as rootSource(); nullptr if there is no such worker.
    Cancellation::Source *workerSource(int index) const noexcept;
    //! Worker \a index's token; a token that can never be canceled if there is no such worker.
    Cancellation::Token workerToken(int index) const;

    //! Cancels every worker through the root token (Reason::Kind::UserRequest). Returns what
    //! Source::cancel() returned: \c true for the first cancel, \c false if the token was
    //! canceled already or there is no run.
    bool cancel();
    //! Cancels worker \a index (0-based) alone. Returns \c false if there is no such running worker
    //! or it is already canceled.
    bool cancelWorker(int index);
    /*!
        Re-arms the root token's timeout from now with the run's timeout style, or disarms it if
        \a timeout is empty. Does nothing when no run is active.
    */
    void setTimeout(std::optional<std::chrono::nanoseconds> timeout);

    /*!
        Pauses the run: each worker stops before its next step (a check, a sleep or wait, a
        print) and holds there, its state already that step's, until step() or
        setPaused(false). A sleep under way ends first. The tokens are not paused: a cancel or
        a timeout lands at once, and is noticed by the step that checks. Does nothing when no
        run is active; a new run starts unpaused. The destructor resumes the workers to stop
        them.
    */
    void setPaused(bool paused);
    bool isPaused() const noexcept;
    //! While paused: lets every worker take its next step, and hold again before the one after.
    void step();
    //! Workers holding before a step now, while paused.
    int heldWorkers() const noexcept;
    /*!
        How long the current (or last) run was paused between \a from and \a to: a pause
        under way counts until \a to, and a run's last pause ends when the run does. Zero if
        there is no run.
    */
    std::chrono::nanoseconds pausedBetween(std::chrono::steady_clock::time_point from,
                                           std::chrono::steady_clock::time_point to) const;

    /*!
        Sets the function that prints a worker's "Hello World!" line: \a line is
        "Hello World!", or "[worker 3] Hello World!" (1-based numbers) with more than one worker;
        \a worker is the 0-based index. Called on the worker threads, concurrently: it must be
        thread-safe. Without a sink, lines are only counted. Ignored while a run is active.
    */
    void setLineSink(LineSink sink);

    //! Records WorkerEvents for takeEvents(); off by default. Ignored while a run is active.
    void setRecordEvents(bool record);
    bool recordsEvents() const noexcept;
    //! Removes and returns the recorded events, oldest first. Drain it from a 30-60 Hz timer.
    std::vector<WorkerEvent> takeEvents();
    //! Events dropped because more than MaxQueuedEvents were waiting, since start().
    quint64 droppedEvents() const noexcept;

    //! 1 for the first run started, 2 for the second, ...; 0 before the first.
    quint64 runNumber() const noexcept;
    //! The worker count of the current (or last) run.
    int workerCount() const noexcept;
    //! Workers whose thread has not yet left its loop.
    int aliveWorkers() const noexcept;
    //! A snapshot of worker \a index (0-based); default WorkerStats if out of range.
    WorkerStats workerStats(int index) const noexcept;
    //! Lines printed by all workers of the current (or last) run.
    quint64 totalLines() const noexcept;

    //! "Starting", "Checking", ..., "Stopped".
    static QString stateName(WorkerState state);

Q_SIGNALS:
    //! A run has started; rootSource() is its token.
    void started(QPrivateSignal);
    //! Every worker of the run has stopped and been joined. Emitted exactly once per run.
    void finished(QPrivateSignal);
    //! Internal: the last worker of run \a generation has left its loop, emitted on its thread
    //! and queued to the runner's, which then joins the workers and emits finished().
    void allWorkersExited(quint64 generation, QPrivateSignal);

private:
    struct Run;
    void onAllStopped(quint64 generation);

    std::unique_ptr<Run> m_run;
    quint64 m_generation = 0;
    LineSink m_sink;
    bool m_recordEvents = false;
};

} // namespace Demo
