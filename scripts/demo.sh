#!/usr/bin/env bash
# Installs dependencies, builds ksynth and verifies the bundled HardTanh
# candidates: a correct float4 kernel (proved) and the identity cheat
# (refuted with a counterexample).
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
echo "exit codes: float4 $proved (0 = proved), identity cheat $refuted (10 = refuted)"
[ "$proved" -eq 0 ] && [ "$refuted" -eq 10 ]
