#!/usr/bin/env python3
"""The "fast kernels" suite (issue 12): kernels written the way a GPU
performance engineer writes them, a correct one and wrong twins, each
verified at its real (deployment) shape and at a small odd shape, with the
verdict, the deciding level, the method, the wall time and the peak memory
of each `ksynth verify --json` process (Python 3 standard library only).

The kernels are corpus tests (tests/corpus/<group>/<name>.cl): their header
gives the manifest, the expected verdict and obligation; cases.json lists
which of them belong to the suite and the spec of each shape, so the suite
and the corpus cannot drift apart.

    python3 bench/fast_kernels/run.py                  # table on stdout
    python3 bench/fast_kernels/run.py --filter float4
    python3 bench/fast_kernels/run.py --write-results  # also bench/RESULTS.md

--write-results replaces the "## Fast kernels (issue 12)" section of
bench/RESULTS.md (appending it if absent) and leaves every other section
untouched. Each case runs once, in a fresh process, with the default
options plus --no-self-check (no OpenCL device build in the timing).
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SECTION = "Fast kernels (issue 12)"


def header(path):
    """The corpus header lines (KEY: value) of a kernel."""
    h = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"//\s*([A-Z_]+):\s*(.*)$", line)
            if not m:
                if not line.startswith("//"):
                    break
                continue
            h[m.group(1)] = m.group(2).strip()
    return h


def run_case(ksynth, kernel, spec, timeout):
    h = header(kernel)
    manifest = json.loads(h["MANIFEST"])
    manifest["source"] = os.path.abspath(kernel)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as mf:
        json.dump(manifest, mf)
    try:
        with tempfile.TemporaryFile("w+") as fo, \
                tempfile.TemporaryFile("w+") as fe:
            t0 = time.monotonic()
            p = subprocess.Popen(
                [ksynth, "verify", spec, mf.name, "--json", "--no-self-check"],
                stdout=fo, stderr=fe)
            # Reaped here, not by Popen, for this child's own rusage.
            while True:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() - t0 > timeout:
                    p.kill()
                time.sleep(0.02)
            wall = time.monotonic() - t0
            rc = os.waitstatus_to_exitcode(status)
            p.returncode = rc
            rss = ru.ru_maxrss  # KiB
            fo.seek(0)
            fe.seek(0)
            out, err = fo.read(), fe.read()
    finally:
        os.unlink(mf.name)
    try:
        v = json.loads(out)
    except json.JSONDecodeError:
        v = {"verdict": "no-json", "reason": err.strip()[-200:]}
    return h, v, wall, rss, rc


def describe(h, v):
    verdict = v.get("verdict", "?")
    if verdict == "refuted":
        verdict += " (%s)" % v.get("counterexample", {}).get("obligation", "?")
    elif verdict == "unknown":
        verdict += " (%s)" % v.get("unknown_kind", "?")
    want = h.get("EXPECT", "?")
    if want == "refuted":
        want += " (%s)" % h.get("OBLIGATION", "?")
    levels = sorted({o.get("level") for o in v.get("obligations", [])
                     if o.get("name") == "equivalence" and
                     o.get("level")})
    work = v.get("assumptions", {}).get("work_items", {})
    method = "; ".join(sorted(set(work.values()))) if work else ""
    if any("one arbitrary iteration" in a for a in
           v.get("assumptions", {}).get("abstractions", [])):
        method += "; loop: one arbitrary iteration"
    return verdict, want, ", ".join(levels) or "-", method


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ksynth",
                    default=os.path.join(ROOT, "build/tools/ksynth/ksynth"))
    ap.add_argument("--filter", default="")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--write-results", action="store_true")
    a = ap.parse_args()
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)
    rows = []
    for c in cases["kernels"]:
        if a.filter not in c["kernel"]:
            continue
        kernel = os.path.join(ROOT, c["kernel"])
        for shape, spec in c["shapes"].items():
            h, v, wall, rss, rc = run_case(
                a.ksynth, kernel, os.path.join(HERE, spec), a.timeout)
            verdict, want, level, method = describe(h, v)
            flag = "" if verdict == want else " **MISMATCH**"
            row = "| %s | %s | %s | %s%s | %s | %s | %.2f | %s |" % (
                os.path.relpath(kernel, os.path.join(ROOT, "tests/corpus")),
                shape, want, verdict, flag, level, method, wall,
                "%.0f" % (rss / 1024) if rss else "?")
            print(row, flush=True)
            rows.append(row)
    table = ["| kernel (tests/corpus/) | shape | expected | verdict | "
             "level | method | wall s | peak MiB |",
             "| --- | --- | --- | --- | --- | --- | ---: | ---: |"] + rows
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    when = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    text = ("## %s\n\nMeasured %s on `nproc` = %d, %s, git %s (load average "
            "%.2f when the runs began).\n\nMethod: `python3 "
            "bench/fast_kernels/run.py --write-results`: each kernel of "
            "bench/fast_kernels/cases.json at each of its shapes, one fresh "
            "`ksynth verify SPEC MANIFEST --json --no-self-check` process, "
            "default options; wall time around the process, peak memory its "
            "maximum resident set (wait4). Level: the deciding level of the "
            "equivalence obligations; method: `assumptions.work_items`, and "
            "whether a loop was verified by one arbitrary iteration "
            "(docs/loop-summaries.md).\n\n" % (
                SECTION, when, os.cpu_count(), platform.platform(), git,
                load) + "\n".join(table) + "\n")
    if a.write_results:
        path = os.path.join(ROOT, "bench/RESULTS.md")
        with open(path) as f:
            old = f.read()
        pat = re.compile(r"^## %s\n.*?(?=^## |\Z)" % re.escape(SECTION),
                         re.M | re.S)
        new = pat.sub(lambda _: text + "\n", old) if pat.search(old) else \
            old.rstrip("\n") + "\n\n" + text
        with open(path, "w") as f:
            f.write(new)
    else:
        print()
        print(text)
    return 0 if all("MISMATCH" not in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
