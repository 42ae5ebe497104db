// SPDX-License-Identifier: MIT
#include "tourdock.h"

#include "tourpanel.h"

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
    hide();
}

TourPanel *TourDock::panel() const
{
    return m_panel;
}

void TourDock::showBeside(int runWidth)
{
    // Below the run, the window scrolls vertically, as it already does on a small screen,
    // rather than sideways.
    if (!isVisible() && !isFloating()) {
        const bool besideFits = m_window->width() - sizeHint().width() >= runWidth;
        m_panel->setCodeSideBySide(!besideFits);
        m_window->addDockWidget(besideFits ? Qt::RightDockWidgetArea : Qt::BottomDockWidgetArea,
                                this);
        show();
        if (!besideFits) { // no higher than it needs: the run keeps the rest
            m_window->layout()->activate();
            const int title = height() - widget()->height();
            m_window->resizeDocks({ this }, { m_panel->sizeHint().height() + title }, Qt::Vertical);
        }
    }
    show();
    raise();
}

} // namespace Demo
