// SPDX-License-Identifier: MIT
#include "tourdock.h"

#include "tourpanel.h"

#include <QtCore/QEvent>
#include <QtWidgets/QLayout>
#include <QtWidgets/QMainWindow>
#include <QtWidgets/QScrollArea>

namespace Demo {

TourDock::TourDock(QMainWindow *window)
    : QDockWidget(tr("Learn the pattern"), window), m_window(window), m_panel(new TourPanel)
{
    setObjectName(QStringLiteral("tour"));
    setAccessibleName(tr("Learn the pattern"));
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    setWidget(scroll);
    connect(this, &QDockWidget::dockLocationChanged, m_panel, [this](Qt::DockWidgetArea area) {
        m_panel->setCodeSideBySide(area == Qt::TopDockWidgetArea
                                   || area == Qt::BottomDockWidgetArea);
    });
    window->addDockWidget(Qt::RightDockWidgetArea, this);
    window->installEventFilter(this);
    hide();
}

TourPanel *TourDock::panel() const
{
    return m_panel;
}

void TourDock::showBeside(int runWidth)
{
    m_runWidth = runWidth;
    if (!isVisible() && !isFloating())
        m_placedIn.reset(); // shown anew: placed anew
    place();
    show();
    raise();
}

bool TourDock::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Resize && isVisible())
        place();
    return QDockWidget::eventFilter(watched, event);
}

void TourDock::place()
{
    if (isFloating() || (m_placedIn && m_window->dockWidgetArea(this) != *m_placedIn))
        return; // where the user put it
    // Below the run, the window scrolls vertically, as it already does on a small screen,
    // rather than sideways.
    if (m_besideWidth == 0) // measured once, with the codes one above the other
        m_besideWidth = sizeHint().width();
    const bool besideFits = m_window->width() - m_besideWidth >= m_runWidth;
    const Qt::DockWidgetArea area = besideFits ? Qt::RightDockWidgetArea : Qt::BottomDockWidgetArea;
    if (m_placedIn == area)
        return;
    m_placedIn = area;
    m_panel->setCodeSideBySide(!besideFits);
    m_window->addDockWidget(area, this);
    show();
    if (!besideFits) { // no higher than it needs: the run keeps the rest
        m_window->layout()->activate();
        const int title = height() - widget()->height();
        m_window->resizeDocks({ this }, { m_panel->sizeHint().height() + title }, Qt::Vertical);
    }
}

} // namespace Demo
