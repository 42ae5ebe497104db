// SPDX-License-Identifier: MIT
#include "console/consolemode.h"
#include "console/processsetup.h"
#include "core/commandline.h"
#include "gui/guimode.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <chrono>
#include <cstdio>

namespace {

// Whether QApplication can open a window. Without this check, it would abort
// with "could not connect to display".
bool displayAvailable()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    const auto isSet = [](const char *name) { return !qEnvironmentVariableIsEmpty(name); };
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (platform.startsWith("xcb"))
        return isSet("DISPLAY");
    if (platform.startsWith("wayland"))
        return isSet("WAYLAND_DISPLAY");
    if (!platform.isEmpty())
        return true; // offscreen, minimal, vnc, eglfs, ...: no display server needed
    return isSet("DISPLAY") || isSet("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

} // namespace

int main(int argc, char *argv[])
{
    // Before anything else: a Ctrl+C from now on is never lost nor fatal (the Qt-side handler
    // takes the early ones over), and descriptors 0, 1 and 2 are open before anything opens a
    // descriptor that could take their number.
    Demo::ProcessSetup::catchTerminationSignals();
    Demo::ProcessSetup::openStandardDescriptors();

    // The console's --timeout counts from here: the user's "start" is the process's.
    const auto started = std::chrono::steady_clock::now();

    // Parsed before any QCoreApplication exists: bad input exits with status 2
    // before anything starts, in either mode.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const Demo::CommandLine::Result parsed = Demo::CommandLine::parse(arguments);
    if (parsed.kind != Demo::CommandLine::Result::Kind::Run)
        return Demo::CommandLine::report(parsed);

    Demo::DemoOptions options = parsed.options;
    if (!options.console && !displayAvailable()) {
        std::fputs("cancellation-demo: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
                   "running in console mode\n",
                   stderr);
        options.console = true;
    }
    if (options.console) {
        QCoreApplication app(argc, argv);
        return Demo::runConsole(options, started);
    }
    QApplication app(argc, argv);
    // The window installs its SignalCanceler before the event loop runs: hand it the signals
    // that came while Qt started.
    QTimer::singleShot(0, &app, [] { Demo::ProcessSetup::replayCaughtSignals(); });
    return Demo::runGui(options);
}
