#!/usr/bin/env python3
"""A/B of two ksynth builds over the bench/issue4 candidates (issue 11's
"not more than 10% slower" bar): each candidate verified 3 times by each
build, interleaved per candidate (A B, B A, A B) so that both see the same
machine load, a fresh process per run, the median of 3 per candidate; the
verdict, the deciding levels of the equivalence obligations and the exit
code must be the same for both builds.

    python3 bench/ab_bench.py KSYNTH_A KSYNTH_B REPO_ROOT
"""
import json, glob, os, subprocess, sys, time, statistics
A, B, ROOT = sys.argv[1], sys.argv[2], sys.argv[3]
rows = []
for f in sorted(glob.glob(os.path.join(ROOT, "bench/issue4/*/candidates.json"))):
    d = json.load(open(f)); base = os.path.dirname(f)
    for c in d["candidates"]:
        times = {A: [], B: []}; verd = {A: set(), B: set()}
        for order in ([A, B], [B, A], [A, B]):
            for k in order:
                t0 = time.monotonic()
                p = subprocess.run([k, "verify", os.path.join(base, c["spec"]), os.path.join(base, c["manifest"]),
                                    "--json", "--query-timeout-ms", "10000", "--no-self-check"],
                                   capture_output=True, text=True, timeout=900)
                times[k].append(time.monotonic() - t0)
                try:
                    v = json.loads(p.stdout)
                    lv = sorted({o.get("level") for o in v.get("obligations", []) if o.get("name") == "equivalence" and o.get("level")})
                    verd[k].add((v.get("verdict"), tuple(lv), p.returncode))
                except ValueError:
                    verd[k].add(("no-json", (), p.returncode))
        ma, mb = statistics.median(times[A]), statistics.median(times[B])
        rows.append((d["problem"] + "/" + c["name"], ma, mb, verd[A] == verd[B], verd[A], verd[B]))
        print(f"{rows[-1][0]:40} {ma:7.2f} {mb:7.2f} {'same' if rows[-1][3] else 'DIFF'} {sorted(verd[A])} {sorted(verd[B])}", flush=True)
ta, tb = sum(r[1] for r in rows), sum(r[2] for r in rows)
print(f"total A {ta:.1f} B {tb:.1f} B/A {tb/ta:.3f}; median A {statistics.median([r[1] for r in rows]):.3f} B {statistics.median([r[2] for r in rows]):.3f}; diffs {sum(not r[3] for r in rows)} of {len(rows)}")
