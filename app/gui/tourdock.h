// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QDockWidget>

QT_BEGIN_NAMESPACE
class QMainWindow;
QT_END_NAMESPACE

namespace Demo {

class TourPanel;

/*!
    \class Demo::TourDock
    \brief Where "Learn the pattern" sits: a dock beside the run when both fit side by side,
    else below it, low, with the two codes side by side. GUI thread only.
*/
class TourDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit TourDock(QMainWindow *window);

    TourPanel *panel() const;
    //! Shows the tour in \a window, whose run needs \a runWidth pixels at least: beside the
    //! run if it fits there, else below it. Where the user moved it, it stays.
    void showBeside(int runWidth);

private:
    QMainWindow *const m_window;
    TourPanel *const m_panel;
};

} // namespace Demo
