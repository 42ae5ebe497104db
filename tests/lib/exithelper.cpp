// SPDX-License-Identifier: MIT
// Run by tst_exit: Sources and Tokens alive while the process exits, in the
// scenario named by the first argument. Exits 0 unless something breaks.
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

using namespace Cancellation;
using namespace std::chrono_literals;

namespace {

// Made before main(), so destroyed after everything main() makes, the
// library's timer threads included.
Source *staticSource()
{
    static Source source;
    return &source;
}
Source g_globalSource;
Token g_globalToken;
Registration g_globalRegistration;

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: exithelper SCENARIO\n");
        return 2;
    }
    const char *scenario = argv[1];
    // Constructed before the first use of a timer below.
    staticSource();
    QCoreApplication app(argc, argv);

    if (std::strcmp(scenario, "static-armed") == 0) {
        staticSource()->cancelAfter(1h); // armed for ever: unscheduled during static destruction
        g_globalSource.cancelAfter(2h, Source::DeadlineCheck::PollOnly);
    } else if (std::strcmp(scenario, "static-firing") == 0) {
        // Fires while the process exits, perhaps during static destruction.
        staticSource()->cancelAfter(0ns);
        g_globalSource.cancelAfter(1ms);
        g_globalRegistration = g_globalSource.token().onCanceled([] {});
    } else if (std::strcmp(scenario, "global-token") == 0) {
        auto *source = new Source;
        source->cancelAfter(1h);
        g_globalToken = source->token(); // outlives its Source and the timer threads
        delete source;
    } else if (std::strcmp(scenario, "child-of-static") == 0) {
        static Source child(staticSource()->token());
        child.cancelAfter(1h);
        staticSource()->cancelAfter(2h);
    } else if (std::strcmp(scenario, "exit-in-callback") == 0) {
        // exit() from a callback on a timer thread: static destruction runs there.
        g_globalRegistration = g_globalSource.token().onCanceled([] { std::exit(0); });
        g_globalSource.cancelAfter(1ms);
        g_globalSource.token().waitFor(std::chrono::hours(1));
        for (;;)
            std::this_thread::yield(); // until that thread's exit() ends the process
    } else {
        std::fprintf(stderr, "exithelper: unknown scenario %s\n", scenario);
        return 2;
    }
    return 0;
}
