// SPDX-License-Identifier: MIT
#include "workertablemodel.h"

#include "core/durationparser.h"

#include <QtCore/QHash>
#include <QtGui/QColor>
#include <QtGui/QIcon>
#include <QtGui/QPainter>
#include <QtGui/QPixmap>

namespace Demo {

namespace {

bool operator!=(const WorkerStats &a, const WorkerStats &b)
{
    return a.state != b.state || a.lines != b.lines || a.stopLatencyNs != b.stopLatencyNs
            || a.ignoredCancellation != b.ignoredCancellation;
}

// Saturated enough to read on light and dark palettes alike.
QColor stateColor(WorkerState state)
{
    switch (state) {
    case WorkerState::Starting:
    case WorkerState::Checking:
        return QColor(0x2e, 0x7d, 0x32); // green: running
    case WorkerState::Printing:
        return QColor(0x43, 0xa0, 0x47);
    case WorkerState::Sleeping:
        return QColor(0x1e, 0x88, 0xe5); // blue
    case WorkerState::Stopping:
        return QColor(0xef, 0x6c, 0x00); // orange
    case WorkerState::Stopped:
        return QColor(0x9e, 0x9e, 0x9e); // grey
    }
    return {};
}

// One icon per state, made once: a QColor decoration would make the delegate build a new
// pixmap, and a new pixmap-cache entry, for every cell it paints.
QIcon stateIcon(WorkerState state)
{
    static QHash<int, QIcon> icons;
    QIcon &icon = icons[int(state)];
    if (icon.isNull()) {
        for (const int size : { 16, 32, 48 }) {
            QPixmap pixmap(size, size);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(Qt::NoPen);
            painter.setBrush(stateColor(state));
            const qreal margin = size / 8.0;
            painter.drawRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin),
                                    size / 5.0, size / 5.0);
            painter.end();
            icon.addPixmap(pixmap);
        }
    }
    return icon;
}

} // namespace

WorkerTableModel::WorkerTableModel(const WorkerRunner *runner, QObject *parent)
    : QAbstractTableModel(parent), m_runner(runner)
{
}

void WorkerTableModel::reset()
{
    beginResetModel();
    const int count = m_runner->workerCount();
    m_mode = m_runner->config().mode;
    m_stats.clear();
    m_stats.reserve(std::size_t(count));
    m_canceled.assign(std::size_t(count), false);
    for (int i = 0; i < count; ++i)
        m_stats.push_back(m_runner->workerStats(i));
    endResetModel();
}

void WorkerTableModel::refresh()
{
    int first = -1;
    int last = -1;
    for (int i = 0; i < int(m_stats.size()); ++i) {
        const WorkerStats now = m_runner->workerStats(i);
        if (now != m_stats[std::size_t(i)]) {
            m_stats[std::size_t(i)] = now;
            if (first < 0)
                first = i;
            last = i;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, StateColumn), index(last, LatencyColumn));
}

void WorkerTableModel::markCanceled(int row)
{
    if (row < 0 || row >= int(m_canceled.size()) || m_canceled[std::size_t(row)])
        return;
    m_canceled[std::size_t(row)] = true;
    Q_EMIT dataChanged(index(row, StateColumn), index(row, StateColumn));
}

void WorkerTableModel::markAllCanceled()
{
    int first = -1;
    int last = -1;
    for (int row = 0; row < int(m_canceled.size()); ++row) {
        if (!m_canceled[std::size_t(row)]) {
            m_canceled[std::size_t(row)] = true;
            if (first < 0)
                first = row;
            last = row;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, StateColumn), index(last, StateColumn));
}

bool WorkerTableModel::isMarkedCanceled(int row) const
{
    return row >= 0 && row < int(m_canceled.size()) && m_canceled[std::size_t(row)];
}

int WorkerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_stats.size());
}

int WorkerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

WorkerStats WorkerTableModel::stats(int row) const
{
    return row >= 0 && row < int(m_stats.size()) ? m_stats[std::size_t(row)] : WorkerStats();
}

QString WorkerTableModel::stateText(WorkerState state, WaitMode mode)
{
    switch (state) {
    case WorkerState::Starting:
        return tr("starting");
    case WorkerState::Checking:
        return tr("running");
    case WorkerState::Sleeping:
        return mode == WaitMode::Poll ? tr("sleeping") : tr("waiting on token");
    case WorkerState::Printing:
        return tr("printing");
    case WorkerState::Stopping:
        return tr("stopping");
    case WorkerState::Stopped:
        return tr("stopped");
    }
    return {};
}

QString WorkerTableModel::ignoringStateText(const WorkerStats &stats, bool canceled)
{
    if (stats.ignoredCancellation)
        return tr("ignored cancellation");
    // It sleeps without the token, whatever the run's mode.
    const QString state = stateText(stats.state, WaitMode::Poll);
    if (stats.state == WorkerState::Stopping || stats.state == WorkerState::Stopped)
        return tr("%1, ended on its own").arg(state);
    return canceled ? tr("%1, ignoring cancellation").arg(state)
                    : tr("%1, ignores its token").arg(state);
}

QVariant WorkerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkerStats &stats = m_stats[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return index.row() + 1;
        case StateColumn:
            if (stats.ignoresToken)
                return ignoringStateText(stats, m_canceled[std::size_t(index.row())]);
            if (m_canceled[std::size_t(index.row())] && stats.state != WorkerState::Stopping
                && stats.state != WorkerState::Stopped)
                return tr("%1, cancel not seen yet").arg(stateText(stats.state, m_mode));
            return stateText(stats.state, m_mode);
        case LinesColumn:
            return stats.lines;
        case LatencyColumn:
            return stats.stopLatencyNs < 0
                    ? QString()
                    : DurationParser::format(std::chrono::nanoseconds(stats.stopLatencyNs));
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return stateIcon(stats.state);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == StateColumn)
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && stats.ignoresToken)
            return tr("Worker %1 never looks at its token: it prints its lines and ends on its "
                      "own. A cancel cannot stop it early.")
                    .arg(index.row() + 1);
        if (index.column() == StateColumn && m_canceled[std::size_t(index.row())]
            && stats.state != WorkerState::Stopped)
            return tr("Worker %1's token is canceled; the worker stops when it next checks it")
                    .arg(index.row() + 1);
        if (index.column() == LatencyColumn && stats.stopLatencyNs >= 0)
            return tr("Worker %1 stopped %2 after its token was canceled")
                    .arg(index.row() + 1)
                    .arg(DurationParser::format(std::chrono::nanoseconds(stats.stopLatencyNs)));
        break;
    default:
        break;
    }
    return {};
}

QVariant WorkerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NumberColumn:
            return tr("Worker");
        case StateColumn:
            return tr("State");
        case LinesColumn:
            return tr("Lines");
        case LatencyColumn:
            return tr("Stop latency");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case NumberColumn:
            return tr("The worker's number, as in its \"[worker N]\" lines");
        case StateColumn:
            return tr("What the worker is doing now");
        case LinesColumn:
            return tr("\"Hello World!\" lines this worker has printed");
        case LatencyColumn:
            return tr("How long after the cancel the worker stopped");
        }
    }
    return {};
}

} // namespace Demo
