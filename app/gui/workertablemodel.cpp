// SPDX-License-Identifier: MIT
#include "workertablemodel.h"

#include "runtext.h"

#include "core/durationparser.h"

#include <QtCore/QHash>
#include <QtGui/QColor>
#include <QtGui/QIcon>
#include <QtGui/QPainter>
#include <QtGui/QPixmap>

namespace Demo {

namespace {

// What the table shows of a worker changed.
bool shownDiffers(const WorkerSnapshot &a, const WorkerSnapshot &b)
{
    return a.state != b.state || a.lines != b.lines || a.isCanceled() != b.isCanceled()
            || a.stopLatency != b.stopLatency || a.stopLatencyPaused != b.stopLatencyPaused;
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

WorkerTableModel::WorkerTableModel(QObject *parent) : QAbstractTableModel(parent) { }

void WorkerTableModel::setSnapshot(const RunSnapshot &snapshot)
{
    if (snapshot.runNumber != m_runNumber) {
        beginResetModel();
        m_workers = snapshot.workers;
        m_config = snapshot.config;
        m_runNumber = snapshot.runNumber;
        endResetModel();
        return;
    }
    int first = -1;
    int last = -1;
    for (int i = 0; i < int(m_workers.size()); ++i) {
        const WorkerSnapshot &now = snapshot.workers[std::size_t(i)];
        if (shownDiffers(now, m_workers[std::size_t(i)])) {
            if (first < 0)
                first = i;
            last = i;
        }
        m_workers[std::size_t(i)] = now;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, StateColumn), index(last, LatencyColumn));
}

int WorkerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workers.size());
}

int WorkerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

WorkerSnapshot WorkerTableModel::worker(int row) const
{
    return row >= 0 && row < int(m_workers.size()) ? m_workers[std::size_t(row)] : WorkerSnapshot();
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

QString WorkerTableModel::ignoringStateText(const WorkerSnapshot &worker)
{
    // It sleeps without the token, whatever the run's mode.
    const QString state = stateText(worker.state, WaitMode::Poll);
    // Short enough for the column beside the tour; the tooltip says more.
    if (!worker.isAlive())
        return worker.ignoredCancellation() ? tr("ignored cancellation") : tr("ended on its own");
    return worker.isCanceled() ? tr("ignoring cancellation") : tr("%1, token unused").arg(state);
}

QVariant WorkerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkerSnapshot &worker = m_workers[std::size_t(index.row())];
    const QString latency =
            worker.stopLatency ? DurationParser::format(*worker.stopLatency) : QString();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return index.row() + 1;
        case StateColumn:
            if (worker.ignoresToken)
                return ignoringStateText(worker);
            if (worker.isYetToNotice())
                return tr("%1, canceled")
                        .arg(stateText(worker.state, m_config.modeOf(index.row())));
            return stateText(worker.state, m_config.modeOf(index.row()));
        case LinesColumn:
            return worker.lines;
        case LatencyColumn:
            return latency;
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return stateIcon(worker.state);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == StateColumn)
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && worker.ignoresToken)
            return tr("Worker %1 never looks at its token: it prints its lines and ends on its "
                      "own. A cancel cannot stop it early.")
                    .arg(index.row() + 1);
        if (index.column() == StateColumn && worker.isYetToNotice())
            return tr("Worker %1's token is canceled; the worker stops when it next checks it")
                    .arg(index.row() + 1);
        if (index.column() == LatencyColumn && worker.stopLatency)
            return tr("Worker %1 %2").arg(index.row() + 1).arg(RunText::stop(worker));
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
            return tr("How long after its cancel was due the worker stopped: after the cancel, "
                      "or after the deadline for a timeout, however late it was noticed");
        }
    }
    return {};
}

} // namespace Demo
