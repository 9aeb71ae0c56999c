#!/usr/bin/env bash
# Configures and builds ksynth into ${KSYNTH_BUILD:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${KSYNTH_BUILD:-build}
GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
[ -f "$BUILD/CMakeCache.txt" ] || cmake -S . -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD" -j"$(nproc)"
