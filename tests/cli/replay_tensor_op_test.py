#!/usr/bin/env python3
"""`ksynth run --replay` of a counterexample of a tensor op (matmul).

The soundness campaign found `run --replay` killed by SIGSEGV on matmul
mutants: the report describes, for each mismatching output element, the
inputs "at that element" by broadcasting the output index into each input,
which for a matmul's A and B is meaningless and fell outside them. Now
only inputs that broadcast to the output are described. Asserted: a wrong
matmul (a*b turned into a+b) is refuted, the replay ends with exit 10 and
a JSON report whose mismatching elements name no matmul input; repeated
with a fresh PoCL kernel cache (the crash showed on a cache miss).

usage: replay_tensor_op_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SPEC = os.path.join(ROOT, "tests", "corpus", "specs", "matmul_long_k.json")
KERNEL = """
__kernel void mm(__global const float *a, __global const float *b,
                 __global float *c, int M, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  if (i >= M || j >= N)
    return;
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += a[i * K + k] + b[k * N + j];  // bug: + where * belongs
  c[i * N + j] = acc;
}
"""



def elements(report):
    """Every element report (dict with "inputs") anywhere in the JSON."""
    out = []

    def walk(v):
        if isinstance(v, dict):
            if "inputs" in v and "flat_index" in v:
                out.append(v)
            for w in v.values():
                walk(w)
        elif isinstance(v, list):
            for w in v:
                walk(w)

    walk(report)
    return out


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "mm_add.cl")
    open(src, "w").write(KERNEL)
    spec = json.load(open(SPEC))
    spec["shapes"] = [{"M": 64, "K": 16, "N": 48}]
    sp = os.path.join(tmp, "spec.json")
    json.dump(spec, open(sp, "w"))
    mp = os.path.join(tmp, "manifest.json")
    json.dump({"source": src, "launches": [{"kernel": "mm", "args": [
        "a", "b", "c", "M", "K", "N"], "global": ["N", "M"]}]}, open(mp, "w"))
    vp = os.path.join(tmp, "verdict.json")
    p = subprocess.run([KSYNTH, "verify", sp, mp, "--json", "--out", vp,
                        "--no-self-check"], capture_output=True, text=True,
                       timeout=300)
    check("wrong matmul refuted", p.returncode == 10,
          f"exit {p.returncode}: {p.stderr[-300:]}")
    for attempt in range(2):
        env = dict(os.environ, POCL_CACHE_DIR=os.path.join(tmp, f"pocl{attempt}"))
        r = subprocess.run([KSYNTH, "run", sp, mp, "--replay", vp, "--json",
                            "--timeout", "60"], capture_output=True, text=True,
                           timeout=300, env=env)
        check(f"replay {attempt}: exit 10 (the device shows the mismatch)",
              r.returncode == 10, f"exit {r.returncode}: {r.stderr[-300:]}")
        try:
            j = json.loads(r.stdout)
        except ValueError:
            j = None
        check(f"replay {attempt}: JSON report", j is not None, r.stdout[-300:])
        els = elements(j or {})
        check(f"replay {attempt}: mismatching elements reported", len(els) > 0,
              str(j)[:300])
        named = {n for e in els for n in
                 (e["inputs"].keys() if isinstance(e["inputs"], dict)
                  else [x[0] if isinstance(x, list) else x.get("name")
                        for x in e["inputs"]])}
        check(f"replay {attempt}: no matmul input described at an output index",
              not (named & {"a", "b"}), str(named))

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
