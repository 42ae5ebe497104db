// SPDX-License-Identifier: MIT
#include "touroffer.h"

#include "widgetnames.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>

namespace Demo {

TourOffer::TourOffer(QWidget *parent) : QFrame(parent)
{
    auto *text = new QLabel(tr("New to cancellation tokens? \"Learn the pattern\" walks through "
                               "the article's ideas, one run at a time."));
    text->setWordWrap(true);
    auto *start = new QPushButton(tr("Start the tour"));
    setNames(start, tr("Start the tour"), tr("Open \"Learn the pattern\" (also in Help)"));
    auto *dismiss = new QPushButton(tr("No, thanks"));
    setNames(dismiss, tr("Dismiss the tour"),
             tr("Hide this offer for good; the tour stays in Help"));
    connect(start, &QPushButton::clicked, this, &TourOffer::accepted);
    connect(dismiss, &QPushButton::clicked, this, &TourOffer::declined);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(text, 1);
    row->addWidget(start);
    row->addWidget(dismiss);
    setAccessibleName(tr("Tour offer"));
}

} // namespace Demo
