#!/usr/bin/env bash
# confmix on bad input: exit non-zero, and the message names file, field and value.
set -u
confmix="$1"; dir="$2"
rm -rf "$dir"; mkdir -p "$dir"
fail=0
expect() {  # name json needle...
  local name="$1" json="$2"; shift 2
  printf '%s' "$json" > "$dir/$name.json"
  local out
  out=$("$confmix" "$dir/$name.json" -q -o "$dir/out-$name" 2>&1)
  local rc=$?
  if [ $rc -eq 0 ]; then echo "FAIL $name: exit 0"; fail=1; return; fi
  for needle in "$@"; do
    if ! grep -qF -- "$needle" <<<"$out"; then echo "FAIL $name: '$needle' not in: $out"; fail=1; fi
  done
  echo "ok   $name -> $out"
}
expect unknown_field '{"room":{"name":"r"},"participants":[{"name":"a","volume":3}]}' "unknown_field.json" "participants[0].volume" "unknown field"
expect missing_file '{"room":{"name":"r"},"participants":[{"name":"a","input":"nope.wav"}]}' "participants[0].input" "nope.wav"
expect wrong_rate '{"room":{"name":"r","sample_rate_hz":22050},"participants":[{"name":"a"}]}' "room.sample_rate_hz" "22050"
expect backwards '{"room":{"name":"r"},"participants":[{"name":"a"}],"timeline":[{"at_s":2,"action":"mute","who":"a"},{"at_s":1,"action":"unmute","who":"a"}]}' "timeline[1].at_s" "backwards"
expect not_json '{"room": ' "not_json.json: line 1, column 10"
expect not_json_lines '{
  "room": {"name": "r"},
  "participants": [{"name": "a"} {"name": "b"}]
}' "not_json_lines.json: line 3, column 34"
expect opus_32k '{"room":{"name":"r","sample_rate_hz":32000},"participants":[{"name":"a","codec":"opus","codec_rate_hz":32000}]}' "participants[0].codec_rate_hz" "opus runs at 8000, 16000, 24000 or 48000 Hz"
printf 'not audio' > "$dir/junk.wav"
expect junk_audio '{"room":{"name":"r"},"participants":[{"name":"a","input":"junk.wav"}]}' "participants[0].input" "junk.wav: not an audio file"
out=$("$confmix" --version 2>&1); rc=$?
if [ $rc -ne 0 ] || ! grep -qE "^confmix \(libconf\) [0-9]+\.[0-9]+\.[0-9]+$" <<<"$out"; then echo "FAIL --version: $out"; fail=1; else echo "ok   --version -> $out"; fi
out=$("$confmix" "$dir/does-not-exist.json" 2>&1); rc=$?
if [ $rc -eq 0 ] || ! grep -qF "does-not-exist.json" <<<"$out"; then echo "FAIL missing scenario: $out"; fail=1; fi
out=$("$confmix" --bogus 2>&1); rc=$?
if [ $rc -ne 2 ] || ! grep -qF -- "--bogus" <<<"$out"; then echo "FAIL unknown option: $out"; fail=1; fi
exit $fail
