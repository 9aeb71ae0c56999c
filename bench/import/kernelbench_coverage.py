#!/usr/bin/env python3
"""Coverage of the PyTorch front end (issue 13) on KernelBench.

Imports every problem of KernelBench levels 1 and 2 from a local checkout
(ScalingIntelligence/KernelBench; never copied into this repository) and
writes a table: problem, imported?, spec ops, unsupported op(s), the
reference interpreter's max relative error against PyTorch's forward at the
small verification shape (max |ksynth - torch| / M, M the element's
error magnitude: tests/import/importcheck.py, frontend/pytorch/magnitude.py;
the documented limit is 1e-5), and the time.

The helper (frontend/pytorch) runs in this process (PyTorch is imported
once); each spec is then parsed and evaluated by `ksynth eval`, so
"imported" means: the helper mapped every op and ksynth accepted the spec.

usage (with the project's venv python, scripts/install-python.sh):
  .venv/bin/python bench/import/kernelbench_coverage.py \\
      --kernelbench /tmp/kb/KernelBench --ksynth build/tools/ksynth/ksynth \\
      --out /tmp/coverage.md [--levels 1 2] [--only NAME-SUBSTRING]
"""
import argparse
import json
import os
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "frontend", "pytorch"))
sys.path.insert(0, os.path.join(ROOT, "tests", "import"))

import ksynth_import  # noqa: E402
import capture  # noqa: E402
import importcheck  # noqa: E402


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def one(path, ksynth, tmp, timeout):
    row = {"problem": os.path.basename(path)[:-3], "imported": False,
           "ops": "", "unsupported": "", "max_rel_err": "", "time_s": 0.0}
    t0 = time.time()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(timeout)
    try:
        full = os.path.abspath(path)
        ksynth_import.load_module(full)
        spec, check = capture.import_model(
            None, full, ksynth_import.literal_globals(full), False, True)
        signal.alarm(0)
    except ksynth_import.ImportFailure as e:
        signal.alarm(0)
        msg = " ".join(str(e).split())
        row["unsupported"] = msg.replace("unsupported: ", "") if \
            msg.startswith("unsupported: ") else "error: " + msg
        row["time_s"] = time.time() - t0
        return row
    except Timeout:
        row["unsupported"] = "error: timed out after %d s" % timeout
        row["time_s"] = time.time() - t0
        return row
    except Exception as e:  # a helper bug: recorded, not fatal
        signal.alarm(0)
        row["unsupported"] = "error: helper %s: %s" % (
            type(e).__name__, " ".join(str(e).split())[:200])
        row["time_s"] = time.time() - t0
        return row
    row["ops"] = " ".join(sorted({o["op"] for o in spec["ops"]}))
    spec["tolerance"] = {"atol": 1e-5, "rtol": 1e-5}
    sp = os.path.join(tmp, "spec.json")
    dp = os.path.join(tmp, "data.json")
    with open(sp, "w") as f:
        json.dump(spec, f)
    if "skipped" in check:
        # ksynth parses the spec (eval needs inputs, so use a missing file:
        # a spec error is reported before the inputs are read)
        rc, out = importcheck.eval_spec(ksynth, sp, dp + ".none")
        ok = "cannot open" in str(out) or "cannot read" in str(out)
        row["imported"] = ok
        row["unsupported"] = "" if ok else "spec rejected: " + str(out)
        row["max_rel_err"] = "n/a (no small shape)"
        row["time_s"] = time.time() - t0
        return row
    with open(dp, "w") as f:
        json.dump(check, f)
    try:
        rc, out = importcheck.eval_spec(ksynth, sp, dp, timeout=timeout)
    except Exception:
        # imported (ksynth parses the spec: a spec error is reported before
        # the inputs are read), but the interpreter is too slow at the
        # small shape to measure the error within the limit
        rc, out = importcheck.eval_spec(ksynth, sp, dp + ".none")
        ok = "cannot open" in str(out) or "cannot read" in str(out)
        row["imported"] = ok
        row["unsupported"] = "" if ok else "spec rejected: " + str(out)
        row["max_rel_err"] = "n/a (ksynth eval took over %d s at the small " \
            "shape)" % timeout
        row["time_s"] = time.time() - t0
        return row
    if rc != 0:
        row["unsupported"] = "spec rejected: " + str(out).replace(
            "ksynth: ", "")[:300]
    else:
        row["imported"] = True
        err, why = importcheck.max_error(out, check["expected"])
        row["max_rel_err"] = "%.2g" % err + (" (%s)" % why if why else "")
        row["err"] = err
        row["fallback"] = importcheck.fallback_used(why)
    row["time_s"] = time.time() - t0
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernelbench", required=True,
                    help="the checkout's KernelBench/ folder (level1, level2)")
    ap.add_argument("--ksynth", required=True)
    ap.add_argument("--out", required=True, help="markdown table")
    ap.add_argument("--levels", nargs="+", default=["1", "2"])
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--merge", nargs="*", default=[],
                    help="rows (OUT.json files of earlier runs, e.g. with "
                    "--only) that replace this run's rows of the same "
                    "problem; with --levels and no problems to run "
                    "(--only NONE) this rewrites the table from them")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lv in a.levels:
            d = os.path.join(a.kernelbench, "level" + lv)
            files = sorted((f for f in os.listdir(d) if f.endswith(".py")),
                           key=lambda f: int(f.split("_")[0]))
            for f in files:
                if a.only and a.only not in f:
                    continue
                r = one(os.path.join(d, f), a.ksynth, tmp, a.timeout)
                r["level"] = lv
                rows.append(r)
                print("L%s %-60s %s %6.1fs %s %s" % (
                    lv, r["problem"][:60], "OK " if r["imported"] else "-- ",
                    r["time_s"], r["max_rel_err"], r["unsupported"][:150]),
                    flush=True)
    for path in a.merge:
        with open(path) as f:
            for r in json.load(f):
                key = (r["level"], r["problem"])
                rows = [x for x in rows if (x["level"], x["problem"]) != key]
                rows.append(r)
    rows.sort(key=lambda r: (r["level"], int(r["problem"].split("_")[0])))
    with open(a.out, "w") as f:
        for lv in a.levels:
            lr = [r for r in rows if r["level"] == lv]
            n = sum(r["imported"] for r in lr)
            f.write("Level %s: %d of %d imported (%.0f%%)\n\n" % (
                lv, n, len(lr), 100.0 * n / max(len(lr), 1)))
        f.write("| level | problem | imported | ops | unsupported / error |"
                " max err (/M) | time (s) |\n|---|---|---|---|---|---|---|\n")
        for r in rows:
            f.write("| %s | %s | %s | %s | %s | %s | %.1f |\n" % (
                r["level"], r["problem"], "yes" if r["imported"] else "no",
                r["ops"], r["unsupported"].replace("|", "/"),
                r["max_rel_err"], r["time_s"]))
    with open(a.out, "a") as f:
        errs = sorted(r["err"] for r in rows if "err" in r)
        if errs:
            f.write("\nmax |ksynth - torch| / M over %d problems with a small "
                    "shape: median %.2g, max %.2g; %d above 1e-5; %d without "
                    "a magnitude rule (relative error instead)\n" % (
                        len(errs), errs[len(errs) // 2], errs[-1],
                        sum(e > 1e-5 for e in errs),
                        sum(r.get("fallback", False) for r in rows)))
    with open(a.out + ".json", "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
