// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <QtCore/QString>
#include <QtWidgets/QWidget>

#include <chrono>
#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QToolButton;
QT_END_NAMESPACE

namespace Demo {

//! The run as the "What is happening?" panel sees it.
struct RunSnapshot
{
    bool hasRun = false; //!< a run was started (it may be over)
    bool running = false; //!< its workers have not all been joined
    int workers = 0;
    int alive = 0; //!< workers that have not left their loop
    //! Alive workers whose token is canceled but who are still asleep (Poll) or waiting.
    int unaware = 0;
    int canceledAlone = 0; //!< workers whose own token was canceled
    //! Alive workers that ignore their token (RunConfig::ignoringWorkers).
    int ignoring = 0;
    //! Workers that ignored their token's cancel and ran to their end.
    int ignoredCancellation = 0;
    WaitMode mode = WaitMode::Wait;
    std::chrono::nanoseconds interval = std::chrono::seconds(1);
    bool timedOut = false; //!< the run's token was canceled by its timeout
    //! Since the run's token was canceled; empty if it was not.
    std::optional<std::chrono::nanoseconds> sinceCancel;
    //! The slowest stop after the run's cancel, once every worker has stopped.
    std::optional<std::chrono::nanoseconds> slowestStop;
};

/*!
    \class Demo::ExplanationPanel
    \brief A collapsible "What is happening?" section: a sentence or two on the run's state,
    built by explain(). GUI thread only.
*/
class ExplanationPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ExplanationPanel(QWidget *parent = nullptr);

    void setSnapshot(const RunSnapshot &snapshot);
    QString text() const;
    bool isExpanded() const;
    void setExpanded(bool expanded);

    //! The explanation of \a snapshot, as plain text.
    static QString explain(const RunSnapshot &snapshot);

private:
    QToolButton *m_toggle;
    QLabel *m_text;
};

} // namespace Demo
