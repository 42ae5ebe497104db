// SPDX-License-Identifier: MIT
#pragma once

#include "core/runsnapshot.h"
#include "core/workerrunner.h"

#include <QtCore/QString>

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace Demo {

/*!
    \class Demo::RunEventLog
    \brief Every WorkerEvent of one run, kept for export as CSV, up to MaxEvents; the ones
    beyond are counted, never silently lost.

    The log keeps only what the workers did. What the tokens know (when each was canceled and
    why, the deadline) is read from a RunSnapshot when the CSV is written, so the file and the
    window state the same facts. GUI thread only; not thread-safe.
*/
class RunEventLog
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    //! About 16 MB of events: a long run at 1 ms keeps its first ones.
    static constexpr std::size_t MaxEvents = 500000;

    //! Forgets everything; the next run started at \a runStart, time zero of the CSV.
    void reset(TimePoint runStart);
    void add(const std::vector<WorkerEvent> &events);

    const std::vector<WorkerEvent> &events() const noexcept { return m_events; }
    //! Events not kept, beyond MaxEvents.
    quint64 notKept() const noexcept { return m_notKept; }
    std::optional<TimePoint> runStart() const noexcept { return m_runStart; }

    /*!
        The run as CSV (RFC 4180, with a header line): \c{time_ms,worker,event,lines,detail},
        sorted by time. time_ms counts from the run's start with microseconds; worker is 1-based,
        empty for the run's own token. Events: \c started, \c checking, \c sleeping, \c printed
        (lines: that worker's lines so far), \c stopped; from the tokens in \a run: \c deadline,
        \c canceled (detail: the reason) for the run's token and for each worker's, whose time
        minus the run's is how long the cancel took to reach it. Events the log did not keep, or
        that the runner dropped (\a droppedByRunner), are counted in a last \c{not kept} row.
    */
    QString toCsv(const RunSnapshot &run, quint64 droppedByRunner = 0) const;

    //! Writes toCsv() to \a device; \c false, with \a error set, if it could not.
    bool writeCsv(QIODevice *device, const RunSnapshot &run, quint64 droppedByRunner,
                  QString *error) const;

    //! \c started, \c checking, ... as the CSV names them.
    static QString eventName(WorkerEvent::Type type);

private:
    std::vector<WorkerEvent> m_events;
    quint64 m_notKept = 0;
    std::optional<TimePoint> m_runStart;
};

} // namespace Demo
