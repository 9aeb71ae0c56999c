#!/usr/bin/env python3
"""Peak memory and wall time of `ksynth verify` (default options) on the
largest bundled problems (issue 17; bench/RESULTS.md, "Peak memory").

usage: python3 bench/limits_bench.py [--ksynth PATH] [PROBLEM_DIR ...]
Each candidate of each problem's candidates.json runs once in a fresh
process; prints one Markdown table row per run."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "cli"))
import peakmem  # noqa: E402

DEFAULT = ["examples/sigmoid", "examples/hardtanh",
           "bench/issue4/large_matmul_tiled_local",
           "bench/issue4/large_matmul_long_k",
           "bench/issue4/large_argmax_rows",
           "bench/issue4/large_reduce_sum_long_rows"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksynth", default="build/tools/ksynth/ksynth")
    ap.add_argument("--only", default="", help="candidate name filter")
    ap.add_argument("dirs", nargs="*", default=DEFAULT)
    a = ap.parse_args()
    print("| problem | candidate | shapes | verdict | exit | wall s | "
          "ksynth peak MB (ru_maxrss) | tree peak MB (sampled) |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: |")
    for d in a.dirs:
        cands = json.load(open(os.path.join(d, "candidates.json")))
        for c in cands["candidates"]:
            if a.only and a.only not in c["name"]:
                continue
            spec = os.path.join(d, c["spec"])
            shapes = json.load(open(spec)).get("shapes", [])
            largest = max(shapes, key=lambda s: eval("*".join(
                str(v) for v in s.values()) or "1")) if shapes else {}
            r = peakmem.run([a.ksynth, "verify", spec,
                             os.path.join(d, c["manifest"]), "--json"],
                            timeout=900)
            try:
                j = json.loads(r["stdout"])
                v = j["verdict"] + (f" ({j['unknown_kind']})"
                                    if j.get("unknown_kind") else "")
            except Exception:
                v = "no JSON"
            print(f"| {os.path.basename(d)} | {c['name']} | "
                  f"{', '.join(f'{k}={x}' for k, x in largest.items())} | "
                  f"{v} | {r['rc']} | {r['wall_s']:.2f} | "
                  f"{r['maxrss_mb']:.0f} | {r['peak_tree_mb']:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
