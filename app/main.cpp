// SPDX-License-Identifier: MIT
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Cancellation::Source source;
    source.cancel();
    QTextStream(stdout) << "Done (" << source.reasonText() << ")\n";
    return 0;
}
