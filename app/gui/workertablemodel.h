// SPDX-License-Identifier: MIT
#pragma once

#include "core/workerrunner.h"

#include <QtCore/QAbstractTableModel>

#include <vector>

namespace Demo {

// The workers of a WorkerRunner's current run, one row each: number, state, lines printed and
// stop latency. It holds snapshots: refresh() reads the runner's atomics and reports only the
// rows that changed, so a 30 Hz refresh of 256 workers costs one dataChanged() at most.
// GUI thread only; the runner must outlive the model.
class WorkerTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NumberColumn, StateColumn, LinesColumn, LatencyColumn, ColumnCount };

    explicit WorkerTableModel(const WorkerRunner *runner, QObject *parent = nullptr);

    // Takes the runner's worker count and first snapshot: call after WorkerRunner::start().
    void reset();
    // Takes a new snapshot and emits dataChanged() for the rows that changed.
    void refresh();
    // Marks the worker of \a row, or every worker, as canceled: until it stops, its state
    // reads "sleeping, cancel not seen yet", which is the point of the poll mode.
    void markCanceled(int row);
    void markAllCanceled();
    bool isMarkedCanceled(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The snapshot of row \a row, as shown.
    WorkerStats stats(int row) const;
    // The state as the table names it: "sleeping" in poll mode is "waiting on token" in wait mode.
    static QString stateText(WorkerState state, WaitMode mode);
    // The state of a worker that ignores its token (WorkerStats::ignoresToken): "ignored
    // cancellation" once it ended on its own after its token was canceled.
    static QString ignoringStateText(const WorkerStats &stats, bool canceled);

private:
    const WorkerRunner *m_runner;
    std::vector<WorkerStats> m_stats;
    std::vector<bool> m_canceled;
    WaitMode m_mode = WaitMode::Wait;
};

} // namespace Demo
