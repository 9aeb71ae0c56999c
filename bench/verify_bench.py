#!/usr/bin/env python3
"""Verification benchmark: times `ksynth verify --json` on every example
candidate (Python 3 standard library only).

Candidates are discovered from examples/<problem>/candidates.json (the same
index the examples/... CTest tests read; format in examples/README.md): each
entry names a spec, a manifest and the expected verdict. Every candidate is
verified R times (default 3), each run a fresh `ksynth verify` process, and
the script prints a Markdown table with the median wall time and the
solver statistics of the median run.

    bench/verify_bench.py                                 # table on stdout
    bench/verify_bench.py --repeat 5 --filter hardtanh
    bench/verify_bench.py --write-results                 # also bench/RESULTS.md

--write-results replaces the "## Verifier (issue 2)" section of
bench/RESULTS.md (appending it if absent) and leaves every other section,
e.g. "## Runtime", untouched.

    bench/verify_bench.py --root bench/issue4 --section "Verifier (issue 4)" \
        --repeat 1 --write-results

runs the issue-4 problems (bench/issue4/<family>_<name>/candidates.json, the
same index format) and writes their own section, with the deciding level of
each verdict and a per-problem / per-family summary.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SECTION = "Verifier (issue 2)"
SECTION = "## " + DEFAULT_SECTION
EXIT_CODES = {"proved": 0, "refuted": 10, "unknown": 5, "error": 2}


def discover(examples_dir, name_filter):
    """(problem, candidate entry, problem dir) for every listed candidate."""
    out = []
    for problem in sorted(os.listdir(examples_dir)):
        pdir = os.path.join(examples_dir, problem)
        index = os.path.join(pdir, "candidates.json")
        if not os.path.isfile(index):
            continue
        with open(index, encoding="utf-8") as f:
            doc = json.load(f)
        listed = set()
        for c in doc.get("candidates", []):
            listed.add(c["manifest"])
            label = f"{problem}/{c['name']}"
            if name_filter and not any(s in label for s in name_filter):
                continue
            out.append((problem, c, pdir))
        for fn in sorted(os.listdir(pdir)):
            if not fn.endswith(".json") or fn in listed or fn == "candidates.json":
                continue
            try:
                with open(os.path.join(pdir, fn), encoding="utf-8") as f:
                    j = json.load(f)
            except (OSError, ValueError):
                continue
            if isinstance(j, dict) and "launches" in j:
                print(f"verify_bench: warning: {problem}/{fn} is a manifest "
                      f"not listed in {problem}/candidates.json; skipped",
                      file=sys.stderr)
    return out


def max_numel_symbol(spec_path):
    """The largest shape-symbol value the spec lists (for the N <= 64 target)."""
    try:
        with open(spec_path, encoding="utf-8") as f:
            spec = json.load(f)
        return max(v for b in spec.get("shapes", []) for v in b.values())
    except (OSError, ValueError):
        return None


def run_once(ksynth, spec, manifest, extra, timeout_s):
    cmd = [ksynth, "verify", spec, manifest, "--json"] + extra
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"wall": time.monotonic() - start, "exit": None, "doc": None,
                "error": f"timed out after {timeout_s} s"}
    wall = time.monotonic() - start
    try:
        doc = json.loads(p.stdout)
        err = None
    except ValueError:
        doc = None
        err = (p.stderr.strip().splitlines() or ["no JSON on stdout"])[-1]
    return {"wall": wall, "exit": p.returncode, "doc": doc, "error": err}


def fmt_s(x):
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


LOAD_AT_START = None


def bench(args):
    global LOAD_AT_START
    try:
        LOAD_AT_START = os.getloadavg()
    except OSError:
        pass
    extra = []
    if args.timeout_ms:
        extra += ["--query-timeout-ms", str(args.timeout_ms)]
    if args.no_self_check:
        extra += ["--no-self-check"]
    rows = []
    for problem, c, pdir in discover(args.root or args.examples, args.filter):
        spec = os.path.join(pdir, c["spec"])
        manifest = os.path.join(pdir, c["manifest"])
        runs = [run_once(args.ksynth, spec, manifest, extra, args.run_timeout)
                for _ in range(args.repeat)]
        walls = sorted(r["wall"] for r in runs)
        median_wall = statistics.median(walls)
        # Statistics of the run whose wall time is the median (lower median
        # for an even count).
        mid = sorted(runs, key=lambda r: r["wall"])[(len(runs) - 1) // 2]
        doc = mid["doc"] or {}
        stats = doc.get("stats") or {}
        verdict = doc.get("verdict") or (mid["error"] and "no-json")
        verdicts = {(r["doc"] or {}).get("verdict") for r in runs}
        levels = []
        for o in doc.get("obligations") or []:
            if o.get("name") == "equivalence" and o.get("level") \
                    and o["level"] not in levels:
                levels.append(o["level"])
        row = {
            "problem": problem,
            "candidate": c["name"],
            "manifest": c["manifest"],
            "spec": c["spec"],
            "expected": c["expect"] + (
                f" ({c.get('obligation') or c.get('unknown_kind')})"
                if c.get("obligation") or c.get("unknown_kind") else ""),
            "expect": c["expect"],
            "verdict": verdict,
            "obligation": ((doc.get("counterexample") or {}).get("obligation")
                           or doc.get("unknown_kind")),
            "exit": mid["exit"],
            "level": "/".join(levels) or None,
            "wall": median_wall,
            "wall_min": walls[0],
            "wall_max": walls[-1],
            "solver": stats.get("solver_seconds"),
            "total": stats.get("total_seconds"),
            "queries": stats.get("queries"),
            "cache_hits": stats.get("cache_hits"),
            "max_symbol": max_numel_symbol(spec),
            "stable": len(verdicts) == 1,
            "error": mid["error"],
            "version": doc.get("ksynth_version"),
            "z3": ((doc.get("solver") or {}).get("z3")
                   or (doc.get("solver") or {}).get("z3_version")),
        }
        row["match"] = (row["verdict"] == c["expect"] and
                        row["exit"] == EXIT_CODES[c["expect"]] and
                        (not c.get("obligation") or
                         row["obligation"] == c["obligation"]))
        rows.append(row)
        if args.verbose:
            print(f"{problem}/{c['name']}: {row['verdict']} "
                  f"{fmt_s(median_wall)} s", file=sys.stderr)
    return rows


def table(rows):
    head = ("| problem | candidate | expected | verdict | exit code | "
            "median wall s | solver s | queries | cache hits | wall min-max s |")
    lines = [head, "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        verdict = str(r["verdict"])
        if r["obligation"]:
            verdict += f" ({r['obligation']})"
        if not r["match"]:
            verdict += " **MISMATCH**"
        if not r["stable"]:
            verdict += " (varied between runs)"
        lines.append(
            f"| {r['problem']} | {r['candidate']} | {r['expected']} | "
            f"{verdict} | {r['exit'] if r['exit'] is not None else '-'} | "
            f"{fmt_s(r['wall'])} | {fmt_s(r['solver'])} | "
            f"{r['queries'] if r['queries'] is not None else '-'} | "
            f"{r['cache_hits'] if r['cache_hits'] is not None else '-'} | "
            f"{fmt_s(r['wall_min'])}-{fmt_s(r['wall_max'])} |")
    return "\n".join(lines)


def table_issue4(rows):
    head = ("| problem | candidate | expected | verdict | deciding level | "
            "exit code | median wall s | solver s |")
    lines = [head, "| --- | --- | --- | --- | --- | ---: | ---: | ---: |"]
    for r in rows:
        verdict = str(r["verdict"])
        if r["obligation"]:
            verdict += f" ({r['obligation']})"
        if not r["match"]:
            verdict += " **MISMATCH**"
        if not r["stable"]:
            verdict += " (varied between runs)"
        lines.append(
            f"| {r['problem']} | {r['candidate']} | {r['expected']} | "
            f"{verdict} | {r['level'] or '-'} | "
            f"{r['exit'] if r['exit'] is not None else '-'} | "
            f"{fmt_s(r['wall'])} | {fmt_s(r['solver'])} |")
    return "\n".join(lines)


def summary_issue4(rows):
    """Issue 4's targets: every problem decided, median under 2 s, none over
    60 s; plus the mismatches and a per-family count."""
    problems = {}
    for r in rows:
        problems.setdefault(r["problem"], []).append(r)
    decided = [p for p, rs in problems.items()
               if all(r["verdict"] in ("proved", "refuted") for r in rs)]
    as_expected = [p for p, rs in problems.items() if all(r["match"] for r in rs)]
    walls = [r["wall"] for r in rows]
    med = statistics.median(walls) if walls else None
    mx = max(walls) if walls else None
    slow = max(rows, key=lambda r: r["wall"]) if rows else None
    out = [
        f"- Problems: {len(problems)} ({len(rows)} candidates). Decided (no "
        f"unknown for any candidate): {len(decided)}/{len(problems)}; every "
        f"verdict as expected: {len(as_expected)}/{len(problems)} (target: "
        f"every problem decided: "
        f"{'met' if len(decided) == len(problems) else 'NOT met'}).",
        f"- Wall time per candidate: median {fmt_s(med)} s (target under 2 s: "
        f"{'met' if med is not None and med < 2 else 'NOT met'}), max "
        f"{fmt_s(mx)} s"
        + (f" ({slow['problem']}/{slow['candidate']})" if slow else "")
        + f" (target: none over 60 s: "
        f"{'met' if mx is not None and mx <= 60 else 'NOT met'}).",
    ]
    fams = {}
    for p, rs in problems.items():
        f = fams.setdefault(p.split("_", 1)[0], [0, 0, 0])
        f[0] += 1
        f[1] += all(r["verdict"] in ("proved", "refuted") for r in rs)
        f[2] += all(r["match"] for r in rs)
    out.append("- Per family (problems / decided / as expected): " + ", ".join(
        f"{k} {v[0]}/{v[1]}/{v[2]}" for k, v in sorted(fams.items())) + ".")
    bad = [r for r in rows if not r["match"]]
    if bad:
        out.append(f"- Mismatches ({len(bad)}): " + ", ".join(
            f"{r['problem']}/{r['candidate']} (expected {r['expect']}, got "
            f"{r['verdict']}{' ' + r['obligation'] if r['obligation'] else ''})"
            for r in bad) + ".")
    else:
        out.append("- Mismatches: none.")
    return "\n".join(out)


def targets(rows):
    """The issue's figures: the cheat's refutation time and the slowest
    elementwise proof at N <= 64 (every example is elementwise)."""
    out = []
    cheat = [r for r in rows if r["problem"] == "hardtanh"
             and r["candidate"] == "identity_cheat"]
    if cheat:
        r = cheat[0]
        ok = r["match"] and r["wall"] < 1.0
        out.append(f"- HardTanh identity cheat: {r['verdict']} in "
                   f"{fmt_s(r['wall'])} s wall (target: refuted in well under "
                   f"1 s: {'met' if ok else 'NOT met'}).")
    proofs = [r for r in rows if r["expect"] == "proved"]
    if proofs:
        slow = max(proofs, key=lambda r: r["wall"])
        ok = all(r["verdict"] == "proved" and r["wall"] < 5.0 for r in proofs)
        out.append(f"- Elementwise proofs (shapes up to N = "
                   f"{max((r['max_symbol'] or 0) for r in proofs)}): slowest "
                   f"{slow['problem']}/{slow['candidate']} {fmt_s(slow['wall'])}"
                   f" s wall (target: each under 5 s on 2 cores: "
                   f"{'met' if ok else 'NOT met'}).")
    bad = [r for r in rows if not r["match"]]
    if bad:
        out.append("- Verdicts differing from the expected ones: " +
                   ", ".join(f"{r['problem']}/{r['candidate']} "
                             f"(got {r['verdict']})" for r in bad) + ".")
    return "\n".join(out)


def machine():
    try:
        ncpu = len(os.sched_getaffinity(0))  # what `nproc` prints
    except AttributeError:
        ncpu = os.cpu_count()
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
            mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    try:
        load = " (load average %.2f when the runs began)" % LOAD_AT_START[0]
    except (TypeError, IndexError):
        load = ""
    return (f"`nproc` = {ncpu}, CPU: {model}{mem}, {platform.system()} "
            f"{platform.release()}{load}")


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("+local changes" if dirty else "") if rev else "unknown"
    except OSError:
        return "unknown"


def section(rows, args):
    now = datetime.datetime.now(datetime.timezone.utc)
    versions = sorted({r["version"] for r in rows if r["version"]})
    z3 = sorted({r["z3"] for r in rows if r["z3"]})
    timeout = (f"`--query-timeout-ms {args.timeout_ms}`" if args.timeout_ms
               else "the default per-query timeout")
    issue4 = SECTION != "## " + DEFAULT_SECTION
    root = os.path.relpath(args.root or args.examples, ROOT)
    parts = [
        SECTION,
        "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC on {machine()}; git "
        f"{git_rev()}"
        + (f", ksynth {', '.join(versions)}" if versions else "")
        + (f", Z3 {', '.join(z3)}" if z3 else "") + ".",
        "",
        f"Method: `python3 bench/verify_bench.py --repeat {args.repeat}"
        + (f" --timeout-ms {args.timeout_ms}" if args.timeout_ms else "")
        + (" --no-self-check" if args.no_self_check else "")
        + "".join(f" --filter {f}" for f in args.filter)
        + (f" --root {root} --section \"{SECTION[3:]}\"" if issue4 else "")
        + f"`. Every candidate listed in `{root}/*/candidates.json`"
        + (" whose name matches the filter" if args.filter else "")
        + f" is verified {args.repeat} time{'s' if args.repeat > 1 else ''}, "
        "each time in a fresh process "
        "`ksynth verify SPEC MANIFEST --json` with " + timeout + " (no state "
        "survives between runs: the query cache lives in the process). Wall "
        "time is the process's, measured around it, median of the runs; "
        "solver seconds, queries and cache hits are the `stats` of the JSON "
        "verdict of the median run. "
        + ("Each problem has a correct candidate (expected: proved) and a "
           "wrong one whose bug its kernel names (expected: refuted, with the "
           "obligation); `expect` is what the verifier should answer, not "
           "what it answers today. Deciding level: the `level` of the "
           "verdict's `equivalence` obligations (structural, bit-exact or "
           "rounding; `-` when another obligation or an unknown decided). "
           "Problem folders and shapes: bench/issue4/*/spec.json."
           if issue4 else
           "Each example spec lists N = 67 and N = 64, and one run verifies "
           "both shapes."),
        "",
        table_issue4(rows) if issue4 else table(rows),
        "",
        summary_issue4(rows) if issue4 else targets(rows),
        "",
    ]
    return "\n".join(parts)


def write_results(path, text):
    """Replaces our section (from its heading to the next '## ' heading or
    the end), or appends it; other sections stay byte for byte."""
    old = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    lines = old.splitlines(keepends=True)
    start = next((i for i, l in enumerate(lines)
                  if l.rstrip("\n").rstrip() == SECTION), None)
    body = text.rstrip("\n") + "\n"
    if start is None:
        if not old.strip():
            new = "# Benchmark results\n\n" + body
        else:
            new = old.rstrip("\n") + "\n\n" + body
    else:
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].startswith("## ")), len(lines))
        after = "".join(lines[end:])
        new = "".join(lines[:start]) + body + ("\n" + after if after else "")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ksynth",
                    default=os.path.join(ROOT, "build", "tools", "ksynth", "ksynth"),
                    help="ksynth executable (default build/tools/ksynth/ksynth)")
    ap.add_argument("--examples", default=os.path.join(ROOT, "examples"),
                    help="examples folder (default examples/)")
    ap.add_argument("--root", default=None,
                    help="problem folder to run instead of --examples, e.g. "
                         "bench/issue4 (same candidates.json index)")
    ap.add_argument("--section", default=DEFAULT_SECTION,
                    help="RESULTS.md section heading (without '## ') for "
                         "--write-results, e.g. 'Verifier (issue 4)'; a "
                         "section other than the default uses the issue-4 "
                         "table (deciding level) and summary")
    ap.add_argument("-r", "--repeat", type=int, default=3,
                    help="runs per candidate (default 3)")
    ap.add_argument("--filter", action="append", default=[],
                    help="only candidates whose problem/name contains this "
                         "(repeatable)")
    ap.add_argument("--timeout-ms", type=int, default=None,
                    help="passed to ksynth verify as --query-timeout-ms MS")
    ap.add_argument("--no-self-check", action="store_true",
                    help="passed to ksynth verify: time the verifier alone, "
                         "without the proof's self-check on PoCL (about 50-80 "
                         "ms a proof), as measured before the self-check")
    ap.add_argument("--run-timeout", type=float, default=600,
                    help="seconds before a run is killed (default 600)")
    ap.add_argument("--write-results", action="store_true",
                    help="replace the '## <--section>' section of "
                         "bench/RESULTS.md (default 'Verifier (issue 2)')")
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "RESULTS.md"),
                    help="results file for --write-results")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if any verdict differs from the expected one")
    ap.add_argument("--json", metavar="FILE",
                    help="also write the raw rows as JSON")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    if not os.access(args.ksynth, os.X_OK):
        print(f"verify_bench: {args.ksynth} is not an executable (build it: "
              "scripts/build.sh)", file=sys.stderr)
        return 2
    args.ksynth = os.path.abspath(args.ksynth)
    global SECTION
    SECTION = "## " + args.section
    issue4 = args.section != DEFAULT_SECTION
    rows = bench(args)
    if not rows:
        print("verify_bench: no candidates found", file=sys.stderr)
        return 2
    print(table_issue4(rows) if issue4 else table(rows))
    print()
    print(summary_issue4(rows) if issue4 else targets(rows))
    for r in rows:
        if r["error"]:
            print(f"verify_bench: {r['problem']}/{r['candidate']}: {r['error']}",
                  file=sys.stderr)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
    if args.write_results:
        write_results(args.results, section(rows, args))
        print(f"\nwrote section '{SECTION}' of {args.results}")
    if args.check and not all(r["match"] for r in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
