// SPDX-License-Identifier: MIT
#include "workerrunner.h"

#include "helperthread.h"

#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaObject>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

Q_LOGGING_CATEGORY(lcWorkerRunner, "cancellation.demo.runner")

namespace Demo {

using std::chrono::nanoseconds;
using std::chrono::steady_clock;

RunConfig RunConfig::fromOptions(const DemoOptions &options)
{
    RunConfig config;
    config.workers = options.workers.value_or(Limits::DefaultWorkers);
    config.interval = options.interval.value_or(Limits::DefaultInterval);
    config.mode = options.mode.value_or(Limits::DefaultMode);
    config.timeout = options.timeout;
    config.timeoutStyle = options.timeoutStyle.value_or(Limits::DefaultTimeoutStyle);
    config.ignoringWorkers = options.ignoringWorkers.value_or(0);
    return config;
}

namespace {

// One worker's counters: written by the worker, read lock-free by the owner thread.
struct WorkerSlot
{
    std::atomic<WorkerState> state { WorkerState::Starting };
    std::atomic<quint64> lines { 0 };
    // steady_clock nanoseconds since its epoch; written before state becomes Stopped.
    std::atomic<qint64> stoppedAtNs { 0 };
};

Cancellation::Source::DeadlineCheck deadlineCheck(TimeoutStyle style)
{
    return style == TimeoutStyle::Deadline ? Cancellation::Source::DeadlineCheck::PollOnly
                                           : Cancellation::Source::DeadlineCheck::Timer;
}

} // namespace

struct WorkerRunner::Run
{
    Run(WorkerRunner *runner, quint64 runGeneration, const RunConfig &runConfig)
        : owner(runner),
          generation(runGeneration),
          config(runConfig),
          slots(static_cast<std::size_t>(runConfig.workers)),
          steps(static_cast<std::size_t>(runConfig.workers))
    {
    }

    void record(int worker, WorkerEvent::Type type, quint64 line,
                steady_clock::time_point time = steady_clock::now())
    {
        if (!recordEvents)
            return;
        const WorkerEvent event { worker, type, time, line };
        std::lock_guard lock(eventMutex);
        if (events.size() >= MaxQueuedEvents) {
            events.pop_front();
            ++dropped;
        }
        events.push_back(event);
    }

    void setState(int worker, WorkerState state)
    {
        slots[static_cast<std::size_t>(worker)].state.store(state, std::memory_order_relaxed);
    }

    // Worker \a index is about to take the step \a state: it says so, then holds here while
    // the run is paused and step() has not given it a step to take.
    void beginStep(int index, WorkerState state)
    {
        setState(index, state);
        if (!paused.load(std::memory_order_acquire))
            return;
        std::unique_lock lock(gateMutex);
        ++held;
        gateChanged.wait(lock, [&] { return !pausedGuarded || steps[std::size_t(index)] > 0; });
        --held;
        if (pausedGuarded)
            --steps[std::size_t(index)];
    }

    void setPaused(bool pause)
    {
        {
            std::lock_guard lock(gateMutex);
            if (pause != pausedGuarded) {
                const steady_clock::time_point now = steady_clock::now();
                if (pause)
                    pauses.push_back({ now, std::nullopt });
                else
                    pauses.back().to = now;
            }
            pausedGuarded = pause;
            std::fill(steps.begin(), steps.end(), 0);
            paused.store(pause, std::memory_order_release);
        }
        gateChanged.notify_all();
    }

    void work(int index);
    void workerExited();

    WorkerRunner *const owner;
    const quint64 generation; // tells this run's allWorkersExited() from an older run's
    const RunConfig config;
    LineSink sink;
    bool recordEvents = false;
    std::unique_ptr<Cancellation::Source> root;
    std::vector<std::unique_ptr<Cancellation::Source>> children;
    std::vector<Cancellation::Token> tokens;
    std::vector<WorkerSlot> slots;
    std::vector<std::thread> threads;
    std::atomic<int> alive { 0 };
    std::atomic<quint64> totalLines { 0 };

    std::mutex eventMutex;
    std::deque<WorkerEvent> events; // guarded by eventMutex
    quint64 dropped = 0; // guarded by eventMutex

