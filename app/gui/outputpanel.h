// SPDX-License-Identifier: MIT
#pragma once

#include "core/workerrunner.h"

#include <QtWidgets/QWidget>

#include <chrono>
#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace Demo {

class LogView;

/*!
    \class Demo::OutputPanel
    \brief The "Output" page: the workers' lines as text, with the window's notes ("token
    canceled: ...") in time order among them, and a line that says what the log keeps.
    GUI thread only.
*/
class OutputPanel : public QWidget
{
    Q_OBJECT

public:
    // Log lines added per call to addEvents() at most: the newest ones. The counters elsewhere
    // count every line.
    static constexpr int MaxLinesPerBatch = 100;
    static constexpr int LineLimit = 5000;

    explicit OutputPanel(QWidget *parent = nullptr);

    // Adds the Printed events among \a events, and the notes due before them.
    void addEvents(const std::vector<WorkerEvent> &events);
    // Adds "-- note --" at \a time, in time order with the lines; shown at the next addEvents().
    void addNote(const QString &note, std::chrono::steady_clock::time_point time);

private:
    void updateTitle();

    QLabel *m_title;
    LogView *m_log;
    std::vector<std::pair<std::chrono::steady_clock::time_point, QString>> m_pendingNotes;
};

} // namespace Demo
