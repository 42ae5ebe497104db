#!/usr/bin/env bash
# Builds cancellation-bench in Release (in build/bench) and runs it. Prints the
# Markdown table on stdout; with --json, the same figures as JSON. Progress and
# build output go to stderr. Other options pass through (see --help), e.g.
#   scripts/run-benchmarks.sh --quick          # a shorter run
#   scripts/run-benchmarks.sh --json > bench.json
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >&2
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCANCELLATION_BUILD_BENCHMARKS=ON >&2
cmake --build build/bench --target cancellation-bench -j "$(nproc)" >&2
exec build/bench/tests/benchmarks/cancellation-bench --command "scripts/run-benchmarks.sh${*:+ $*}" "$@"
