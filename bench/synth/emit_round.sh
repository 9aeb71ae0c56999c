#!/usr/bin/env bash
# Round 1 of the `ksynth synth` GPU benchmark (issue 14), here: for every
# problem of bench/synth/problems/, generate and verify candidates and write
# the proven ones as bench jobs for the GPU machine
# (.carry/synth/<problem>/jobs/, round.json beside them).
#
#   bash bench/synth/emit_round.sh [PROBLEM...]
#   DEVICE=nvidia   device selection written into the jobs
#   BUDGET=120      seconds per problem (verification here)
#   J=2             parallel verifications
#   SUMMARIZE=512   verify's --summarize-above (loops of 512 iterations or
#                   more proved by induction: a 2048-long dot product is
#                   one arbitrary iteration, not 2048 unrolled terms)
# Then on the GPU machine: bash bench/synth/run_on_gpu_suite.sh, and back
# here: python3 bench/synth/collect.py OUT_DIR (bench/synth/README.md).
set -uo pipefail
cd "$(dirname "$0")/../.."
K=build/tools/ksynth/ksynth
DEVICE=${DEVICE:-nvidia}
BUDGET=${BUDGET:-120}
J=${J:-2}
SUMMARIZE=${SUMMARIZE:-512}
[ -d bench/synth/problems ] || python3 bench/synth/make_suite.py
names=("$@")
[ ${#names[@]} -eq 0 ] && names=($(ls bench/synth/problems | sed 's/\.json$//'))
mkdir -p .carry/include .carry/synth build/synth-bench
[ -d .carry/include/nlohmann ] || cp -r /usr/include/nlohmann .carry/include/
for n in "${names[@]}"; do
  echo "== $n"
  rm -rf ".carry/synth/$n"
  $K synth "bench/synth/problems/$n.json" --device "$DEVICE" -j "$J" \
    --budget "$BUDGET" --emit-round ".carry/synth/$n" \
    --out "build/synth-bench/$n" --iters 100 --warmup 3 --rotate 4 \
    --timeout 300 --summarize-above "$SUMMARIZE" </dev/null
  echo "   exit $? ($(ls ".carry/synth/$n/jobs" 2>/dev/null | wc -l) jobs)"
done