    // Pause and step: paused is the workers' lock-free fast path, the rest the gate's.
    std::atomic<bool> paused { false };
    std::mutex gateMutex;
    std::condition_variable gateChanged;
    bool pausedGuarded = false; // guarded by gateMutex
    std::vector<int> steps; // steps each worker may take while paused; guarded by gateMutex
    int held = 0; // workers waiting at the gate; guarded by gateMutex
    // The run's pauses, oldest first; the last one has no end while the run is paused.
    struct Pause
    {
        steady_clock::time_point from;
        std::optional<steady_clock::time_point> to;
    };
    std::vector<Pause> pauses; // guarded by gateMutex

    // Owner thread only.
    bool running = true;
};

void WorkerRunner::Run::work(int index)
{
    WorkerSlot &slot = slots[static_cast<std::size_t>(index)];
    const Cancellation::Token token = tokens[static_cast<std::size_t>(index)];
    const QString line = config.workers > 1
            ? QStringLiteral("[worker %1] Hello World!").arg(index + 1)
            : QStringLiteral("Hello World!");
    record(index, WorkerEvent::Type::Started, 0);

    const auto print = [&] {
        beginStep(index, WorkerState::Printing);
        const quint64 number = slot.lines.fetch_add(1, std::memory_order_relaxed) + 1;
        totalLines.fetch_add(1, std::memory_order_relaxed);
        if (sink) {
            try {
                sink(index, line);
            } catch (const std::exception &e) {
                qCWarning(lcWorkerRunner, "worker %d: the line sink threw: %s", index + 1,
                          e.what());
            } catch (...) {
                qCWarning(lcWorkerRunner, "worker %d: the line sink threw", index + 1);
            }
        }
        record(index, WorkerEvent::Type::Printed, number);
    };

    const bool ignoresToken = index < config.ignoringWorkers;
    if (ignoresToken) {
        // Written without the token in mind: nothing can stop it early.
        for (int i = 0; i < config.ignoredLineLimit; ++i) {
            beginStep(index, WorkerState::Sleeping);
            record(index, WorkerEvent::Type::Sleeping, slot.lines.load(std::memory_order_relaxed));
            std::this_thread::sleep_for(config.interval);
            print();
        }
    } else if (config.modeOf(index) == WaitMode::Poll) {
        // The article's loop, verbatim: the cancel is seen only after a whole sleep.
        for (;;) {
            beginStep(index, WorkerState::Checking);
            record(index, WorkerEvent::Type::Checking, slot.lines.load(std::memory_order_relaxed));
            if (token.isCanceled())
                break;
            beginStep(index, WorkerState::Sleeping);
            record(index, WorkerEvent::Type::Sleeping, slot.lines.load(std::memory_order_relaxed));
            std::this_thread::sleep_for(config.interval);
            print();
        }
    } else {
        for (;;) {
            beginStep(index, WorkerState::Sleeping);
            record(index, WorkerEvent::Type::Sleeping, slot.lines.load(std::memory_order_relaxed));
            if (token.waitFor(config.interval))
                break;
            print();
        }
    }

    // The same moment for the timeline's event and for RunSnapshot's stop latency.
    const steady_clock::time_point stoppedAt = steady_clock::now();
    setState(index, WorkerState::Stopping);
    slot.stoppedAtNs.store(stoppedAt.time_since_epoch().count(), std::memory_order_relaxed);
    record(index, WorkerEvent::Type::Stopped, slot.lines.load(std::memory_order_relaxed),
           stoppedAt);
    // Release: whoever reads Stopped (acquire) also sees the final counters.
    slot.state.store(WorkerState::Stopped, std::memory_order_release);
    workerExited();
}

void WorkerRunner::Run::workerExited()
{
    if (alive.fetch_sub(1, std::memory_order_acq_rel) != 1)
        return;
    // The last one out hops to the owner thread, which joins and emits finished(). If the runner
    // is being destroyed, it joins us itself and this queued call is discarded with it.
    Q_EMIT owner->allWorkersExited(generation, QPrivateSignal());
}

WorkerRunner::WorkerRunner(QObject *parent) : QObject(parent)
{
    // A signal rather than a posted lambda: Qt copies the argument itself, so the hand-off
    // between threads is all inside Qt, and ThreadSanitizer sees no unsynchronised functor.
    connect(this, &WorkerRunner::allWorkersExited, this, &WorkerRunner::onAllStopped,
            Qt::QueuedConnection);
}

WorkerRunner::~WorkerRunner()
{
    if (m_run && m_run->running) {
        m_run->setPaused(false);
        m_run->root->cancel();
        for (std::thread &thread : m_run->threads)
            thread.join();
    }
}

bool WorkerRunner::start(const RunConfig &config)
{
    if (isRunning()) {
        qCWarning(lcWorkerRunner, "start(): a run is already active");
        return false;
    }
    if (config.workers < Limits::MinWorkers || config.workers > Limits::MaxWorkers
        || config.interval < Limits::MinInterval || config.interval > Limits::MaxInterval
        || (config.timeout
            && (*config.timeout < Limits::MinTimeout || *config.timeout > Limits::MaxTimeout))
        || config.ignoringWorkers < 0 || config.ignoringWorkers > config.workers
        || config.ignoredLineLimit < 1 || config.ignoredLineLimit > RunConfig::MaxIgnoredLineLimit
        || config.slowdown < 1 || config.slowdown > RunConfig::MaxSlowdown) {
        qCWarning(lcWorkerRunner, "start(): configuration out of range");
        return false;
    }

    auto run = std::make_unique<Run>(this, ++m_generation, config);
    run->sink = m_sink;
    run->recordEvents = m_recordEvents;
    run->root = std::make_unique<Cancellation::Source>();
    run->root->setDebugName(QStringLiteral("run"));
    run->children.reserve(static_cast<std::size_t>(config.workers));
    run->tokens.reserve(static_cast<std::size_t>(config.workers));
    for (int i = 0; i < config.workers; ++i) {
        auto child = std::make_unique<Cancellation::Source>(run->root->token());
        child->setDebugName(QStringLiteral("worker %1").arg(i + 1));
        run->tokens.push_back(child->token());
        run->children.push_back(std::move(child));
    }
    // Armed before the workers start, so a zero timeout means no line at all.
    if (config.timeout) {
        const Cancellation::Source::DeadlineCheck check = deadlineCheck(config.timeoutStyle);
        if (config.timeoutFrom)
            run->root->cancelAt(*config.timeoutFrom + *config.timeout, check);
        else
            run->root->cancelAfter(*config.timeout, check);
    }

    m_run = std::move(run);
    Run *current = m_run.get();
    current->alive.store(config.workers, std::memory_order_relaxed);
    current->threads.reserve(static_cast<std::size_t>(config.workers));
    for (int i = 0; i < config.workers; ++i) {
        try {
            current->threads.push_back(startHelperThread([current, i] { current->work(i); }));
        } catch (const std::system_error &e) {
            qCWarning(lcWorkerRunner,
                      "start(): could not start worker %d of %d (%s); canceling the run", i + 1,
                      config.workers, e.what());
            current->root->cancelWithMessage(QStringLiteral("could not start all workers"));
            for (int j = i; j < config.workers; ++j) {
                current->slots[static_cast<std::size_t>(j)].state.store(WorkerState::Stopped,
                                                                        std::memory_order_relaxed);
                current->workerExited();
            }
            break;
        }
    }
    Q_EMIT started(QPrivateSignal());
    return true;
}

void WorkerRunner::onAllStopped(quint64 generation)
{
    if (!m_run || m_run->generation != generation || !m_run->running)
        return;
    // Every worker has left its loop, so these joins return at once.
    for (std::thread &thread : m_run->threads)
        thread.join();
    m_run->threads.clear();
    m_run->setPaused(false); // ends the last pause where the run ends
    m_run->running = false;
    Q_EMIT finished(QPrivateSignal());
}

bool WorkerRunner::isRunning() const noexcept
{
    return m_run && m_run->running;
}

RunConfig WorkerRunner::config() const
{
    return m_run ? m_run->config : RunConfig();
}

Cancellation::Source *WorkerRunner::rootSource() const noexcept
{
    return m_run ? m_run->root.get() : nullptr;
}

Cancellation::Source *WorkerRunner::workerSource(int index) const noexcept
{
    if (!m_run || index < 0 || index >= m_run->config.workers)
        return nullptr;
    return m_run->children[static_cast<std::size_t>(index)].get();
}

Cancellation::Token WorkerRunner::workerToken(int index) const
{
    const Cancellation::Source *source = workerSource(index);
    return source ? source->token() : Cancellation::Token();
}

bool WorkerRunner::cancel()
{
    return m_run && m_run->root->cancel();
}

bool WorkerRunner::cancelWorker(int index)
{
    if (!isRunning() || index < 0 || index >= m_run->config.workers)
        return false;
    return m_run->children[static_cast<std::size_t>(index)]->cancel();
}

void WorkerRunner::setTimeout(std::optional<nanoseconds> timeout)
{
    if (!isRunning())
        return;
    if (timeout && (*timeout < Limits::MinTimeout || *timeout > Limits::MaxTimeout)) {
        qCWarning(lcWorkerRunner, "setTimeout(): timeout out of range; ignored");
        return;
    }
    m_run->root->cancelAfter(timeout.value_or(nanoseconds::max()),
                             deadlineCheck(m_run->config.timeoutStyle));
}

void WorkerRunner::setPaused(bool paused)
{
    if (isRunning())
        m_run->setPaused(paused);
}

bool WorkerRunner::isPaused() const noexcept
{
    return isRunning() && m_run->paused.load(std::memory_order_relaxed);
}

nanoseconds WorkerRunner::pausedBetween(steady_clock::time_point from,
                                        steady_clock::time_point to) const
{
    if (!m_run)
        return nanoseconds::zero();
    std::lock_guard lock(m_run->gateMutex);
    nanoseconds paused = nanoseconds::zero();
    for (const Run::Pause &pause : m_run->pauses) {
        const steady_clock::time_point begin = std::max(pause.from, from);
        const steady_clock::time_point end = std::min(pause.to.value_or(to), to);
        if (end > begin)
            paused += end - begin;
    }
    return paused;
}

void WorkerRunner::step()
{
    if (!isPaused())
        return;
    {
        std::lock_guard lock(m_run->gateMutex);
        for (int &steps : m_run->steps)
            steps = 1;
    }
    m_run->gateChanged.notify_all();
}

int WorkerRunner::heldWorkers() const noexcept
{
    if (!isRunning())
        return 0;
    std::lock_guard lock(m_run->gateMutex);
    return m_run->held;
}

void WorkerRunner::setLineSink(LineSink sink)
{
    if (isRunning()) {
        qCWarning(lcWorkerRunner, "setLineSink(): ignored while a run is active");
        return;
    }
    m_sink = std::move(sink);
}

void WorkerRunner::setRecordEvents(bool record)
{
    if (isRunning()) {
        qCWarning(lcWorkerRunner, "setRecordEvents(): ignored while a run is active");
        return;
    }
    m_recordEvents = record;
}

bool WorkerRunner::recordsEvents() const noexcept
{
    return m_recordEvents;
}

std::vector<WorkerEvent> WorkerRunner::takeEvents()
{
    if (!m_run)
        return {};
    std::deque<WorkerEvent> taken;
    {
        std::lock_guard lock(m_run->eventMutex);
        taken.swap(m_run->events);
    }
    return std::vector<WorkerEvent>(taken.begin(), taken.end());
}

quint64 WorkerRunner::droppedEvents() const noexcept
{
    if (!m_run)
        return 0;
    std::lock_guard lock(m_run->eventMutex);
    return m_run->dropped;
}

quint64 WorkerRunner::runNumber() const noexcept
{
    return m_run ? m_run->generation : 0;
}

int WorkerRunner::workerCount() const noexcept
{
    return m_run ? m_run->config.workers : 0;
}

int WorkerRunner::aliveWorkers() const noexcept
{
    return m_run ? m_run->alive.load(std::memory_order_relaxed) : 0;
}

WorkerStats WorkerRunner::workerStats(int index) const noexcept
{
    if (!m_run || index < 0 || index >= m_run->config.workers)
        return WorkerStats();
    const WorkerSlot &slot = m_run->slots[static_cast<std::size_t>(index)];
    WorkerStats stats;
    stats.state = slot.state.load(std::memory_order_acquire);
    stats.lines = slot.lines.load(std::memory_order_relaxed);
    if (stats.state == WorkerState::Stopped)
        stats.stoppedAt = steady_clock::time_point(
                nanoseconds(slot.stoppedAtNs.load(std::memory_order_relaxed)));
    stats.ignoresToken = index < m_run->config.ignoringWorkers;
    return stats;
}

quint64 WorkerRunner::totalLines() const noexcept
{
    return m_run ? m_run->totalLines.load(std::memory_order_relaxed) : 0;
}

QString WorkerRunner::stateName(WorkerState state)
{
    switch (state) {
    case WorkerState::Starting:
        return QStringLiteral("Starting");
    case WorkerState::Checking:
        return QStringLiteral("Checking");
    case WorkerState::Sleeping:
        return QStringLiteral("Sleeping");
    case WorkerState::Printing:
        return QStringLiteral("Printing");
    case WorkerState::Stopping:
        return QStringLiteral("Stopping");
    case WorkerState::Stopped:
        return QStringLiteral("Stopped");
    }
    return QString();
}

} // namespace Demo
