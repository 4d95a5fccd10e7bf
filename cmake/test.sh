#!/usr/bin/env bash
# Sets up and runs every test: installs missing Debian packages, builds the
# release preset (library, hosts, benchmarks, Python module), runs CTest (C++
# unit, integration and host tests, the install/consumer test, and the
# Python bindings' pytest suite as the CTest test python.pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/setup.sh
jobs=$(nproc)
cmake --preset release -DLIBCONF_BUILD_TESTS=ON -DLIBCONF_BUILD_BENCH=ON -DLIBCONF_BUILD_EXAMPLES=ON \
  -DLIBCONF_BUILD_PYTHON=ON "-DLIBCONF_TEST_DIRS=audio;transport;codec;dsp;jitter;mix;room;ivr;engine;store;service;scenario;rtp;sip;examples;install;python" >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs" --timeout 900
