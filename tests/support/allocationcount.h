// SPDX-License-Identifier: MIT
#pragma once

#include "sanitizers.h"

#include <utility>

// allocationcount.cpp replaces operator new to count each thread's
// allocations, the library's included: the executable's operator new
// replaces the one of every shared library (ELF and Mach-O; not a Windows
// DLL). The sanitizers bring their own, so there nothing is counted.
#if !UNDER_SANITIZER
#  define COUNTS_ALLOCATIONS 1
#else
#  define COUNTS_ALLOCATIONS 0
#endif

// This thread's allocations so far; always 0 where they are not counted.
long allocationsOnThisThread() noexcept;

// The allocations that f makes on this thread; -1 where they are not counted.
template<typename F>
long allocationsDuring(F &&f)
{
    const long before = allocationsOnThisThread();
    std::forward<F>(f)();
    return COUNTS_ALLOCATIONS ? allocationsOnThisThread() - before : -1;
}
