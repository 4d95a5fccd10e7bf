#!/usr/bin/env bash
# Installs every Debian package libconf needs to build, test and run.
# Idempotent: installs only what is missing, and does nothing when all is there.
# Run as root (or with sudo) on Debian 12 (bookworm).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev
  # libraries (docs/dependencies.md says why each)
  libboost1.81-dev libboost-json1.81-dev libopus-dev libspeexdsp-dev libsrtp2-dev
  libortp-dev libsndfile1-dev libsqlite3-dev libsodium-dev libbctoolbox-dev libbellesip-dev libpq-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libspandsp-dev sip-tester openssl
  espeak-ng sox flite
  # a throw-away PostgreSQL server for the store tests and benchmarks
  postgresql
  # Python bindings
  python3 python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest
  python3-matplotlib python3-setuptools
)

# The long DTMF talk-off run (bench/dtmf/dtmf_talkoff) also uses festival's
# voices and recorded music from game and sound-theme packages (~250 MB);
# LIBCONF_TALKOFF_CORPUS=1 installs them too. Nothing in CI needs them.
if [ "${LIBCONF_TALKOFF_CORPUS:-0}" = "1" ]; then
  packages+=(festival festvox-kallpc16k festvox-us-slt-hts festvox-suopuhe-lj festvox-czech-dita festvox-italp16k
             singularity-music hyperrogue-music drascula-music asc-music fb-music-high sound-theme-freedesktop)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages are present"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
