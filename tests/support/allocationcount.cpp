// SPDX-License-Identifier: MIT
#include "allocationcount.h"

#include <cstdlib>
#include <new>

namespace {
thread_local long t_allocations = 0;
} // namespace

long allocationsOnThisThread() noexcept
{
    return t_allocations;
}

#if COUNTS_ALLOCATIONS
void *operator new(std::size_t size)
{
    ++t_allocations;
    if (void *memory = std::malloc(size ? size : 1))
        return memory;
    throw std::bad_alloc();
}
void operator delete(void *memory) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}
#endif
