#!/usr/bin/env python3
"""Second solver benchmark (issue 12 item 3): the same dumped solver queries
decided by the Z3 back end alone, the cvc5 back end alone and the portfolio
(both at once, first definite answer wins).

Step 1 (--dump): runs `ksynth verify --dump-smt` (Z3, the default) on the
named bench candidates and keeps the queries Z3 took at least --min-seconds
on (their `; result:` line), or did not decide.
Step 2: runs the driver in the solver unit tests
(SolverBench.DISABLED_DumpedQueries in tests/unit/solver/SolverBenchDriver.cpp)
on those queries: each back end fresh, no cache, no hunting, the portfolio
with every query hard, --timeout-ms per query; prints a Markdown table.

usage: solver_bench.py --build build --queries DIR [--dump CAND ...]
       [--root bench/issue4] [--timeout-ms 20000] [--min-seconds 1]
CAND: problem/candidate, e.g. reduce_max_dim1/correct.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def dump(args):
    os.makedirs(args.queries, exist_ok=True)
    for cand in args.dump:
        problem, name = cand.split("/")
        pdir = os.path.join(args.root, problem)
        tmp = os.path.join(args.queries, "_dump")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        subprocess.run([os.path.join(args.build, "tools/ksynth/ksynth"),
                        "verify", "spec.json", name + ".json", "--json",
                        "--no-self-check", "--query-timeout-ms",
                        str(args.timeout_ms), "--dump-smt", tmp],
                       cwd=pdir, capture_output=True, timeout=1800)
        for f in sorted(os.listdir(tmp)):
            text = open(os.path.join(tmp, f)).read()
            m = re.search(r"^; result: (\w+)(?: \(.*?\))? ([0-9.]+) s", text,
                          re.M)
            undecided = m is None or m.group(1) == "unknown"
            if undecided or float(m.group(2)) >= args.min_seconds:
                shutil.copy(os.path.join(tmp, f), os.path.join(
                    args.queries, f"{problem}__{name}__{f}"))
        shutil.rmtree(tmp)


def run(args):
    env = dict(os.environ, KSYNTH_SOLVER_BENCH_DIR=os.path.abspath(
        args.queries), KSYNTH_SOLVER_BENCH_MS=str(args.timeout_ms))
    p = subprocess.run([os.path.join(args.build, "tests/solver_tests"),
                        "--gtest_also_run_disabled_tests",
                        "--gtest_filter=SolverBench.DISABLED_DumpedQueries"],
                       env=env, capture_output=True, text=True)
    rows = [line.split()[1:] for line in p.stdout.splitlines()
            if line.startswith("BENCH ")]
    if p.returncode != 0 or not rows:
        sys.stderr.write(p.stdout[-3000:] + p.stderr[-3000:])
        return 2
    print("| query | Z3 | cvc5 | portfolio | decided by |")
    print("|---|---|---|---|---|")
    tot = [0.0, 0.0, 0.0]
    for r in rows:
        # file z3 ans s cvc5 ans s portfolio ans s who
        cells = []
        for k, i in enumerate((1, 4, 7)):
            cells.append(f"{r[i+1]} {float(r[i+2]):.2f} s")
            tot[k] += float(r[i + 2])
        print(f"| {r[0]} | " + " | ".join(cells) + f" | {r[10]} |")
    print(f"| **total** | {tot[0]:.1f} s | {tot[1]:.1f} s | {tot[2]:.1f} s | |")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--root", default="bench/issue4")
    ap.add_argument("--queries", required=True)
    ap.add_argument("--dump", nargs="*", default=[])
    ap.add_argument("--timeout-ms", type=int, default=20000)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    if args.dump:
        dump(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
