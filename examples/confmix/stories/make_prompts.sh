#!/bin/sh
# Generates spoken prompts for the stories with espeak-ng (no recordings are
# committed): make_prompts.sh <out_dir> [voice]. Writes <id>.wav for every
# prompt id the default menus and the service use.
set -eu
out=${1:?usage: make_prompts.sh <out_dir> [voice]}
voice=${2:-en}
mkdir -p "$out"
say() { espeak-ng -v "$voice" -s 160 -w "$out/$1.wav" "$2"; }
say welcome "Welcome to the conference service."
say enter_room "Please enter the room number, followed by the hash key."
say enter_pin "Please enter your PIN, followed by the hash key."
say pin_wrong "That PIN is not correct."
say room_unknown "There is no such room."
say joining "You are now joining the conference."
say to_operator "Please hold, an operator will be with you shortly."
say only_participant "You are the only participant."
say enter_number "Enter the number to invite, followed by the hash key."
