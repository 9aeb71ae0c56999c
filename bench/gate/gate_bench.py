#!/usr/bin/env python3
"""Gate throughput and query statistics (issue 15), section "## CI gate
(issue 15)" of bench/RESULTS.md.

1. Throughput: `ksynth gate SET -j JOBS` over the examples, the bench
   problems (bench/issue4) and the corpus (tests/corpus), each with an empty
   proof cache (cold) and again with the cache it filled (warm); pairs per
   minute = pairs / wall time of the gate process.
2. Statistics: `ksynth gate examples --stats FILE` (no cache: every query
   asked), turned into a table per encoding level and solver (queries,
   median / p90 / max seconds, median terms) and a cactus plot PNG (queries
   solved within a time, per level) when matplotlib is importable
   (python3 -m venv build/gate-venv && build/gate-venv/bin/pip install
   matplotlib, then run this script with that python).

    python3 bench/gate/gate_bench.py [--ksynth K] [-j 2] [--write-results]
    python3 bench/gate/gate_bench.py --stats-only FILE.jsonl --png out.png
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
SECTION = "## CI gate (issue 15)"
SETS = [("examples", ["examples"]),
        ("bench problems", ["bench/issue4"]),
        ("corpus", ["tests/corpus"])]


def run_gate(ksynth, paths, cache, jobs, deadline, extra=()):
    rep = tempfile.mktemp(suffix=".json")
    t0 = time.monotonic()
    p = subprocess.run([ksynth, "gate", *paths, "-j", str(jobs), "--quiet",
                        "--cache-dir", cache, "--deadline", str(deadline),
                        "--json", rep, *extra], cwd=ROOT,
                       capture_output=True, text=True)
    wall = time.monotonic() - t0
    doc = json.load(open(rep)) if os.path.exists(rep) else {"pairs": []}
    if os.path.exists(rep):
        os.unlink(rep)
    return p.returncode, wall, doc


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else 0


LEVELS = ["structural", "rounding", "bit-exact"]


def level_key(level):
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def stats_tables(path):
    """Two Markdown tables from a --stats file: the time distribution per
    encoding level and solver, then the queries and seconds per obligation
    and level."""
    rows = [json.loads(line) for line in open(path)]
    head, qs = rows[0], rows[1:]
    groups = {}
    for q in qs:
        groups.setdefault((q.get("level") or "-", q["solver"]), []).append(q)
    lines = ["| level | solver | queries | sat | unsat | unknown | total s | "
             "median s | p90 s | max s | median terms | median variables |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
             "---: | ---: | ---: |"]
    for (level, solver), g in sorted(groups.items(),
                                     key=lambda kv: (level_key(kv[0][0]),
                                                     kv[0])):
        t = [q["seconds"] for q in g]
        lines.append(
            f"| {level} | {solver} | {len(g)} | "
            f"{sum(q['result'] == 'sat' for q in g)} | "
            f"{sum(q['result'] == 'unsat' for q in g)} | "
            f"{sum(q['result'] == 'unknown' for q in g)} | "
            f"{sum(t):.3f} | "
            f"{statistics.median(t):.3f} | {pct(t, 0.9):.3f} | {max(t):.3f} | "
            f"{int(statistics.median(q['terms'] for q in g))} | "
            f"{int(statistics.median(q['variables'] for q in g))} |")
    by_ob = {}
    for q in qs:
        by_ob.setdefault((q.get("obligation") or "-", q.get("level") or "-"),
                         []).append(q)
    lines += ["", "| obligation | level | queries | z3 | cache | total s | "
              "max s |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for (ob, level), g in sorted(by_ob.items(),
                                 key=lambda kv: (kv[0][0],
                                                 level_key(kv[0][1]))):
        t = [q["seconds"] for q in g]
        lines.append(f"| {ob} | {level} | {len(g)} | "
                     f"{sum(q['solver'] == 'z3' for q in g)} | "
                     f"{sum(q['solver'] == 'cache' for q in g)} | "
                     f"{sum(t):.3f} | {max(t):.3f} |")
    return head, qs, "\n".join(lines)


def cactus(qs, png):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(6, 4))
    by = {}
    for q in qs:
        if q["solver"] == "z3" and q["result"] in ("sat", "unsat"):
            by.setdefault(q["level"] or q["obligation"] or "-", []).append(
                q["seconds"])
    for label, ts in sorted(by.items()):
        ts = sorted(ts)
        acc, ys = 0.0, []
        for t in ts:
            acc += t
            ys.append(acc)
        ax.plot(range(1, len(ts) + 1), ys, label=label)
    ax.set_xlabel("queries solved")
    ax.set_ylabel("cumulative solver seconds")
    ax.set_yscale("log")
    ax.set_title("ksynth gate: Z3 queries over the examples (cactus)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=100)
    return True


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                         capture_output=True, text=True).stdout.strip()
    return (f"`nproc` = {os.cpu_count()}, CPU: {cpu}, "
            f"{platform.system()} {platform.release()}, git {rev}, load "
            f"average {os.getloadavg()[0]:.2f} at the start")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ksynth", default=os.path.join(ROOT, "build", "tools",
                                                     "ksynth", "ksynth"))
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--deadline", type=int, default=120)
    ap.add_argument("--sets", default="all", help="comma list of set names "
                    "(examples, bench, corpus) or all")
    ap.add_argument("--write-results", action="store_true")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench",
                                                      "RESULTS.md"))
    ap.add_argument("--png", default=os.path.join(ROOT, "bench", "gate",
                                                  "cactus.png"))
    ap.add_argument("--stats-only")
    a = ap.parse_args()
    if a.stats_only:
        head, qs, table = stats_tables(a.stats_only)
        print(table)
        print("cactus:", cactus(qs, a.png) and a.png)
        return 0
    out = [SECTION, "", f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
           f"on {machine()}.", "",
           f"Method: `python3 bench/gate/gate_bench.py -j {a.j}`: `ksynth gate "
           f"SET -j {a.j} --deadline {a.deadline}` (no self-check, the gate's "
           "default) once with an empty proof cache (cold) and once more with "
           "the cache the first run filled (warm); pairs per minute = pairs / "
           "wall time of the whole gate process. Only proved and refuted "
           "verdicts are cached, so unknown pairs are verified again in the "
           "warm run.", "",
           "| set | pairs | cold wall s | cold pairs/min | warm wall s | "
           "warm pairs/min | warm from cache | verdicts (proved/refuted/"
           "unknown/error) | gate exit |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    want = a.sets.split(",")
    figures = {}
    notes = []
    for name, paths in SETS:
        key = name.split()[0]
        if a.sets != "all" and key not in want:
            continue
        cache = tempfile.mkdtemp(prefix="ksynth-gate-bench-")
        try:
            rc, cold, doc = run_gate(a.ksynth, paths, cache, a.j, a.deadline)
            rc2, warm, doc2 = run_gate(a.ksynth, paths, cache, a.j,
                                       a.deadline)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        n = len(doc["pairs"])
        c = doc.get("counts", {})
        hits = sum(p["cached"] for p in doc2["pairs"])
        figures[key] = (n, cold, warm)
        row = (f"| {name} | {n} | {cold:.1f} | {60 * n / cold:.0f} | "
               f"{warm:.2f} | {60 * n / warm:.0f} | {hits} | "
               f"{c.get('proved')}/{c.get('refuted')}/{c.get('unknown')}/"
               f"{c.get('error')} | {rc} |")
        print(row, flush=True)
        out.append(row)
        for q in doc["pairs"]:
            if q["status"] != "pass":
                notes.append(f"- {name}, cold run: `{q['id']}` {q['status']}: "
                             f"{q['note']}")
    if notes:
        out += ["", "Pairs that did not pass:", ""] + notes
    if "examples" in figures and "bench" in figures:
        n = figures["examples"][0] + figures["bench"][0]
        cold = figures["examples"][1] + figures["bench"][1]
        warm = figures["examples"][2] + figures["bench"][2]
        out += ["", f"- Targets (bundled problems: the examples and bench "
                f"rows together, {n} pairs in {cold:.1f} s cold and "
                f"{warm:.2f} s warm): cold {60 * n / cold:.0f} "
                f"pairs/min (target at least 60: "
                f"{'met' if 60 * n / cold >= 60 else 'NOT met'}), warm "
                f"{60 * n / warm:.0f} pairs/min (target at least 1000: "
                f"{'met' if 60 * n / warm >= 1000 else 'NOT met'})."]
    # Query statistics over the examples.
    st = tempfile.mktemp(suffix=".jsonl")
    subprocess.run([a.ksynth, "gate", "examples", "-j", str(a.j), "--quiet",
                    "--stats", st, "--deadline", str(a.deadline)], cwd=ROOT,
                   capture_output=True)
    head, qs, table = stats_tables(st)
    os.unlink(st)
    drew = cactus(qs, a.png)
    out += ["", "Query statistics (`ksynth gate examples --stats`, seed "
            f"{head.get('seed')}, Z3 {head['run'].get('z3')}, LLVM "
            f"{head['run'].get('llvm')}): per encoding level (structural: "
            "bit-vectors and Booleans only, rounding: real arithmetic, "
            "bit-exact: IEEE floating point; docs/gate.md) and solver "
            "(`cache`: answered by the verifier's in-process query cache), "
            "then per obligation and level; terms and variables are SMT-LIB2 "
            "text measures.",
            "", table, ""]
    if drew:
        out.append(f"Cactus plot: [{os.path.relpath(a.png, ROOT)}]"
                   f"({os.path.relpath(a.png, os.path.dirname(a.results))}).")
    text = "\n".join(out) + "\n"
    print(text)
    if a.write_results:
        old = open(a.results).read() if os.path.exists(a.results) else ""
        start = old.find(SECTION)
        if start < 0:
            new = old.rstrip("\n") + "\n\n" + text
        else:
            end = old.find("\n## ", start + len(SECTION))
            new = old[:start] + text + (old[end + 1:] if end >= 0 else "")
        with open(a.results, "w") as f:
            f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
