// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QDockWidget>

#include <optional>

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
    //! run if it fits there, else below it, and moves it when the window's width changes which
    //! one fits. Where the user moved it, it stays.
    void showBeside(int runWidth);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Docks it beside the run or below it, whichever fits the window's width now.
    void place();

    QMainWindow *const m_window;
    TourPanel *const m_panel;
    int m_runWidth = 0;
    int m_besideWidth = 0; // the dock's width beside the run
    // The area place() chose last; once the user docks it elsewhere, place() leaves it there.
    std::optional<Qt::DockWidgetArea> m_placedIn;
};

} // namespace Demo
