#!/usr/bin/env bash
set -euo pipefail
script="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work/libconf/audio" "$work/libconf/engine" "$work/include/libconf/engine"
printf '#include "libconf/audio/format.hpp"\n' > "$work/libconf/engine/ok.cpp"
cmake -DLIBCONF_SOURCE_DIR="$work" -P "$script"   # a downward include passes
printf '#include "libconf/engine/engine.hpp"\n' > "$work/libconf/audio/bad.cpp"
if out=$(cmake -DLIBCONF_SOURCE_DIR="$work" -P "$script" 2>&1); then
  echo "an upward include was accepted"; exit 1
fi
grep -q "libconf/audio/bad.cpp" <<<"$out" && grep -q "may not use layer 'engine'" <<<"$out" || { echo "$out"; exit 1; }
echo "rejected as expected"
