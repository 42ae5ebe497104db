// SPDX-License-Identifier: MIT
#include "guimode.h"

#include "focusringstyle.h"
#include "mainwindow.h"

#include <QtGui/QIcon>
#include <QtWidgets/QApplication>
#include <QtWidgets/QStyleFactory>

#include <cstdio>
#include <cstdlib>

namespace Demo {

namespace {

// How long quitting waits for lines still queued for stdout.
constexpr std::chrono::milliseconds ExitGrace(100);

} // namespace

int runGui(const DemoOptions &options)
{
    // Fusion follows the system palette, dark mode included, and looks the same everywhere;
    // FocusRingStyle adds a focus ring a keyboard user can see.
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(new FocusRingStyle(fusion));
    if (QCoreApplication::organizationName().isEmpty())
        QCoreApplication::setOrganizationName(QStringLiteral("CancellationToken"));
    if (QCoreApplication::applicationName().isEmpty()
        || QCoreApplication::applicationName() == QCoreApplication::applicationFilePath())
        QCoreApplication::setApplicationName(QStringLiteral("cancellation-demo"));
    QGuiApplication::setDesktopFileName(QStringLiteral("cancellation-demo"));
    QIcon icon;
    for (int size : { 16, 32, 48, 64, 128, 256 })
        icon.addFile(QStringLiteral(":/icons/cancellation-demo-%1.png").arg(size),
                     QSize(size, size));
    QApplication::setWindowIcon(icon);

    // The workers' lines go to stdout as the article's program prints them; line buffering
    // keeps them whole and prompt when stdout is a pipe.
    std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);

    MainWindow window(options);
    window.show();
    const int status = QApplication::exec();
    // Quit twice during a run: the workers may sleep for seconds more, and nothing they still
    // do matters; or stdout's reader stopped reading. End the process without joining the
    // workers or waiting for the reader (~MainWindow would), after a short grace for output.
    if (!window.waitForOutput(ExitGrace) || window.isRunAbandoned()) {
        std::fflush(stderr);
        std::_Exit(status);
    }
    return status;
}

} // namespace Demo
