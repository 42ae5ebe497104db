// SPDX-License-Identifier: MIT
#include "tokentreemodel.h"

#include "core/durationparser.h"

#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtGui/QColor>

namespace Demo {

TokenTreeModel::TokenTreeModel(QObject *parent) : QAbstractItemModel(parent)
{
    m_signalState = signalState();
}

void TokenTreeModel::setSources(Cancellation::Source *root,
                                const QList<Cancellation::Source *> &workers)
{
    beginResetModel();
    m_nodes.clear();
    if (root) {
        m_nodes.reserve(std::size_t(workers.size()) + 1);
        m_nodes.push_back({ root, root->debugName(), root->reason() });
        for (Cancellation::Source *worker : workers) {
            if (worker)
                m_nodes.push_back({ worker, worker->debugName(), worker->reason() });
            else
                m_nodes.push_back({ nullptr, tr("(no token)"), Cancellation::Reason() });
        }
    }
    m_signalState = signalState();
    endResetModel();
}

void TokenTreeModel::setSignalCanceler(const Cancellation::SignalCanceler *canceler)
{
    m_canceler = canceler;
    refresh();
}

TokenTreeModel::SignalState TokenTreeModel::signalState() const
{
    if (!m_canceler || !m_canceler->isActive())
        return SignalState::NotInstalled;
    if (hasRun()
        && m_nodes.front().reason.root().kind() == Cancellation::Reason::Kind::SystemSignal)
        return SignalState::Fired;
    // Armed: the next Ctrl+C cancels the run's token, which is still live.
    if (hasRun() && m_nodes.front().source && m_canceler->target() == m_nodes.front().source
        && !m_nodes.front().reason.isCanceled())
        return SignalState::Armed;
    return SignalState::Idle;
}

QString TokenTreeModel::signalStateText(SignalState state)
{
    switch (state) {
    case SignalState::NotInstalled:
        return tr("not installed");
    case SignalState::Idle:
        return tr("idle");
    case SignalState::Armed:
        return tr("armed");
    case SignalState::Fired:
        return tr("fired");
    }
    return {};
}

void TokenTreeModel::refresh()
{
    // The run first: the SIGINT node's state follows the run's reason.
    bool runChanged = false;
    if (hasRun()) {
        Node &run = m_nodes.front();
        const Cancellation::Reason runReason = run.source ? run.source->reason() : run.reason;
        runChanged = runReason != run.reason;
        run.reason = runReason;
    }
    if (const SignalState state = signalState(); state != m_signalState) {
        m_signalState = state;
        Q_EMIT dataChanged(indexOf(SignalId, 0), indexOf(SignalId, ColumnCount - 1));
    }
    if (!hasRun())
        return;
    if (runChanged)
        Q_EMIT dataChanged(indexOf(RunId, 0), indexOf(RunId, ColumnCount - 1));
    // One dataChanged() per stretch of changed workers: a cancel of the run is one signal.
    int first = -1;
    const auto flush = [&](int end) {
        if (first >= 0)
            Q_EMIT dataChanged(index(first, 0, runIndex()),
                               index(end - 1, ColumnCount - 1, runIndex()));
        first = -1;
    };
    const int workers = int(m_nodes.size()) - 1;
    for (int i = 0; i < workers; ++i) {
        Node &worker = m_nodes[std::size_t(i) + 1];
        const Cancellation::Reason reason = worker.source ? worker.source->reason() : worker.reason;
        if (reason == worker.reason) {
            flush(i);
            continue;
        }
        worker.reason = reason;
        if (first < 0)
            first = i;
    }
    flush(workers);
}

QModelIndex TokenTreeModel::signalIndex() const
{
    return indexOf(SignalId, 0);
}

QModelIndex TokenTreeModel::runIndex() const
{
    return hasRun() ? indexOf(RunId, 0) : QModelIndex();
}

QModelIndex TokenTreeModel::workerIndex(int worker) const
{
    if (worker < 0 || worker >= int(m_nodes.size()) - 1)
        return {};
    return indexOf(FirstWorkerId + quintptr(worker), 0);
}

TokenTreeModel::NodeKind TokenTreeModel::kind(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return NodeKind::None;
    switch (index.internalId()) {
    case SignalId:
        return NodeKind::Signal;
    case RunId:
        return NodeKind::Run;
    default:
        return NodeKind::Worker;
    }
}

int TokenTreeModel::workerOf(const QModelIndex &index) const
{
    return kind(index) == NodeKind::Worker ? int(index.internalId() - FirstWorkerId) : -1;
}

Cancellation::Source *TokenTreeModel::source(const QModelIndex &index) const
{
    if (kind(index) == NodeKind::None || kind(index) == NodeKind::Signal)
        return nullptr;
    const Node *n = node(index.internalId());
    return n ? n->source.data() : nullptr;
}

bool TokenTreeModel::isCancelable(const QModelIndex &index) const
{
    const Cancellation::Source *s = source(index);
    return s && !s->reason().isCanceled();
}

bool TokenTreeModel::cancel(const QModelIndex &index)
{
    Cancellation::Source *s = source(index);
    if (!s || !s->cancelWithMessage(cancelMessage()))
        return false;
    refresh();
    return true;
}

std::optional<std::chrono::nanoseconds>
TokenTreeModel::propagationDelay(const Cancellation::Reason &reason)
{
    if (reason.kind() != Cancellation::Reason::Kind::ParentCanceled)
        return std::nullopt;
    const Cancellation::Reason parent = reason.parent();
    if (!parent.isCanceled())
        return std::nullopt;
    return std::max(reason.canceledAt() - parent.canceledAt(), std::chrono::nanoseconds::zero());
}

QString TokenTreeModel::cancelMessage()
{
    return tr("from the token tree");
}

QModelIndex TokenTreeModel::indexOf(quintptr id, int column) const
{
    int row = 0;
    if (id >= FirstWorkerId)
        row = int(id - FirstWorkerId);
    return createIndex(row, column, id);
}

const TokenTreeModel::Node *TokenTreeModel::node(quintptr id) const
{
    if (id == SignalId)
        return nullptr;
    const std::size_t at = id - RunId;
    return at < m_nodes.size() ? &m_nodes[at] : nullptr;
}

QModelIndex TokenTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row == 0 ? indexOf(SignalId, column) : QModelIndex();
    switch (kind(parent)) {
    case NodeKind::Signal:
        return row == 0 && hasRun() ? indexOf(RunId, column) : QModelIndex();
    case NodeKind::Run:
        return row < int(m_nodes.size()) - 1 ? indexOf(FirstWorkerId + quintptr(row), column)
                                             : QModelIndex();
    default:
        return {};
    }
}

