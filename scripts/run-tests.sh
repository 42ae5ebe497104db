#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets up (packages, builds) and runs every test:
#   1. the formatting check (scripts/check-format.sh);
#   2. a GCC Debug build with warnings as errors, all tests (with the QDoc check of the API
#      reference), then the library compiled for Windows with mingw-w64 as a syntax check;
#   3. a Clang Debug build with warnings as errors, all tests;
#   4. the library's and the console mode's tests under ThreadSanitizer;
#   5. the same under AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer;
#   6. the library's tests on the portable wait path (the one macOS and Windows
#      take), normally and under ThreadSanitizer.
# Any failure or sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests also need a second compiler, the formatter, pkg-config (package tests) and
# mingw-w64 (the Windows syntax check; the posix variant has std::thread).
scripts/install-deps.sh clang clang-format pkg-config g++-mingw-w64-x86-64-posix
jobs=$(nproc)

echo "=== format ==="
scripts/check-format.sh

# configure_and_test <dir> <ctest label regex or ""> <build targets or ""> [cmake args...]
configure_and_test() {
    local dir=$1 labels=$2 targets=$3
    shift 3
    echo "=== $dir ==="
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCANCELLATION_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
    # shellcheck disable=SC2086 # targets is a list of words
    cmake --build "$dir" -j "$jobs" ${targets:+--target $targets}
    if [ -n "$labels" ]; then
        ctest --test-dir "$dir" --output-on-failure -L "$labels"
    else
        ctest --test-dir "$dir" --output-on-failure
    fi
}

configure_and_test build/debug "" "" -DCANCELLATION_REQUIRE_DOCS=ON
echo "=== mingw (Windows syntax check) ==="
scripts/check-mingw.sh build/debug
CC=clang CXX=clang++ configure_and_test build/clang "" ""

# ignore_noninstrumented_modules: Debian's Qt is not built with TSan; see tests/tsan.supp.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$PWD/tests/tsan.supp" \
    configure_and_test build/tsan "^(lib|console)$" "tests-lib tests-console" \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -g -O1"

ASAN_OPTIONS="detect_leaks=1 halt_on_error=1 abort_on_error=0" \
UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" \
    configure_and_test build/asan "^(lib|console)$" "tests-lib tests-console" \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"

# The wait path of every system but Linux, forced on Linux.
configure_and_test build/portable "^lib$" "tests-lib" -DCANCELLATION_PORTABLE_WAIT=ON
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$PWD/tests/tsan.supp" \
    configure_and_test build/portable-tsan "^lib$" "tests-lib" -DCANCELLATION_PORTABLE_WAIT=ON \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -g -O1"

echo "=== all tests passed (format, gcc, clang, tsan, asan+ubsan, portable wait) ==="
