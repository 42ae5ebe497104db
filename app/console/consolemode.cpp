// SPDX-License-Identifier: MIT
#include "consolemode.h"

#include <Cancellation/source.h>

#include <QtCore/QTextStream>

namespace Demo {

int runConsole(const DemoOptions &)
{
    Cancellation::Source source;
    source.cancel();
    QTextStream(stdout) << "Done (" << source.reasonText() << ")\n";
    return 0;
}

} // namespace Demo
