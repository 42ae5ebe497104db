// SPDX-License-Identifier: MIT
// A child process for tst_process. It prints "ready" once its SIGTERM handling is in place,
// then runs for at most a minute:
//   graceful     SIGTERM: prints "terminated" and exits with code 3
//   ignore-term  ignores SIGTERM (only a kill stops it)
//   exit         exits at once with code 0
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>

namespace {

volatile std::sig_atomic_t terminated = 0;

extern "C" void onTerminate(int)
{
    terminated = 1;
}

} // namespace

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (std::strcmp(mode, "exit") == 0)
        return 0;
    if (std::strcmp(mode, "graceful") == 0)
        std::signal(SIGTERM, onTerminate);
    else if (std::strcmp(mode, "ignore-term") == 0)
        std::signal(SIGTERM, SIG_IGN);
    else
        return 2;
    std::puts("ready");
    std::fflush(stdout);
    for (int i = 0; i < 6000 && !terminated; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!terminated)
        return 0;
    std::puts("terminated");
    std::fflush(stdout);
    return 3;
}
