#!/usr/bin/env bash
# Installs dependencies (and the Python environment with PyTorch), builds
# ksynth and verifies the bundled HardTanh candidates: a correct float4
# kernel (proved) and the identity cheat (refuted with a counterexample),
# then imports the same problem as a KernelBench-style PyTorch file and
# refutes the identity cheat against it.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
bash scripts/install-python.sh || exit 1
bash scripts/build.sh || exit 1
K=build/tools/ksynth/ksynth
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
echo "exit codes: float4 $proved (0 = proved), identity cheat $refuted (10 = refuted)," \
  "import $imported (0), identity cheat against the PyTorch model $refuted_py (10)"
[ "$proved" -eq 0 ] && [ "$refuted" -eq 10 ] && [ "$imported" -eq 0 ] && [ "$refuted_py" -eq 10 ]
