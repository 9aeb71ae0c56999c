#!/usr/bin/env python3
"""The hard deadline of `ksynth verify` and the self-check of its proofs.

* --deadline is a hard bound: a verification that would run for ever is
  answered unknown (timeout) within deadline + 5 s, with its JSON written
  (--out, never a partial file) and no solver or worker process left behind.
* After a proof, verify runs the compiled kernel on adversarial inputs on
  PoCL: a correct kernel passes (self_check in the JSON); --no-self-check
  skips it; without an OpenCL worker or device it is skipped with a reason.
* A planted verifier bug (KSYNTH_TEST_PLANT_BUG=drop-fneg, test-only) makes
  a wrong kernel "proved": the self-check catches it (exit 6, a bug report
  that `ksynth run --replay` reproduces, never "proved"); without the
  switch the same kernel is refuted.
* `ksynth run --timeout` and `ksynth bench --timeout` hold for a kernel
  that never ends.

usage: selfcheck_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
HT = os.path.join(ROOT, "examples", "hardtanh")
RELU = os.path.join(ROOT, "examples", "relu")


def run(*args, cwd=None, env=None, timeout=120):
    e = dict(os.environ)
    e.pop("KSYNTH_TEST_PLANT_BUG", None)
    e.update(env or {})
    t = time.monotonic()
    p = subprocess.run([KSYNTH, *args], capture_output=True, text=True,
                       cwd=cwd, timeout=timeout, env=e)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t



def processes_mentioning(marker):
    """Processes whose command line holds `marker` (forked solvers keep
    ksynth's command line; the worker's names the job in our temp dir)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(pid)
        except OSError:
            pass
    return found


