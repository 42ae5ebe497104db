// SPDX-License-Identifier: MIT
#include "logview.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtWidgets/QScrollBar>

namespace Demo {

LogView::LogView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setUndoRedoEnabled(false);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setLineLimit(2000);
    // Only a move of the scroll bar decides whether the view follows: the user's, or ours to
    // the bottom. A new range keeps a following view at the bottom.
    QScrollBar *bar = verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_following = value >= bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
}

bool LogView::isFollowing() const
{
    return m_following;
}

int LogView::lineLimit() const
{
    return maximumBlockCount();
}

void LogView::setLineLimit(int lines)
{
    setMaximumBlockCount(qMax(1, lines));
}

void LogView::appendLines(const QStringList &lines)
{
    if (lines.isEmpty())
        return;
    QScrollBar *bar = verticalScrollBar();
    const bool following = isFollowing();
    const int firstInView = bar->value(); // QPlainTextEdit scrolls by lines
    const int before = document()->blockCount();
    const bool empty = document()->isEmpty(); // an empty document still has one (empty) block

    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    QString text = lines.join(QLatin1Char('\n'));
    if (!empty)
        text.prepend(QLatin1Char('\n'));
    cursor.insertText(text);
    cursor.endEditBlock();

    if (following) {
        bar->setValue(bar->maximum());
    } else {
        // Keep the same lines in view: step back by the lines trimmed at the top.
        const int added = int(lines.size()) - (empty ? 1 : 0);
        const int trimmed = before + added - document()->blockCount();
        bar->setValue(qMax(0, firstInView - trimmed));
    }
}

} // namespace Demo
