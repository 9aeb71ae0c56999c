#!/usr/bin/env bash
# On the GPU machine (the device tool's `run`, with .carry/ carried): runs
# every problem's emitted jobs with bench/gpu/run_on_gpu.sh (REPEAT runs
# each, PyTorch eager and torch.compile measured in the same run, same
# flush, rotation and event method) into $OUT/<problem>/.
#   bash bench/synth/run_on_gpu_suite.sh [PROBLEM...]
#   TAR=FILE   also write FILE (tar.gz of every result so far) after each problem
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=${OUT:-/tmp/ksynth-synth-gpu}
names=("$@")
[ ${#names[@]} -eq 0 ] && names=($(ls .carry/synth))
for n in "${names[@]}"; do
  spec=bench/synth/problems/$n.json
  [ -d ".carry/synth/$n/jobs" ] || { echo "== $n: no jobs (no proven candidate)"; continue; }
  # the deployment shape is the spec's last; name one symbol of it
  shape=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['shapes'][-1]; k=sorted(s)[0]; print(f'{k}={s[k]}')" "$spec")
  echo "== $n ($shape)"
  # A fresh results folder per problem (the worker is built once).
  rm -rf /tmp/ksynth-gpu/results /tmp/ksynth-gpu/runs
  OUT="$ROOT/$n" KEEP_WORKER=1 bash bench/gpu/run_on_gpu.sh ".carry/synth/$n/jobs" "$spec" "$shape"
  # One archive of everything so far (the device tool returns few files).
  [ -n "${TAR:-}" ] && tar czf "$TAR" -C "$ROOT" .
done
