#!/usr/bin/env bash
# Generates the demo's synthetic voices with espeak-ng (Debian) into
# OUT_DIR (default: ./voices). Idempotent: existing files are kept.
set -euo pipefail
out="${1:-$(dirname "$0")/voices}"
mkdir -p "$out"
say() {  # name voice speed text
  local file="$out/$1.wav"
  [ -s "$file" ] && return 0
  espeak-ng -v "$2" -s "$3" -w "$file.tmp" "$4"
  mv "$file.tmp" "$file"
}
say alice en-us+f3 150 "Good morning everyone. Thanks for joining the quarterly review. Let us start with the sales figures for the northern region, which grew by twelve percent. Bob, can you walk us through the details?"
say bob en-gb+m3 145 "Sure. The growth came mostly from two new customers in the second month. We expect the trend to continue, although the summer is usually slower. I will send the full numbers after the call."
say carol en-us+f5 155 "Sorry I am late. I was stuck in another meeting. Could someone repeat the last point about the customers? I think we should also discuss the budget for next year."
say coach en-us+m1 140 "Alice, this is the operator. Remind them that the call ends in five minutes."
say dave en-gb+m1 150 "Hello, this is Dave. I will type my PIN now."
