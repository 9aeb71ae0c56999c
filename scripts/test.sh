#!/usr/bin/env bash
# The whole test suite: installs dependencies (and the project's Python
# environment with PyTorch), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/install-python.sh  # PyTorch for the import tests (issue 13)
bash scripts/build.sh
ctest --test-dir "${KSYNTH_BUILD:-build}" --output-on-failure -j"$(nproc)" "$@"
