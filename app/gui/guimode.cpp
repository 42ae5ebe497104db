// SPDX-License-Identifier: MIT
#include "guimode.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>

namespace Demo {

int runGui(const DemoOptions &)
{
    QLabel label(QStringLiteral("cancellation-demo"));
    label.show();
    return QApplication::exec();
}

} // namespace Demo
