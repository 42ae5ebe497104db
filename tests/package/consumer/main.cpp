// SPDX-License-Identifier: MIT
// A consumer of the installed package: every public header, strict Qt settings.
#include <Cancellation/logging.h>
#include <Cancellation/reason.h>
#include <Cancellation/registration.h>
#include <Cancellation/ScopedCallback>
#include <Cancellation/source.h>
#include <Cancellation/token.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Cancellation::Source parent;
    Cancellation::Source child(parent.token());
    // Built in this consumer, with the library's node in the object. It runs
    // before the callback below, in registration order.
    std::atomic<int> scoped = 0;
    const Cancellation::ScopedCallback scopedCallback(child.token(),
                                                      [&scoped] { scoped.fetch_add(1); });
    std::atomic<int> callbacks = 0;
    const Cancellation::Registration registration = child.token().onCanceled([&callbacks] {
        callbacks.fetch_add(1);
        callbacks.notify_all();
    });
    std::thread worker([token = child.token()] { token.waitFor(10s); });
    parent.cancelAfter(10ms);
    worker.join();
    // Waiters wake before the canceling thread runs the callbacks: wait for ours.
    callbacks.wait(0);
    const bool ok = child.isCanceled() && callbacks == 1 && scoped == 1
            && child.reason().kind() == Cancellation::Reason::Kind::ParentCanceled
            && child.reason().parent().kind() == Cancellation::Reason::Kind::Timeout;
    QTextStream(stdout) << "consumer: " << child.reasonText() << '\n';
    return ok ? 0 : 1;
}
