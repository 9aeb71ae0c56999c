#!/usr/bin/env bash
# Long soundness campaign (issue 10, item 5): >= 2,000 mutants of the
# corpus's and examples' proved kernels plus random elementwise kernels,
# every proof checked on PoCL, every refutation replayed.
# Usage: bash bench/campaign/run.sh [OUT_DIR]
#   env: SEED (default 2026), MUTANTS (2000), FORMS (400), JOBS (2),
#        DEADLINE (20), TRIALS (2), KSYNTH (build/tools/ksynth/ksynth)
# Runs under nice; summary in OUT_DIR/summary.txt and summary.json; copy
# the counts into bench/RESULTS.md, "Soundness campaign (issue 10)".
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-bench/campaign/out}
SEED=${SEED:-2026}
MUTANTS=${MUTANTS:-2000}
FORMS=${FORMS:-400}
JOBS=${JOBS:-2}
[ "$JOBS" -le 2 ] || JOBS=2   # the machine has 2 cores, shared
KSYNTH=${KSYNTH:-build/tools/ksynth/ksynth}
mkdir -p "$OUT"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "host: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
  echo "git: $(git rev-parse --short HEAD) ($(git log -1 --format=%s | cut -c1-80))"
  echo "seed: $SEED, mutants: $MUTANTS, forms: $FORMS, jobs: $JOBS"
} | tee "$OUT/context.txt"
exec nice -n 10 python3 tests/campaign/campaign.py --ksynth "$KSYNTH" --out "$OUT" \
  --seed "$SEED" --mutants "$MUTANTS" --forms "$FORMS" --jobs "$JOBS" \
  --deadline "${DEADLINE:-20}" --trials "${TRIALS:-2}"
