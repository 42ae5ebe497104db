// SPDX-License-Identifier: MIT
#pragma once

#include "core/runsnapshot.h"

#include <QtCore/QAbstractTableModel>

#include <vector>

namespace Demo {

// The workers of a run, one row each: number, state, lines printed and stop latency, as the
// latest RunSnapshot has them. setSnapshot() reports only the rows that changed, so a 30 Hz
// refresh of 256 workers costs one dataChanged() at most. GUI thread only.
class WorkerTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NumberColumn, StateColumn, LinesColumn, LatencyColumn, ColumnCount };

    explicit WorkerTableModel(QObject *parent = nullptr);

    // Shows \a snapshot's workers; those of a new run reset the model.
    void setSnapshot(const RunSnapshot &snapshot);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The worker of row \a row, as shown.
    WorkerSnapshot worker(int row) const;
    // The state as the table names it: "sleeping" in poll mode is "waiting on token" in wait mode.
    static QString stateText(WorkerState state, WaitMode mode);
    // The state of a worker that ignores its token: "ignored cancellation" once it ended on its
    // own after its token was canceled.
    static QString ignoringStateText(const WorkerSnapshot &worker);

private:
    std::vector<WorkerSnapshot> m_workers;
    RunConfig m_config; // the run's: tells each worker's loop
    quint64 m_runNumber = 0;
};

} // namespace Demo
