#!/usr/bin/env python3
"""Unknown verdicts that say what happened, in the user's language
(issue 11 findings):

(a) a solver timeout is an unknown of kind `timeout` (the unit test
    InductionTimeout in tests/unit/verify, where only the induction's
    queries are given a tiny budget);
(b) reasons name inputs and elements, never an internal variable
    (`stale:y[0]` once came out of a kl_div kernel with an explicit zero
    guard, whose rounding level failed on the output's never-written
    contents);
(c) a spec whose op has no symbolic-index form, at about 2M work-items and
    16M input elements, is too large to enumerate: the method choice
    answers unknown (too-large, naming the limit) before making a variable
    per element, quickly and in little memory.

usage: unknown_reasons_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORPUS = os.path.join(ROOT, "tests", "corpus")



def verify(spec, manifest, *extra, timeout=300):
    t0 = time.monotonic()
    p = subprocess.run([KSYNTH, "verify", spec, manifest, "--json",
                        "--no-self-check", *extra],
                       capture_output=True, text=True, timeout=timeout)
    wall = time.monotonic() - t0
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    print(f"     exit {p.returncode}, {wall:.1f} s: {doc.get('verdict')} "
          f"({doc.get('unknown_kind')}) {doc.get('reason')}")
    return p.returncode, doc, wall


INTERNAL = re.compile(r"stale:|approx#|nd#|cover#|summary-state#|\bin:|"
                      r"real:|\bgid['.]|\bgrp['.]|\[@\d")


def main():
    tmp = tempfile.mkdtemp(prefix="ksynth-unknown-reasons-")

    # (b) The user's names in the reason.
    src = os.path.join(tmp, "kl_div_zero_guard.cl")
    with open(src, "w", encoding="utf-8") as f:
        f.write("""
__kernel void kl_div(__global const float *x, __global const float *t,
                     __global float *y, int B, int N) {
  float s = 0.0f;
  for (int i = 0; i < B * N; ++i) {
    float ti = t[i];
    s += (ti == 0.0f ? 0.0f : ti * log(ti)) - ti * x[i];
  }
  y[0] = s / (float)B;
}
""")
    man = os.path.join(tmp, "kl_div.json")
    with open(man, "w", encoding="utf-8") as f:
        json.dump({"source": src, "launches": [{
            "kernel": "kl_div", "args": ["x", "t", "y", "B", "N"],
            "global": ["1"]}],
            "build_options": ["-cl-fp32-correctly-rounded-divide-sqrt"]}, f)
    rc, doc, _ = verify(os.path.join(CORPUS, "specs",
                                     "kl_div_batchmean.json"), man)
    reason = doc.get("reason") or ""
    check("(b) kl_div with a zero guard: a verdict", rc in (0, 5, 10),
          f"exit {rc}")
    check("(b) no internal variable name in the reason",
          not INTERNAL.search(reason), reason)

    # (c) Too large to enumerate, said before starting.
    spec = os.path.join(tmp, "cumprod_large.json")
    with open(spec, "w", encoding="utf-8") as f:
        json.dump({
            "name": "cumprod along rows of 8 at 2^21 rows (no symbolic-index "
                    "form: enumeration only)",
            "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
            "ops": [{"op": "cumprod", "inputs": ["x"], "output": "y",
                     "attrs": {"dim": 1}}],
            "outputs": ["y"],
            "domain": {"x": {"range": [-2.0, 2.0]}},
            "shapes": [{"M": 2097152, "N": 8}],
            "tolerance": {"atol": 1e-05, "rtol": 1e-05}}, f)
    src = os.path.join(tmp, "cumprod.cl")
    with open(src, "w", encoding="utf-8") as f:
        f.write("""
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float p = 1.0f;
  for (int j = 0; j < N; ++j) {
    p *= x[r * N + j];
    y[r * N + j] = p;
  }
}
""")
    man = os.path.join(tmp, "cumprod.json")
    with open(man, "w", encoding="utf-8") as f:
        json.dump({"source": src, "launches": [{
            "kernel": "k", "args": ["x", "y", "N"], "global": ["M"]}]}, f)
    rc, doc, wall = verify(spec, man, "--max-memory", "2000", timeout=120)
    reason = doc.get("reason") or ""
    check("(c) unknown too-large", rc == 5 and
          doc.get("unknown_kind") == "too-large",
          f"exit {rc}, {doc.get('unknown_kind')}")
    check("(c) the reason names the enumeration limit",
          "4194304" in reason and "enumerated" in reason, reason)
    check("(c) answered before enumerating (under 30 s)", wall < 30,
          f"{wall:.1f} s")

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
