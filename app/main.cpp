// SPDX-License-Identifier: MIT
#include "console/consolemode.h"
#include "gui/guimode.h"

#include <QtCore/QCoreApplication>
#include <QtWidgets/QApplication>

int main(int argc, char *argv[])
{
    Demo::DemoOptions options;
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--console") == 0)
            options.console = true;
    }
    if (options.console) {
        QCoreApplication app(argc, argv);
        return Demo::runConsole(options);
    }
    QApplication app(argc, argv);
    return Demo::runGui(options);
}
