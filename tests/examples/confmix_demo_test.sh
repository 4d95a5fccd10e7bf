#!/usr/bin/env bash
# Renders the bundled demo (espeak-ng voices made here) twice: both runs must
# succeed, be byte-identical, detect the PIN typed in-band, and show the
# moderator actions in the event log.
set -euo pipefail
confmix="$1"; demo_src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
cp "$demo_src/demo.json" "$work/"
bash "$demo_src/make_voices.sh" "$work/voices" >/dev/null
"$confmix" "$work/demo.json" -q -o "$work/one"
"$confmix" "$work/demo.json" -q -o "$work/two"
for f in "$work"/one/*; do
  cmp "$f" "$work/two/$(basename "$f")"
done
grep -q '"dtmf_digits":"4711#"' "$work/one/summary.json" || { echo "PIN 4711# not detected"; cat "$work/one/summary.json"; exit 1; }
for ev in whisper_started leg_moved talking_started mix_state_changed source_gain_changed; do
  grep -q "\"event\":\"$ev\"" "$work/one/events.jsonl" || { echo "no $ev event"; exit 1; }
done
grep -q '"exit_reason":"kicked: call ended by moderator"' "$work/one/summary.json" || { echo "kick missing"; exit 1; }
ls "$work"/one/*.wav | wc -l | grep -qx 5
echo "demo ok: $(wc -l < "$work/one/events.jsonl") events, outputs identical across runs"
