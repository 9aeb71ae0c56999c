#!/usr/bin/env bash
# Installs dependencies, builds ksynth, then:
#  1. ksynth synth on the bundled example examples/synth_chain (hardtanh(x *
#     a + b)) with the built-in generator on PoCL: candidates are verified,
#     only the proven ones timed; the report (build/synth-out/report.md,
#     report.json, chart.svg) and the best kernel (best.cl,
#     best.json) are written. Under a minute on 2 cores.
#  2. ksynth verify on the bundled HardTanh candidates: a correct float4
#     kernel (proved) and the identity cheat (refuted with a counterexample).
#  3. ksynth import of the same HardTanh as a KernelBench-style PyTorch
#     file (examples/pytorch_hardtanh), and the identity cheat refuted
#     against the model file itself.
# Installs the Python environment with PyTorch too (scripts/install-python.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
bash scripts/install-python.sh || exit 1
bash scripts/build.sh || exit 1
K=build/tools/ksynth/ksynth
OUT=${SYNTH_OUT:-build/synth-out}
echo "== ksynth synth examples/synth_chain/spec.json --out $OUT -j 2 --candidates 6 --budget 45"
start=$(date +%s)
$K synth examples/synth_chain/spec.json --out "$OUT" -j 2 --candidates 6 --budget 45
synth=$?
echo "(took $(( $(date +%s) - start )) s; report: $OUT/report.md)"
speedup=$(python3 -c "
import json, sys
r = json.load(open('$OUT/report.json'))
b = [c for c in r['candidates'] if c['id'] == r['best']]
print(b[0].get('speedup_over_naive', 0) if b and b[0]['verdict'] == 'proved' else 0)" 2>/dev/null || echo 0)
echo
echo "== ksynth verify examples/hardtanh/spec.json examples/hardtanh/float4.json"
$K verify examples/hardtanh/spec.json examples/hardtanh/float4.json
proved=$?
echo
echo "== ksynth verify examples/hardtanh/spec.json examples/hardtanh/identity_cheat.json"
$K verify examples/hardtanh/spec.json examples/hardtanh/identity_cheat.json
refuted=$?
echo
echo "== ksynth import examples/pytorch_hardtanh/model.py (a KernelBench-style PyTorch file)"
$K import examples/pytorch_hardtanh/model.py
imported=$?
echo
echo "== ksynth verify examples/pytorch_hardtanh/model.py examples/pytorch_hardtanh/identity_cheat.json"
$K verify examples/pytorch_hardtanh/model.py examples/pytorch_hardtanh/identity_cheat.json
refuted_py=$?
echo
echo "exit codes: synth $synth (0 = a proven kernel found; ${speedup}x over the naive lowering), float4 $proved (0 = proved), identity cheat $refuted (10 = refuted)," \
  "import $imported (0), identity cheat against the PyTorch model $refuted_py (10)"
[ "$synth" -eq 0 ] && python3 -c "import sys; sys.exit(0 if float('$speedup') > 1 else 1)" &&
  [ "$proved" -eq 0 ] && [ "$refuted" -eq 10 ] && [ "$imported" -eq 0 ] && [ "$refuted_py" -eq 10 ]
