#!/usr/bin/env bash
# Creates the project's Python virtual environment (PyTorch and numpy from
# PyPI) for `ksynth import` and the PyTorch front-end tests. Idempotent: a
# marker file records what was installed, and a second run does nothing.
#
#   venv: $KSYNTH_VENV if set (e.g. an existing environment with torch),
#         else <repo>/.venv, created with Debian's /usr/bin/python3.
#   ksynth finds it as $KSYNTH_PYTHON, else $KSYNTH_VENV/bin/python, else
#   <repo>/.venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${KSYNTH_VENV:-$PWD/.venv}
MARKER="$VENV/.ksynth-python"
WANT="ksynth-python 1: torch numpy"
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT" ] && [ -x "$VENV/bin/python" ]; then
  echo "install-python: $VENV ready"
  exit 0
fi
# An environment given by KSYNTH_VENV that already has torch and numpy is
# used as is (and not written to: it may be shared).
if [ -n "${KSYNTH_VENV:-}" ] && [ -x "$VENV/bin/python" ] &&
  compgen -G "$VENV/lib/python3*/site-packages/torch/__init__.py" >/dev/null &&
  compgen -G "$VENV/lib/python3*/site-packages/numpy/__init__.py" >/dev/null; then
  echo "install-python: $VENV (KSYNTH_VENV) has torch and numpy"
  exit 0
fi
PKGS=(python3 python3-venv python3-pip)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "install-python: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv "$VENV"
echo "install-python: pip install torch numpy into $VENV (from PyPI)"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check torch numpy
"$VENV/bin/python" -c "import torch, numpy"
echo "$WANT" >"$MARKER"
echo "install-python: $VENV has torch $("$VENV/bin/python" -c 'import torch; print(torch.__version__)')"
