// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QLabel>

namespace Demo {

// Makes \a label fit for text that changes as a run goes on: it wraps, and keeps room for
// \a lines lines of its font at the top, so that the widgets around it stay where they are
// when the text wraps to fewer lines. Call it after setting the label's font.
inline void reserveLines(QLabel *label, int lines)
{
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setMinimumHeight(label->fontMetrics().lineSpacing() * lines);
}

} // namespace Demo