QModelIndex TokenTreeModel::parent(const QModelIndex &child) const
{
    switch (kind(child)) {
    case NodeKind::Run:
        return indexOf(SignalId, 0);
    case NodeKind::Worker:
        return indexOf(RunId, 0);
    default:
        return {};
    }
}

int TokenTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return 1;
    if (parent.column() != 0)
        return 0;
    switch (kind(parent)) {
    case NodeKind::Signal:
        return hasRun() ? 1 : 0;
    case NodeKind::Run:
        return int(m_nodes.size()) - 1;
    default:
        return 0;
    }
}

int TokenTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TokenTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (kind(index) == NodeKind::Signal) {
        const bool fired = m_signalState == SignalState::Fired;
        const bool armed = m_signalState == SignalState::Armed;
        switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
            case NameColumn:
                return tr("SIGINT (Ctrl+C)");
            case StateColumn:
                return signalStateText(m_signalState);
            case ReasonColumn:
                return fired ? tr("canceled the run's token") : tr("cancels the run's token");
            }
            break;
        case Qt::DecorationRole:
            if (index.column() == StateColumn)
                return fired    ? QColor(0xc6, 0x28, 0x28)
                        : armed ? QColor(0x1e, 0x88, 0xe5)
                                : QColor(0x9e, 0x9e, 0x9e);
            break;
        case Qt::ToolTipRole:
            return tr("Not a token: the SIGINT/SIGTERM handler. Ctrl+C in the terminal cancels "
                      "the run's token, and through it every worker's.");
        default:
            break;
        }
        return {};
    }

    const Node *n = node(index.internalId());
    if (!n)
        return {};
    const bool canceled = n->reason.isCanceled();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return n->name.isEmpty() ? tr("token") : n->name;
        case StateColumn:
            return canceled ? tr("canceled") : tr("live");
        case ReachedColumn:
            if (const auto delay = propagationDelay(n->reason))
                return tr("+%1").arg(DurationParser::format(*delay));
            return QString();
        case ReasonColumn:
            if (!canceled)
                return QString();
            // The parent's row, just above, says why; the tooltip has the whole chain.
            return n->reason.kind() == Cancellation::Reason::Kind::ParentCanceled
                    ? tr("parent canceled")
                    : n->reason.toString();
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return canceled ? QColor(0xc6, 0x28, 0x28) : QColor(0x2e, 0x7d, 0x32);
        break;
    case Qt::ToolTipRole:
        if (index.column() == ReasonColumn && canceled)
            return n->reason.toString();
        if (index.column() == ReachedColumn && propagationDelay(n->reason))
            return tr("The run's cancel reached this token %1 after the run's token was "
                      "canceled: the library marks each child canceled in turn, then runs "
                      "their callbacks.")
                    .arg(DurationParser::format(*propagationDelay(n->reason)));
        if (kind(index) == NodeKind::Run)
            return tr("The run's root token. Canceling it cancels every worker's token, its "
                      "children. Right-click to cancel it.");
        return tr("%1's own token, a child of the run's. Canceling it stops this worker alone. "
                  "Right-click to cancel it.")
                .arg(n->name);
    default:
        break;
    }
    return {};
}

QVariant TokenTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Token");
    case StateColumn:
        return tr("State");
    case ReachedColumn:
        return tr("Reached after");
    case ReasonColumn:
        return tr("Reason");
    }
    return {};
}

} // namespace Demo
