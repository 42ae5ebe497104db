// SPDX-License-Identifier: MIT
#include "outputpanel.h"

#include "logview.h"
#include "runtext.h"
#include "widgetnames.h"

#include <QtCore/QLocale>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

namespace Demo {

OutputPanel::OutputPanel(QWidget *parent) : QWidget(parent), m_title(new QLabel), m_log(new LogView)
{
    m_log->setLineLimit(LineLimit);
    setNames(m_log, tr("Log"),
             tr("The workers' lines, newest last. It keeps the last %1 lines; the counters "
                "count them all. Scroll up to stop following.")
                     .arg(LineLimit));
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setWordWrap(true);
    setNames(m_title, tr("Log status"), tr("How many of the lines the log shows"));
    auto *column = new QVBoxLayout(this);
    column->addWidget(m_title);
    column->addWidget(m_log);
    connect(m_log->verticalScrollBar(), &QScrollBar::valueChanged, this, &OutputPanel::updateTitle);
    updateTitle();
}

void OutputPanel::addEvents(const std::vector<WorkerEvent> &events)
{
    // Only the newest lines reach the log: at 64,000 lines a second, no text view keeps up,
    // and nobody reads that fast.
    std::vector<const WorkerEvent *> printed;
    printed.reserve(MaxLinesPerBatch);
    for (auto it = events.rbegin(); it != events.rend() && int(printed.size()) < MaxLinesPerBatch;
         ++it) {
        if (it->type == WorkerEvent::Type::Printed)
            printed.push_back(&*it);
    }
    if (printed.empty() && m_pendingNotes.empty())
        return;

    QStringList lines;
    lines.reserve(qsizetype(printed.size() + m_pendingNotes.size()));
    auto note = m_pendingNotes.cbegin();
    const auto addNotesUntil = [&](std::chrono::steady_clock::time_point time) {
        for (; note != m_pendingNotes.cend() && note->first <= time; ++note)
            lines.append(QStringLiteral("%1  -- %2 --")
                                 .arg(RunText::wallClock(note->first), note->second));
    };
    for (auto it = printed.rbegin(); it != printed.rend(); ++it) {
        addNotesUntil((*it)->time);
        lines.append(QStringLiteral("%1  [worker %2] Hello World!")
                             .arg(RunText::wallClock((*it)->time))
                             .arg((*it)->worker + 1));
    }
    addNotesUntil(std::chrono::steady_clock::time_point::max());
    m_pendingNotes.clear();
    m_log->appendLines(lines);
    updateTitle();
}

void OutputPanel::addNote(const QString &note, std::chrono::steady_clock::time_point time)
{
    m_pendingNotes.emplace_back(time, note);
    std::stable_sort(m_pendingNotes.begin(), m_pendingNotes.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
}

void OutputPanel::updateTitle()
{
    m_title->setText(m_log->isFollowing()
                             ? tr("Newest last. The log keeps the last %1 lines; the counters "
                                  "count every line.")
                                       .arg(QLocale().toString(LineLimit))
                             : tr("Scrolled up: the view holds still. Scroll to the bottom to "
                                  "follow new lines."));
}

} // namespace Demo
