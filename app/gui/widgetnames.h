// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QWidget>

namespace Demo {

// Names a control for assistive technology (and the tests, which find controls as it does),
// and gives it its tooltip.
inline void setNames(QWidget *widget, const QString &accessibleName, const QString &toolTip)
{
    widget->setAccessibleName(accessibleName);
    widget->setToolTip(toolTip);
}

} // namespace Demo
