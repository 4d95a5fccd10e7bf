#!/usr/bin/env bash
set -euo pipefail
build="$1"; consumer="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" --component Unspecified >/dev/null
test -f "$work/prefix/include/libconf/mix/mixer.hpp"
test -f "$work/prefix/lib/cmake/libconf/libconfConfig.cmake" || test -f "$work/prefix/lib/x86_64-linux-gnu/cmake/libconf/libconfConfig.cmake"
# 1. CMake package
cmake -S "$consumer" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake-build" >/dev/null
"$work/cmake-build/consumer"
# 2. pkg-config
pcdir=$(dirname "$(find "$work/prefix" -name libconf.pc | head -1)")
PKG_CONFIG_PATH="$pcdir" c++ -std=c++20 "$consumer/main.cpp" -o "$work/consumer-pc" \
  $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs libconf)
"$work/consumer-pc"
