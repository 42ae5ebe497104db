// SPDX-License-Identifier: MIT
#pragma once

#include "tourcontent.h"

#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QBoxLayout;
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace Demo {

/*!
    \class Demo::TourPanel
    \brief "Learn the pattern": the tour's steps one at a time, each with its text, the
    article's Python beside our C++, and "Try it", which asks the window to set up and start
    the step's run. It only shows steps and forwards requests; the window runs them.
    GUI thread only.
*/
class TourPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TourPanel(QWidget *parent = nullptr);

    int stepCount() const;
    const TourStep &step(int index) const;
    int currentStep() const;
    void setCurrentStep(int step);
    //! Whether "Send SIGINT" may be pressed now: the window enables it during a run the signal
    //! would cancel.
    void setSigintEnabled(bool enabled);
    //! The article's code beside ours (a wide, low panel below the run) or above it (a narrow
    //! one beside the run).
    void setCodeSideBySide(bool sideBySide);

Q_SIGNALS:
    //! "Try it" on step \a step (0-based).
    void tryRequested(int step);
    //! "Send SIGINT".
    void sigintRequested();

private:
    void showStep();

    const QList<TourStep> m_steps;
    int m_current = 0;
    QLabel *m_heading;
    QLabel *m_text;
    QLabel *m_python;
    QLabel *m_cpp;
    QLabel *m_then;
    QBoxLayout *m_code;
    QPushButton *m_previous;
    QPushButton *m_next;
    QPushButton *m_try;
    QPushButton *m_sigint;
};

} // namespace Demo
