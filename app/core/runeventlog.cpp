// SPDX-License-Identifier: MIT
#include "runeventlog.h"

#include <QtCore/QIODevice>
#include <QtCore/QLocale>
#include <QtCore/QStringList>

#include <algorithm>

namespace Demo {

namespace {

struct Row
{
    RunEventLog::TimePoint time;
    int worker = 0; // 1-based; 0: the run's token
    QString event;
    QString lines;
    QString detail;
};

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.
QString field(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n')
        && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

} // namespace

void RunEventLog::reset(TimePoint runStart)
{
    m_events.clear();
    m_notKept = 0;
    m_runStart = runStart;
}

void RunEventLog::add(const std::vector<WorkerEvent> &events)
{
    const std::size_t room = MaxEvents - std::min(MaxEvents, m_events.size());
    const std::size_t kept = std::min(room, events.size());
    m_events.insert(m_events.end(), events.begin(), events.begin() + std::ptrdiff_t(kept));
    m_notKept += events.size() - kept;
}

QString RunEventLog::eventName(WorkerEvent::Type type)
{
    switch (type) {
    case WorkerEvent::Type::Started:
        return QStringLiteral("started");
    case WorkerEvent::Type::Checking:
        return QStringLiteral("checking");
    case WorkerEvent::Type::Sleeping:
        return QStringLiteral("sleeping");
    case WorkerEvent::Type::Printed:
        return QStringLiteral("printed");
    case WorkerEvent::Type::Stopped:
        return QStringLiteral("stopped");
    }
    return QString();
}

QString RunEventLog::toCsv(const RunSnapshot &run, quint64 droppedByRunner) const
{
    std::vector<Row> rows;
    rows.reserve(m_events.size() + run.workers.size() + 2);
    for (const WorkerEvent &event : m_events) {
        const bool counts = event.type == WorkerEvent::Type::Printed
                || event.type == WorkerEvent::Type::Stopped;
        rows.push_back({ event.time, event.worker + 1, eventName(event.type),
                         counts ? QString::number(event.line) : QString(), QString() });
    }
    if (run.deadline)
        rows.push_back({ *run.deadline, 0, QStringLiteral("deadline"), QString(),
                         run.timedOut() ? QStringLiteral("passed") : QStringLiteral("armed") });
    if (run.isCanceled())
        rows.push_back({ run.reason.canceledAt(), 0, QStringLiteral("canceled"), QString(),
                         run.reason.toString() });
    for (std::size_t i = 0; i < run.workers.size(); ++i) {
        const Cancellation::Reason &reason = run.workers[i].reason;
        if (reason.isCanceled())
            rows.push_back({ reason.canceledAt(), int(i) + 1, QStringLiteral("canceled"), QString(),
                             reason.toString() });
    }
    // Stable: a worker's events keep their order when two share a clock reading.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row &a, const Row &b) { return a.time < b.time; });

    const TimePoint zero = m_runStart.value_or(rows.empty() ? TimePoint() : rows.front().time);
    const QLocale c = QLocale::c();
    QStringList lines;
    lines.reserve(qsizetype(rows.size()) + 2);
    lines << QStringLiteral("time_ms,worker,event,lines,detail");
    for (const Row &row : rows) {
        const double ms = std::chrono::duration<double, std::milli>(row.time - zero).count();
        lines << c.toString(ms, 'f', 3) + u','
                        + (row.worker > 0 ? QString::number(row.worker) : QString()) + u','
                        + row.event + u',' + row.lines + u',' + field(row.detail);
    }
    if (const quint64 lost = m_notKept + droppedByRunner; lost > 0)
        lines << QStringLiteral(",,not kept,%1,events of the run missing above").arg(lost);
    return lines.join(u'\n') + u'\n';
}

bool RunEventLog::writeCsv(QIODevice *device, const RunSnapshot &run, quint64 droppedByRunner,
                           QString *error) const
{
    const QByteArray bytes = toCsv(run, droppedByRunner).toUtf8();
    if (device->write(bytes) != bytes.size()) {
        *error = device->errorString();
        return false;
    }
    return true;
}

} // namespace Demo
