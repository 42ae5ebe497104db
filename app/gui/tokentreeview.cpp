// SPDX-License-Identifier: MIT
#include "tokentreeview.h"

#include "tokentreemodel.h"

#include <QtGui/QContextMenuEvent>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QMenu>

namespace Demo {

TokenTreeView::TokenTreeView(TokenTreeModel *model, QWidget *parent)
    : QTreeView(parent), m_model(model)
{
    setModel(model);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setUniformRowHeights(true);
    header()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    setColumnWidth(TokenTreeModel::NameColumn, digit * 15);
    setColumnWidth(TokenTreeModel::StateColumn, digit * 11);
    setColumnWidth(TokenTreeModel::ReachedColumn, digit * 12);
    // New runs come in expanded: the point is to see the whole tree.
    connect(model, &QAbstractItemModel::modelReset, this, &QTreeView::expandAll);
    expandAll();
}

bool TokenTreeView::cancelCurrent()
{
    const QModelIndex index = currentIndex().siblingAtColumn(TokenTreeModel::NameColumn);
    if (!m_model->cancel(index))
        return false;
    Q_EMIT tokenCanceled(index);
    return true;
}

void TokenTreeView::contextMenuEvent(QContextMenuEvent *event)
{
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    QMenu menu(this);
    QAction *cancel = menu.addAction(tr("Cancel this token"));
    const TokenTreeModel::NodeKind kind = m_model->kind(index);
    cancel->setEnabled(m_model->isCancelable(index));
    if (kind == TokenTreeModel::NodeKind::Signal)
        cancel->setToolTip(tr("Not a token: press Ctrl+C in the terminal instead"));
    else if (kind == TokenTreeModel::NodeKind::Run)
        cancel->setToolTip(tr("Cancels the run's token and with it every worker's"));
    else
        cancel->setToolTip(tr("Cancels this worker's token alone"));
    menu.setToolTipsVisible(true);
    if (menu.exec(event->globalPos()) == cancel)
        cancelCurrent();
}

} // namespace Demo
