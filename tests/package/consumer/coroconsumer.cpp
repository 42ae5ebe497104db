// SPDX-License-Identifier: MIT
// A consumer of the component Coro: a coroutine awaits a token that a timer cancels.
#include <Cancellation/coro.h>
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <chrono>

using namespace std::chrono_literals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Cancellation::Source source;
    source.cancelAfter(20ms);
    Cancellation::Reason reason;
    // Named: a coroutine lambda's captures live in the closure, which must outlive it.
    const auto body = [&]() -> QCoro::Task<> {
        reason = co_await source.token();
        QCoreApplication::quit();
    };
    const auto task = body();
    app.exec();
    QTextStream(stdout) << "coroconsumer: " << reason.toString() << '\n';
    return reason.kind() == Cancellation::Reason::Kind::Timeout ? 0 : 1;
}
