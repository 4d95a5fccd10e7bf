#!/usr/bin/env bash
# Sets up and runs every test: installs missing Debian packages, then
#  1. builds the release preset (library, hosts, benchmarks, Python module) and
#     runs CTest (C++ unit, integration and host tests, the install/consumer
#     test, and the Python bindings' pytest suite as the CTest test python.pytest);
#  2. builds the asan preset (ASan + UBSan; no benchmarks, no Python) and runs
#     the same C++ suite under it;
#  3. builds only the engine stress test with ThreadSanitizer (preset tsan) and
#     runs it for 25 s: real clock, four workers, three control threads.
# Any sanitizer report fails the run. On an idle 2-core machine the whole
# script is estimated at 17-20 minutes from a cold build (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/setup.sh
jobs=$(nproc)
start=$(date +%s)
stage() { echo "== $1 ($(( $(date +%s) - start )) s)"; }

stage "release"
cmake --preset release -DLIBCONF_BUILD_TESTS=ON -DLIBCONF_BUILD_BENCH=ON -DLIBCONF_BUILD_EXAMPLES=ON \
  -DLIBCONF_BUILD_PYTHON=ON "-DLIBCONF_TEST_DIRS=audio;transport;codec;dsp;jitter;mix;room;ivr;engine;store;service;scenario;rtp;sip;examples;install;python" >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs" --timeout 900

stage "asan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" --timeout 900

stage "tsan"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan --timeout 300
stage "done"
