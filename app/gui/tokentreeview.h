// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QTreeView>

namespace Demo {

class TokenTreeModel;

// Shows a TokenTreeModel; its context menu ("Cancel this token") cancels the node's Source and
// with it the node's subtree. GUI thread only.
class TokenTreeView : public QTreeView
{
    Q_OBJECT

public:
    explicit TokenTreeView(TokenTreeModel *model, QWidget *parent = nullptr);

    // Cancels the current node's token, as the context menu does; false if it could not.
    bool cancelCurrent();

Q_SIGNALS:
    // The user canceled the token of \a index from this view.
    void tokenCanceled(const QModelIndex &index);

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    TokenTreeModel *m_model;
};

} // namespace Demo
