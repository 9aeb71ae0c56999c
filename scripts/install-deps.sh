#!/usr/bin/env bash
# Installs every build and test dependency of ksynth on Debian 12.
# Idempotent: packages already present are left alone.
set -euo pipefail
PKGS=(build-essential cmake ninja-build ccache pkg-config python3
      llvm-15-dev clang-15 libclang-15-dev
      libz3-dev z3 cvc5 libcvc5-dev
      ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd clinfo
      nlohmann-json3-dev libcurl4-openssl-dev libboost-graph-dev libgtest-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
