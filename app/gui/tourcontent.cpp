// SPDX-License-Identifier: MIT
#include "tourcontent.h"

#include <chrono>

namespace Demo {

namespace {

DemoOptions run(int workers, std::chrono::nanoseconds interval, WaitMode mode,
                bool ignoring = false)
{
    DemoOptions options;
    options.workers = workers;
    options.interval = interval;
    options.mode = mode;
    options.timeoutStyle = TimeoutStyle::Timer;
    options.ignoringWorkers = ignoring ? 1 : 0;
    return options;
}

} // namespace

QList<TourStep> TourContent::steps()
{
    using namespace std::chrono_literals;
    QList<TourStep> steps;

    TourStep loop;
    loop.title = tr("A loop nobody can stop");
    loop.text = tr("The article starts from a loop that sleeps, prints and never ends. Nothing "
                   "outside it can ask it to stop. Here worker 1 runs such a loop: it never looks "
                   "at its token.");
    loop.python = QStringLiteral("while True:\n    time.sleep(1)\n    print(\"Hello world.\")");
    loop.cpp = QStringLiteral("for (;;) {\n    std::this_thread::sleep_for(1s);\n"
                              "    print(\"Hello World!\");\n}");
    loop.then = tr("Press Esc to cancel: worker 1 goes on. It ends only when its own work is done "
                   "(10 lines), as the article's loop ends only when its process is killed.");
    loop.run = run(1, 1s, WaitMode::Poll, true);
    steps.append(loop);

    TourStep token;
    token.title = tr("The loop checks a token");
    token.text = tr("Now the loop asks the token before each round. Canceling the token asks the "
                    "loop to stop; the loop notices at its next check, after its sleep, so it "
                    "prints one more line. Here a Source does the canceling, and the Token it "
                    "hands out can only be asked.");
    token.python = QStringLiteral("ct = CancellationToken()\n\nwhile not ct.is_canceled():\n"
                                  "    time.sleep(1)\n    print('Hello World!')");
    token.cpp = QStringLiteral("Cancellation::Source source;\n"
                               "auto token = source.token();\n\n"
                               "while (!token.isCanceled()) {\n"
                               "    std::this_thread::sleep_for(1s);\n"
                               "    print(\"Hello World!\");\n}");
    token.then = tr("Press Esc twice, quickly, while the worker sleeps: the first cancel() "
                    "returns true, the second false, and it changes nothing, as the article "
                    "says (see the Output tab). The worker stops at its next check.");
    token.run = run(1, 1s, WaitMode::Poll);
    steps.append(token);

    TourStep ctrlC;
    ctrlC.title = tr("Ctrl+C cancels the token");
    ctrlC.text = tr("In a terminal, Ctrl+C sends the process SIGINT. The article's handler prints "
                    "\"Handling sigint\" and cancels the token; a SignalCanceler does the same "
                    "for a Source. The button raises a real SIGINT in this process.");
    ctrlC.python = QStringLiteral("def signal_handler(ct, sig, frame):\n"
                                  "    print(\"Handling sigint\")\n    ct.cancel()\n\n"
                                  "handler = functools.partial(\n"
                                  "    signal_handler, ct)\n"
                                  "signal.signal(signal.SIGINT, handler)");
    ctrlC.cpp = QStringLiteral("Cancellation::Source source;\n"
                               "// SIGINT and SIGTERM cancel it\n"
                               "using Cancellation::SignalCanceler;\n"
                               "SignalCanceler ctrlC(&source);");
    ctrlC.then = tr("Press Send SIGINT: the token is canceled \"by SIGINT\", and the workers, "
                    "which wait on it rather than sleep, stop at once.");
    ctrlC.run = run(2, 1s, WaitMode::Wait);
    ctrlC.sendsSigint = true;
    steps.append(ctrlC);

    TourStep parallel;
    parallel.title = tr("One token, many workers");
    parallel.text = tr("Pass one token to every worker and one cancel stops them all. (Here each "
                       "worker holds a child of the run's token, as step 8 explains; the run's "
                       "cancel reaches them all the same.) Each waits on its token between lines "
                       "instead of sleeping, so it notices the cancel at once.");
    parallel.python = QStringLiteral("ct = CancellationToken()\nfor _ in range(8):\n"
                                     "    Thread(target=work,\n"
                                     "           args=(ct,)).start()\n\n"
                                     "ct.cancel()  # all of them stop");
    parallel.cpp = QStringLiteral("for (int i = 0; i < 8; ++i)\n"
                                  "    workers.emplace_back(\n"
                                  "            work, source.token());\n\n"
                                  "source.cancel(); // all of them stop\n\n"
                                  "// work() sleeps, but wakes on cancel\n"
                                  "while (!token.waitFor(1s))\n    print(\"Hello World!\");");
    parallel.then = tr("Press Esc: all 8 workers stop within a few milliseconds.");
    parallel.run = run(8, 1s, WaitMode::Wait);
    steps.append(parallel);

    TourStep timer;
    timer.title = tr("A timeout by a timer");
    timer.text = tr("The article's first timeout: a timer cancels the token when the time is up, "
                    "as Go's context.WithTimeout does. It fires whether or not anyone checks.");
    timer.python = QStringLiteral("threading.Timer(3, ct.cancel).start()");
    timer.cpp = QStringLiteral("// a timer cancels it in 3 s\nsource.cancelAfter(3s);");
    timer.then = tr("Wait 3 s: the token times out and the workers stop at once.");
    timer.run = run(4, 1s, WaitMode::Wait);
    timer.run.timeout = 3s;
    steps.append(timer);

    TourStep deadline;
    deadline.title = tr("A deadline checked on poll");
    deadline.text = tr("The article's second timeout: keep a timeout_time and compare it when "
                       "someone checks the token. Nothing fires at the deadline: the first check "
                       "after it cancels. These workers sleep, then check, so they notice up to "
                       "one interval late; a worker waiting on the token checks as its wait "
                       "ends, at the deadline.");
    deadline.python = QStringLiteral("def is_canceled(self):\n"
                                     "    now = time.time()\n"
                                     "    return (self._is_canceled or\n"
                                     "            now >= self.timeout_time)");
    deadline.cpp = QStringLiteral("using namespace Cancellation;\n"
                                  "source.cancelAfter(2500ms,\n"
                                  "    Source::DeadlineCheck::PollOnly);");
    deadline.then = tr("Wait 2.5 s: each worker notices at its next check, up to 1 s after the "
                       "dashed deadline line. Stop latency counts from the deadline.");
    deadline.run = run(4, 1s, WaitMode::Poll);
    deadline.run.timeout = 2500ms;
    deadline.run.timeoutStyle = TimeoutStyle::Deadline;
    steps.append(deadline);

    TourStep sideBySide;
    sideBySide.title = tr("Poll or wait, side by side");
    sideBySide.text = tr("Workers 1 and 3 sleep, then check, as the article's loop does; workers "
                         "2 and 4 wait on their token instead. All four share the run's token. "
                         "A wait that wakes on cancel stops at once; a sleep cannot be cut "
                         "short, so the cancel is noticed only after it.");
    sideBySide.python = QStringLiteral("while not ct.is_canceled():\n    time.sleep(1)  # deaf\n"
                                       "    print('Hello World!')\n\n"
                                       "# threading.Event: a sleep that wakes\n"
                                       "while not event.wait(1):\n    print('Hello World!')");
    sideBySide.cpp = QStringLiteral("// workers 1 and 3\nwhile (!token.isCanceled()) {\n"
                                    "    std::this_thread::sleep_for(1s);\n"
                                    "    print(\"Hello World!\");\n}\n\n"
                                    "// workers 2 and 4\nwhile (!token.waitFor(1s))\n"
                                    "    print(\"Hello World!\");");
    sideBySide.then = tr("Press Esc: on the timeline, workers 2 and 4 stop at the cancel; workers "
                         "1 and 3 print one more line and stop up to 1 s later. To watch it "
                         "closely, choose the speed 0.1× and press Start (Ctrl+Return) for "
                         "the same run ten times slower, or Pause (F8) and Step (F10).");
    sideBySide.run = run(4, 1s, WaitMode::Mixed);
    steps.append(sideBySide);

    TourStep tree;
    tree.title = tr("Parent and child tokens");
    tree.text = tr("Each worker's token is a child of the run's token: a Source made from the "
                   "run's token. Canceling a child stops that worker alone; canceling the parent "
                   "reaches every child. The article's token has no children; Go's "
                   "context.WithCancel(parent) has.");
    tree.python = QStringLiteral("# The article has no child tokens;\n"
                                 "# a child would ask its parent too:\n"
                                 "def is_canceled(self):\n"
                                 "    up = self.parent.is_canceled()\n"
                                 "    return self._is_canceled or up");
    tree.cpp = QStringLiteral("// a child of root's token\n"
                              "Cancellation::Source worker2(\n"
                              "        root.token());\n\n"
                              "worker2.cancel(); // worker 2 alone\n"
                              "root.cancel();    // every worker");
    tree.then = tr("Select worker 2 in the table and press Delete: it alone stops. Then press "
                   "Esc: the others stop.");
    tree.run = run(4, 1s, WaitMode::Wait);
    steps.append(tree);

    TourStep cooperation;
    cooperation.title = tr("Cancellation is cooperative");
    cooperation.text = tr("A token only asks. Code that never checks it is not stopped by "
                          "anything: worker 1 ignores its token, the other three check theirs.");
    cooperation.python = QStringLiteral("for _ in range(10):  # never asks ct\n"
                                        "    time.sleep(0.5)\n"
                                        "    print('Hello World!')");
    cooperation.cpp = QStringLiteral("// never asks the token\n"
                                     "for (int i = 0; i < 10; ++i) {\n"
                                     "    sleep_for(500ms);\n"
                                     "    print(\"Hello World!\");\n}");
    cooperation.then = tr("Press Esc: three workers stop at once; worker 1 prints all its 10 "
                          "lines, and the summary says it ignored its token.");
    cooperation.run = run(4, 500ms, WaitMode::Wait, true);
    steps.append(cooperation);

    return steps;
}

} // namespace Demo
