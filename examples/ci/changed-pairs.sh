#!/usr/bin/env bash
# Prints the gate arguments (folders with a candidates.json, corpus .cl
# files) that cover the changed files given on stdin, one per line: a
# changed .cl with an '// EXPECT:' header is a pair itself; any other
# changed file selects the nearest folder above it holding a
# candidates.json or ksynth-pairs.json. Used by gate.yml and pre-commit.
set -euo pipefail
declare -A seen
while IFS= read -r f; do
  [ -n "$f" ] || continue
  [ -e "$f" ] || continue # deleted
  if [[ "$f" == *.cl ]] && head -n 20 "$f" | grep -q '^// *EXPECT:'; then
    out="$f"
  else
    d=$(dirname "$f")
    out=""
    while :; do
      if [ -f "$d/candidates.json" ] || [ -f "$d/ksynth-pairs.json" ]; then
        out="$d"
        break
      fi
      [ "$d" = "." ] || [ "$d" = "/" ] && break
      d=$(dirname "$d")
    done
  fi
  if [ -n "$out" ] && [ -z "${seen[$out]:-}" ]; then
    seen[$out]=1
    echo "$out"
  fi
done
