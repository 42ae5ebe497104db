// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/reason.h>

#include <QtCore/QAbstractItemModel>
#include <QtCore/QList>
#include <QtCore/QPointer>

#include <chrono>
#include <optional>
#include <vector>

namespace Cancellation {
class SignalCanceler;
class Source;
} // namespace Cancellation

namespace Demo {

// The run's tokens as a tree, with live state and reason:
//
//   SIGINT (Ctrl+C)      armed / fired      the origin: it cancels the run's token
//   └ run                live / canceled    the root Source
//     ├ worker 1         live / canceled    its child Sources, one per worker
//     └ ...
//
// The SIGINT node is not a token: it stands for the SignalCanceler that cancels the run's token.
// The model keeps a snapshot of each node; refresh() reads the Sources again and emits
// dataChanged() only for the rows that changed. It reads with Source::reason(), which never
// notices a poll-only deadline itself, so showing the tree does not do the workers' checking.
// The model does not own the Sources; it forgets any that is destroyed. GUI thread only.
class TokenTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, StateColumn, ReachedColumn, ReasonColumn, ColumnCount };
    enum class NodeKind { None, Signal, Run, Worker };

    explicit TokenTreeModel(QObject *parent = nullptr);

    // Shows \a root and its \a workers (its children, in worker order); nullptr root: no run yet.
    void setSources(Cancellation::Source *root, const QList<Cancellation::Source *> &workers);
    // The SignalCanceler the SIGINT node stands for; nullptr: the node reads "not installed".
    void setSignalCanceler(const Cancellation::SignalCanceler *canceler);
    // Reads the Sources again and emits dataChanged() for the rows that changed.
    void refresh();

    // The index of the SIGINT node, the run's node, and worker \a worker's node (0-based).
    QModelIndex signalIndex() const;
    QModelIndex runIndex() const;
    QModelIndex workerIndex(int worker) const;
    NodeKind kind(const QModelIndex &index) const;
    // The worker of a Worker node (0-based), otherwise -1.
    int workerOf(const QModelIndex &index) const;
    // The Source of a Run or Worker node, otherwise nullptr.
    Cancellation::Source *source(const QModelIndex &index) const;
    // Whether cancel(index) can do anything now: a token node that is not canceled yet.
    bool isCancelable(const QModelIndex &index) const;
    // Cancels the node's Source, and through the library's parent/child link its subtree.
    // Returns false for the SIGINT node, a destroyed or an already canceled Source.
    bool cancel(const QModelIndex &index);
    // The message cancel() gives the Source, so the reason says where the cancel came from.
    static QString cancelMessage();
    // For a token canceled through its parent: how long after the parent's cancel it was
    // reached (its reason's canceledAt() minus its parent's); empty for any other reason.
    static std::optional<std::chrono::nanoseconds>
    propagationDelay(const Cancellation::Reason &reason);

    QModelIndex index(int row, int column,
                      const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QPointer<Cancellation::Source> source;
        QString name;
        Cancellation::Reason reason;
    };
    // Node ids, kept in QModelIndex::internalId(): SignalId, RunId, then FirstWorkerId + worker.
    static constexpr quintptr SignalId = 0;
    static constexpr quintptr RunId = 1;
    static constexpr quintptr FirstWorkerId = 2;

    QModelIndex indexOf(quintptr id, int column) const;
    const Node *node(quintptr id) const;
    // The SIGINT node's state: decided here, named only for display.
    enum class SignalState { NotInstalled, Idle, Armed, Fired };
    SignalState signalState() const;
    static QString signalStateText(SignalState state);
    bool hasRun() const { return !m_nodes.empty(); }

    // m_nodes[0] is the run, then the workers; empty with no run.
    std::vector<Node> m_nodes;
    QPointer<const Cancellation::SignalCanceler> m_canceler;
    SignalState m_signalState = SignalState::NotInstalled;
};

} // namespace Demo
