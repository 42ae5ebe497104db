#!/usr/bin/env bash
# Sets up (packages, builds) and runs every test:
#   1. a Debug build with warnings as errors, all tests (with the QDoc check of the API reference);
#   2. the library tests under ThreadSanitizer;
#   3. the library tests under AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer.
# Any failure or sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)

configure_and_test() {
    local dir=$1 label=$2
    shift 2
    echo "=== $dir ==="
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCANCELLATION_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    if [ -n "$label" ]; then
        ctest --test-dir "$dir" --output-on-failure -L "$label"
    else
        ctest --test-dir "$dir" --output-on-failure
    fi
}

configure_and_test build/debug "" -DCANCELLATION_REQUIRE_DOCS=ON

# ignore_noninstrumented_modules: Debian's Qt is not built with TSan; see tests/tsan.supp.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$PWD/tests/tsan.supp" \
    configure_and_test build/tsan lib -DCANCELLATION_BUILD_APP=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -g -O1"

ASAN_OPTIONS="detect_leaks=1 halt_on_error=1 abort_on_error=0" \
UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1" \
    configure_and_test build/asan lib -DCANCELLATION_BUILD_APP=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"

echo "=== all tests passed (debug, tsan, asan+ubsan) ==="
