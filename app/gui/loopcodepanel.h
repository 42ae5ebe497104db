// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"
#include "core/workerrunner.h"

#include <QtCore/QStringList>
#include <QtWidgets/QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace Demo {

class CountedCodeView;

/*!
    \class Demo::LoopCodePanel
    \brief Shows, read-only, the loop a worker runs for the run's wait mode and the code of its
    timeout style, highlights the line the followed worker is on: checking, sleeping (or
    waiting) or printing, and counts in its margin the workers on each line.

    The text and the highlighted line come from the pure functions codeLines() and lineFor(),
    which the tests check. GUI thread only.
*/
class LoopCodePanel : public QWidget
{
    Q_OBJECT

public:
    explicit LoopCodePanel(QWidget *parent = nullptr);

    //! Shows the code for \a mode (one worker's: Poll or Wait) and \a timeoutStyle (empty: no timeout), or the loop that
    //! ignores its token if \a ignoresToken. Cheap when unchanged.
    void setCode(WaitMode mode, std::optional<TimeoutStyle> timeoutStyle, bool ignoresToken);
    //! Highlights the line of \a state for worker \a worker (0-based; -1: no run, no highlight).
    void setWorkerState(int worker, WorkerState state);
    //! The states of every worker that runs the code shown (in a Mixed run, those of the loop
    //! shown); the margin shows how many of them are on each line.
    void setWorkersOnCode(const QList<WorkerState> &states);
    //! How many workers are on each line, as the margin shows them; one entry per line.
    QList<int> workersPerLine() const;

    WaitMode mode() const noexcept;
    bool showsIgnoringLoop() const noexcept;
    //! The highlighted line, 0-based; -1 if none.
    int currentLine() const noexcept;
    //! The text shown, one entry per line.
    QStringList lines() const;

    //! The code for \a mode and \a timeoutStyle, one entry per line; with \a ignoresToken, the
    //! loop of a worker that never looks at its token (RunConfig::ignoringWorkers). The worker's
    //! function comes first, so its line numbers do not depend on the timeout style.
    static QStringList codeLines(WaitMode mode, std::optional<TimeoutStyle> timeoutStyle,
                                 bool ignoresToken);
    //! The line of codeLines() that a worker in \a state is on: in Poll mode Checking is the
    //! isCanceled() test, Sleeping the sleep_for(); in Wait mode Checking and Sleeping are both
    //! the waitFor(). Starting is the function's first line, Stopping and Stopped its last. The
    //! ignoring loop has the poll loop's lines.
    static int lineFor(WaitMode mode, WorkerState state, bool ignoresToken);

private:
    void updateHighlight();

    QLabel *m_caption;
    CountedCodeView *m_code;
    QList<WorkerState> m_onCode;
    WaitMode m_mode = WaitMode::Wait;
    std::optional<TimeoutStyle> m_timeoutStyle;
    bool m_ignoresToken = false;
    bool m_hasCode = false;
    int m_worker = -1;
    WorkerState m_state = WorkerState::Stopped;
    int m_line = -1;
};

} // namespace Demo
