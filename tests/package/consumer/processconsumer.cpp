// SPDX-License-Identifier: MIT
// A consumer of the component Process: it starts itself as a child that sleeps, and a
// canceled token stops the child (terminate, then kill after the grace period).
#include <Cancellation/process.h>
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QProcess>
#include <QtCore/QTextStream>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(QStringLiteral("--child"))) {
        std::this_thread::sleep_for(60s);
        return 0;
    }
    Cancellation::Source source;
    QProcess child;
    Cancellation::terminateOnCancel(&child, source.token(), 500ms);
    QObject::connect(&child, &QProcess::started, &source, [&source] { source.cancel(); });
    QObject::connect(&child, &QProcess::finished, &app, &QCoreApplication::quit);
    child.start(app.applicationFilePath(), { QStringLiteral("--child") });
    app.exec();
    QTextStream(stdout) << "processconsumer: child stopped after a cancel\n";
    return child.exitStatus() == QProcess::CrashExit ? 0 : 1;
}
