#!/usr/bin/env bash
# confmix --story on the seed story "three wrong PINs -> operator": the CLI
# runs the whole conference service and writes the CDR.
set -euo pipefail
confmix="$1"; stories="$2"; work="$3"
rm -rf "$work"
"$confmix" --story "$stories/wrong_pin_operator.json" -q -o "$work"
for f in events.jsonl summary.json cdr.csv cdr.jsonl carol.wav dave.wav; do test -s "$work/$f" || { echo "missing $f"; exit 1; }; done
grep -q "+4917100003" "$work/cdr.csv" || { echo "carol's CDR row missing"; cat "$work/cdr.csv"; exit 1; }
if "$confmix" --story "$stories/does-not-exist.json" -q -o "$work/x" 2>/dev/null; then echo "missing story accepted"; exit 1; fi
echo "story ok"
