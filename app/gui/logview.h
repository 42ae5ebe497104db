// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QPlainTextEdit>

namespace Demo {

// A read-only, bounded log: appending drops the oldest lines beyond lineLimit().
// It follows new lines while the view is scrolled to the bottom, and keeps the
// lines in view still while the user has scrolled up. GUI thread only.
class LogView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit LogView(QWidget *parent = nullptr);

    int lineLimit() const;
    void setLineLimit(int lines);

    // Appends the lines as one batch: one layout pass per call, however many lines.
    void appendLines(const QStringList &lines);

    // True while new lines scroll into view: until the user scrolls up, and again once they
    // scroll back to the bottom. A range that changes while the view is hidden or being laid
    // out does not change it.
    bool isFollowing() const;

private:
    bool m_following = true;
};

} // namespace Demo
