// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <cstring>

#include <sys/types.h>

// The scheduler state of one of this process's threads, from /proc (Linux):
// 'S' while it sleeps in the kernel, for example blocked in a futex wait; '?'
// if it cannot be read. Lets a test or benchmark act once a thread is really
// blocked, not merely on its way to the wait.
inline char threadState(pid_t tid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", static_cast<int>(tid));
    std::FILE *file = std::fopen(path, "r");
    if (!file)
        return '?';
    char buffer[512];
    const std::size_t size = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    buffer[size] = '\0';
    const char *paren = std::strrchr(buffer, ')'); // the name may contain spaces and parentheses
    return paren && paren[1] == ' ' ? paren[2] : '?';
}