with tempfile.TemporaryDirectory() as tmp:
    def write(name, text):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def manifest(name, source, kernel, args, n="N"):
        src = write(name + ".cl", source)
        return write(name + ".json", json.dumps({
            "source": src, "launches": [{"kernel": kernel, "args": args,
                                         "global": [n]}]}))

    # --- hard deadline -------------------------------------------------
    # A loop the executor unrolls for ever (the unroll bound is huge).
    spin = manifest("spin", """
__kernel void spin(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float acc = x[i];
  for (uint k = 0; k < 4000000000u; ++k)
    acc = acc * 0.5f + x[(i + k) % n];
  y[i] = acc;
}""", "spin", ["x", "y", "N"])
    spec = os.path.join(HT, "spec.json")
    out = os.path.join(tmp, "spin_verdict.json")
    rc, so, se, secs = run("verify", spec, spin, "--deadline", "3",
                           "--unroll-bound", "4000000000", "--out", out,
                           "--json")
    doc = json.load(open(out)) if os.path.exists(out) else {}
    check("deadline: a never-ending unroll is answered within deadline + 5 s",
          rc == 5 and secs < 8 and doc.get("verdict") == "unknown" and
          doc.get("unknown_kind") == "timeout",
          f"exit {rc} after {secs:.1f} s, {doc.get('reason')} {se[-300:]}")
    print(f"     ({secs:.1f} s: {doc.get('reason')})")
    check("deadline: stdout is the same JSON",
          so.strip() and json.loads(so).get("verdict") == "unknown", so[:200])
    check("deadline: no temporary file left next to --out",
          [f for f in os.listdir(tmp) if ".tmp." in f] == [],
          str(os.listdir(tmp)))

    # A solver query that takes far longer than the deadline (no hunting,
    # a huge per-query timeout; fma(x, z, -0) == x * z bit-blasts into two
    # different multipliers): only the watchdog stops it, from outside,
    # killing the forked solver (and, with --no-fork-solver, Z3 in process).
    mul = write("mul_spec.json", json.dumps({
        "name": "mul",
        "inputs": {"x": {"dtype": "float32", "shape": ["N"]},
                   "z": {"dtype": "float32", "shape": ["N"]}},
        "ops": [{"op": "mul", "inputs": ["x", "z"], "output": "y"}],
        "outputs": ["y"], "shapes": [{"N": 3}]}))
    fmak = manifest("fmak", """
__kernel void fmak(__global const float *x, __global const float *z,
                   __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  y[i] = fma(x[i], z[i], -0.0f);
}""", "fmak", ["x", "z", "y", "N"])
    for extra in ([], ["--no-fork-solver"]):
        out2 = os.path.join(tmp, "fma_verdict.json")
        rc, so, se, secs = run("verify", mul, fmak, "--deadline", "3",
                               "--no-hunt", "--query-timeout-ms", "600000", "--out",
                               out2, *extra)
        doc = json.load(open(out2)) if os.path.exists(out2) else {}
        check(f"deadline: a long solver query {' '.join(extra)} is answered "
              "unknown within deadline + 5 s, JSON written",
              rc == 5 and secs < 8 and doc.get("verdict") == "unknown" and
              doc.get("unknown_kind") == "timeout" and
              doc.get("exit_code") == 5 and
              "hard deadline" in doc.get("reason", "") and
              "verdict: unknown (timeout)" in so and
              doc.get("assumptions", {}).get("shapes") == [{"N": 3}],
              f"exit {rc} after {secs:.1f} s {doc.get('reason')} {se[-300:]}")
        print(f"     ({secs:.1f} s)")
        os.remove(out2) if os.path.exists(out2) else None
    time.sleep(0.5)
    left = processes_mentioning(tmp)
    check("deadline: no solver or worker process outlives ksynth",
          left == [], f"processes {left}")
    for pid in left:  # do not leave them running
        try:
            os.kill(int(pid), 9)
        except OSError:
            pass

    # --- self-check of a proof -----------------------------------------
    rc, so, se, secs = run("verify", "spec.json", "float4.json", "--json",
                           cwd=HT)
    doc = json.loads(so) if so.strip() else {}
    sc = doc.get("self_check", {})
    check("self-check passes on a correct proved kernel",
          rc == 0 and doc.get("verdict") == "proved" and
          sc.get("status") == "passed" and sc.get("inputs", 0) >= 2 and
          sc.get("elements", 0) > 0 and sc.get("device") and
          sc.get("program") == "binary", f"exit {rc} {sc} {se[-300:]}")
    print(f"     (self-check of hardtanh/float4: {sc.get('seconds')} s, "
          f"verify total {secs:.2f} s)")
    check("self-check time is recorded and bounded",
          0 < sc.get("seconds", 0) < 10, str(sc.get("seconds")))
    rc, so, _, _ = run("verify", "spec.json", "float4.json", cwd=HT)
    check("self-check line in the text verdict",
          rc == 0 and "self-check: passed" in so, so[:400])

    rc, so, _, _ = run("verify", "spec.json", "float4.json", "--json",
                       "--no-self-check", cwd=HT)
    sc = json.loads(so).get("self_check", {}) if so.strip() else {}
    check("--no-self-check skips it", rc == 0 and sc.get("status") ==
          "skipped" and "--no-self-check" in sc.get("reason", ""), str(sc))

    rc, so, _, _ = run("verify", "spec.json", "identity_cheat.json", "--json",
                       cwd=HT)
    sc = json.loads(so).get("self_check", {}) if so.strip() else {}
    check("refutations are not self-checked", rc == 10 and
          sc.get("status") == "skipped", str(sc))

    rc, so, _, _ = run("verify", "spec.json", "scalar.json", "--json",
                       cwd=HT, env={"KSYNTH_WORKER": "/nonexistent/worker"})
    doc = json.loads(so) if so.strip() else {}
    sc = doc.get("self_check", {})
    check("no worker: proved, self-check skipped with the reason",
          rc == 0 and sc.get("status") == "skipped" and
          "worker" in sc.get("reason", ""), f"{rc} {sc}")
    empty_icd = os.path.join(tmp, "no_vendors")
    os.mkdir(empty_icd)
    rc, so, se, _ = run("verify", "spec.json", "scalar.json", "--json",
                        cwd=HT, env={"OCL_ICD_VENDORS": empty_icd,
                                     "OPENCL_VENDOR_PATH": empty_icd})
    doc = json.loads(so) if so.strip() else {}
    sc = doc.get("self_check", {})
    check("no OpenCL device: proved, self-check skipped with the reason",
          rc == 0 and sc.get("status") == "skipped" and sc.get("reason"),
          f"{rc} {sc} {se[-200:]}")

    # A shape too large to run (over 2^20 elements): skipped, and said so.
    rc, so, _, _ = run("verify", os.path.join(RELU, "spec.json"),
                       os.path.join(RELU, "relu.json"), "--shape",
                       "N=2097152", "--json")
    sc = json.loads(so).get("self_check", {}) if so.strip() else {}
    check("a shape too large to run: proved, self-check skipped, shape named",
          rc == 0 and sc.get("status") == "skipped" and
          "N=2097152" in sc.get("reason", ""), f"{rc} {sc}")

    # A range domain: the self-check never leaves it (a kernel that is
    # wrong only outside the domain is proved and passes).
    rng = write("range_spec.json", json.dumps({
        "name": "relu_range",
        "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
        "ops": [{"op": "relu", "inputs": ["x"], "output": "y"}],
        "outputs": ["y"], "domain": {"x": {"range": [0, 10]}},
        "shapes": [{"N": 5}]}))
    rk = manifest("range_k", """
__kernel void rk(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = (v > 10.0f || v < 0.0f) ? 42.0f : v;
}""", "rk", ["x", "y", "N"])
    rc, so, se, _ = run("verify", rng, rk, "--json")
    sc = json.loads(so).get("self_check", {}) if so.strip() else {}
    check("range domain: only values inside are tried",
          rc == 0 and sc.get("status") == "passed", f"{rc} {sc} {se[-300:]}")

    # --- planted verifier bug ------------------------------------------
    neg = manifest("relu_neg", """
// WRONG: returns -v for v >= 0 (relu returns v).
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = v < 0.0f ? 0.0f : -v;
}""", "relu", ["x", "y", "N"])
    rspec = os.path.join(RELU, "spec.json")
    rc, so, _, _ = run("verify", rspec, neg, "--json")
    doc = json.loads(so) if so.strip() else {}
    check("without the planted bug the wrong kernel is refuted",
          rc == 10 and doc.get("verdict") == "refuted", f"{rc}")
    out3 = os.path.join(tmp, "planted.json")
    rc, so, se, _ = run("verify", rspec, neg, "--out", out3,
                        env={"KSYNTH_TEST_PLANT_BUG": "drop-fneg"})
    doc = json.load(open(out3)) if os.path.exists(out3) else {}
    sc = doc.get("self_check", {})
    report = sc.get("bug_report", "")
    check("planted bug: the false proof is caught (exit 6, never proved)",
          rc == 6 and "verdict: proved" not in so and
          doc.get("verdict") != "proved" and doc.get("exit_code") == 6 and
          sc.get("status") == "failed" and
          doc.get("unknown_kind") == "inconsistent",
          f"exit {rc} {doc.get('verdict')} {sc} {so[:300]}")
    check("planted bug: stderr names the internal error and the report",
          "internal error" in se and report and report in se, se[-400:])
    rep = json.load(open(report)) if report and os.path.exists(report) else {}
    cx = rep.get("counterexample", {})
    check("planted bug: the bug report holds inputs and both values",
          cx.get("obligation") == "equivalence" and
          cx.get("reference", {}).get("bits") !=
          cx.get("candidate", {}).get("bits") and
          len(cx.get("inputs", {}).get("x", {}).get("bits", [])) ==
          cx.get("shape", {}).get("N") and rep.get("kernel_source"),
          str(rep)[:400])
    check("planted bug: the report and the verdict name the element",
          cx.get("reference", {}).get("bits", "?") in sc.get("reason", ""),
          sc.get("reason", ""))
    if report:
        rc, so, se, _ = run("run", rspec, neg, "--replay", report)
        check("planted bug: `ksynth run --replay REPORT` reproduces it",
              rc == 10, f"exit {rc} {so[-300:]} {se[-200:]}")
    rc, so, _, _ = run("verify", rspec, neg, "--no-self-check",
                       env={"KSYNTH_TEST_PLANT_BUG": "drop-fneg"})
    check("planted bug: without the self-check it would be proved "
          "(the switch works)", rc == 0, f"exit {rc}")

    # A kernel wrong at one value only (a constant of the kernel): the
    # self-check tries the kernel's constants, so the planted bug's false
    # proof is caught there too.
    one = manifest("relu_one", """
__kernel void relu(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  float v = x[i];
  y[i] = v < 0.0f ? 0.0f : (v == 6.0000005f ? -v : v);
}""", "relu", ["x", "y", "N"])
    rc, so, se, _ = run("verify", rspec, one, "--json",
                        env={"KSYNTH_TEST_PLANT_BUG": "drop-fneg"})
    doc = json.loads(so) if so.strip() else {}
    check("planted bug: a kernel wrong at one constant is caught",
          rc == 6 and doc.get("self_check", {}).get("status") == "failed" and
          "0x40c00001" in doc.get("reason", ""),
          f"exit {rc} {doc.get('reason')}")
    for f in [doc.get("self_check", {}).get("bug_report")]:
        if f and os.path.exists(f):
            os.remove(f)

    # --- run --timeout holds --------------------------------------------
    hang = manifest("hang", """
__kernel void hang(__global const float *x, __global float *y, int n) {
  int i = get_global_id(0);
  if (i >= n) return;
  volatile int k = 0;
  while (k >= 0) k = (k + 1) & 0x7fff;
  y[i] = x[i];
}""", "hang", ["x", "y", "N"])
    rc, so, se, secs = run("run", spec, hang, "--timeout", "3", "--shape",
                           "N=67")
    check("run --timeout 3 holds for a kernel that never ends",
          rc == 7 and secs < 8, f"exit {rc} after {secs:.1f} s {so[-200:]}")
    rc, so, se, secs = run("bench", spec, hang, "--timeout", "3", "--shape",
                           "N=67")
    check("bench --timeout 3 holds for a kernel that never ends",
          rc == 7 and secs < 8, f"exit {rc} after {secs:.1f} s {so[-200:]}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
