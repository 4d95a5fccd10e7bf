#!/usr/bin/env bash
# Sets up and runs the main job. Until the SIP host lands (a later issue), the
# main job is the file host: it renders the bundled demo conference with the
# real engine and prints where the outputs are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/setup.sh
cmake --preset release -DLIBCONF_BUILD_TESTS=OFF -DLIBCONF_BUILD_BENCH=OFF -DLIBCONF_BUILD_PYTHON=OFF >/dev/null
cmake --build --preset release -j "$(nproc)" --target confmix
bash examples/confmix/demo/make_voices.sh
./build/release/examples/confmix/confmix examples/confmix/demo/demo.json -o build/demo-out
echo
echo "Listen to what each caller heard: build/demo-out/<name>.wav (e.g. aplay build/demo-out/alice.wav)"
echo "Event log: build/demo-out/events.jsonl    Summary: build/demo-out/summary.json"
