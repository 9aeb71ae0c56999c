#!/usr/bin/env python3
"""Back from the GPU machine: `ksynth synth --resume` every problem with its
results.json, then the table of the `ksynth synth` benchmark (issue 14): per
problem the best proven kernel's device time beside PyTorch eager and
torch.compile (same run), the speedups, their geometric means, and fast_1
(share of problems with a proven kernel faster than eager). A problem
without a proven, timed kernel counts as a failure (speedup 0 for fast_1,
left out of the geometric mean and listed), never as 1.0x.

usage: python3 bench/synth/collect.py GPU_OUT_DIR [--ksynth K]
"""
import argparse
import json
import math
import os
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("gpu_out")
ap.add_argument("--ksynth", default="build/tools/ksynth/ksynth")
a = ap.parse_args()
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
rows, failed = [], []
for n in sorted(os.listdir(os.path.join(root, "bench/synth/problems"))):
    n = n[:-5]
    res = os.path.join(a.gpu_out, n, "results.json")
    rnd = os.path.join(root, ".carry/synth", n)
    if not os.path.exists(res) or not os.path.exists(os.path.join(rnd, "round.json")):
        failed.append((n, "no round or no results"))
        continue
    out = os.path.join(root, "build/synth-bench", n + "-resumed")
    subprocess.run([a.ksynth, "synth", f"bench/synth/problems/{n}.json",
                    "--resume", rnd, "--results", res, "--out", out],
                   cwd=root, capture_output=True)
    rep = json.load(open(os.path.join(out, "report.json")))
    best = [c for c in rep["candidates"] if c["id"] == rep.get("best")]
    torch = rep.get("pytorch_us", {})
    if not best:
        failed.append((n, "no proven kernel timed"))
        continue
    b = best[0]
    rows.append((n, b["id"], b["kind"], b["device_us"]["median"],
                 torch.get("eager"), torch.get("compile")))

print(f"{'problem':28} {'best':6} {'kind':14} {'us':>10} {'eager':>10} {'compile':>10} {'vs eager':>8} {'vs compile':>10}")
se, sc = [], []
for n, i, k, us, e, c in rows:
    ve = e / us if e else None
    vc = c / us if c else None
    se += [ve] if ve else []
    sc += [vc] if vc else []
    print(f"{n:28} {i:6} {k:14} {us:10.1f} {e or 0:10.1f} {c or 0:10.1f} "
          f"{(f'{ve:.2f}x' if ve else '-'):>8} {(f'{vc:.2f}x' if vc else '-'):>10}")
total = len(rows) + len(failed)
geo = lambda v: math.exp(sum(map(math.log, v)) / len(v)) if v else 0
print(f"\n{len(rows)} of {total} problems with a proven, timed kernel; failures: "
      + (", ".join(f"{n} ({w})" for n, w in failed) or "none"))
print(f"geometric mean over eager {geo(se):.2f}x, over torch.compile {geo(sc):.2f}x "
      f"(problems with a kernel); fast_1 {sum(1 for v in se if v > 1) / max(total, 1):.2f}")
