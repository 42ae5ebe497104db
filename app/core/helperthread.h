// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <thread>

namespace Demo {

/*!
    Starts \a body on a new thread that blocks SIGINT and SIGTERM from its first instruction, so
    that the kernel gives them to another thread: in the console, the main thread, whose event
    loop runs the Cancellation::SignalCanceler. The demo's writers and workers may be blocked for
    as long as a stalled reader likes, and a signal must not land on them: ThreadSanitizer, for
    one, runs a handler that lands in write() only once the write returns.

    Throws std::system_error if the thread cannot be started, as std::thread does; the calling
    thread's signal mask is the same afterwards either way.
*/
std::thread startHelperThread(std::function<void()> body);

} // namespace Demo
