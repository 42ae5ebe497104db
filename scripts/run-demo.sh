#!/usr/bin/env bash
# Sets up (packages, build) and runs cancellation-demo. Arguments go to the demo:
#   scripts/run-demo.sh                 the window (the console mode when there is no display)
#   scripts/run-demo.sh --console --workers 4
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANCELLATION_BUILD_TESTS=OFF >/dev/null
cmake --build build/release --target cancellation-demo
exec build/release/app/cancellation-demo "$@"
