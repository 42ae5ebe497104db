// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <barrier>
#include <functional>
#include <thread>
#include <vector>

// Threads that race each other round after round: run() releases them all at
// once, each calls its step once, and run() returns when every step has
// returned. Made once, so that a race test of 10,000 rounds does not start
// 10,000 sets of threads; the destructor stops and joins them, also when a
// failed check returns from the test early.
class RoundThreads
{
public:
    // step(index) runs on thread index, 0 <= index < count, once per round.
    RoundThreads(int count, const std::function<void(int)> &step) : m_sync(count + 1)
    {
        for (int index = 0; index < count; ++index) {
            m_threads.emplace_back([this, index, step] {
                for (;;) {
                    m_sync.arrive_and_wait();
                    if (m_stop.load())
                        return;
                    step(index);
                    m_sync.arrive_and_wait();
                }
            });
        }
    }
    RoundThreads(const RoundThreads &) = delete;
    RoundThreads &operator=(const RoundThreads &) = delete;
    ~RoundThreads()
    {
        m_stop.store(true);
        m_sync.arrive_and_wait();
        for (std::thread &thread : m_threads)
            thread.join();
    }

    // One round: every step runs once, all released together.
    void run()
    {
        m_sync.arrive_and_wait(); // go
        m_sync.arrive_and_wait(); // every step has returned
    }

private:
    std::barrier<> m_sync;
    std::atomic<bool> m_stop { false };
    std::vector<std::thread> m_threads;
};
