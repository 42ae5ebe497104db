// SPDX-License-Identifier: MIT
#pragma once

#include "core/runsnapshot.h"

#include <QtWidgets/QGroupBox>

#include <chrono>
#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QProgressBar;
QT_END_NAMESPACE

namespace Demo {

class StateBadge;

/*!
    \class Demo::RunStatusPanel
    \brief The "Run token" box: the run's token (state, reason, timeout countdown), a summary
    of the workers, what is happening now, and how the tokens hang together. It renders a
    RunSnapshot and changes nothing else. GUI thread only.
*/
class RunStatusPanel : public QGroupBox
{
    Q_OBJECT

public:
    // What the panel shows that is not a fact of the run.
    struct Context
    {
        double linesPerSecond = 0;
        bool closing = false; //!< the window waits for the workers before it closes
        //! The timeout armed last on the run, which the countdown counts from.
        std::optional<std::chrono::nanoseconds> armedTimeout;
        //! The controls' timeout, shown between runs; empty if switched off.
        std::optional<std::chrono::nanoseconds> nextTimeout;
    };

    explicit RunStatusPanel(QWidget *parent = nullptr);

    void showRun(const RunSnapshot &run, const Context &context);

    // How the run ended: "3 of 4 workers stopped within 3.2 ms of the cancel. Worker 1 ignored
    // its token and ran 7.49 s more."
    static QString stoppedText(const RunSnapshot &run);

private:
    void showToken(const RunSnapshot &run);
    void showCountdown(const RunSnapshot &run, const Context &context);
    void showWorkers(const RunSnapshot &run, const Context &context);

    StateBadge *m_state;
    QLabel *m_reason;
    QProgressBar *m_countdown;
    QLabel *m_countdownText;
    QLabel *m_summary;
    QLabel *m_note;
    QLabel *m_tree;
};

} // namespace Demo
