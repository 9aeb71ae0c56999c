#!/usr/bin/env python3
"""`ksynth gate --shard I/N` and `ksynth gate merge` (issue 15): the shards
of a tree cover every pair exactly once and merge back into one report set
(JUnit validating); a missing or repeated shard is refused.

usage: gate_shard_test.py KSYNTH_BINARY REPO_ROOT
"""
import os
import shutil
import subprocess

from gate_util import (KSYNTH, check, copy_example, finish, gate, report,
                       scratch, validate_junit, validate_sarif)

d = scratch()
try:
    t = os.path.join(d, "t")
    os.makedirs(t)
    copy_example(t, "relu", [("relu", "spec.json", "relu.json", "proved"),
                             ("fmax_wrong", "spec.json", "fmax_wrong.json",
                              "refuted")])
    copy_example(t, "threshold", [
        ("scalar", "spec.json", "threshold.json", "proved"),
        ("float4", "spec.json", "threshold4.json", "proved"),
        ("ge_wrong", "spec.json", "ge_wrong.json", "refuted")])
    copy_example(t, "leaky_relu", [
        ("leaky_relu", "spec.json", "leaky_relu.json", "proved"),
        ("divide_wrong", "spec.json", "divide_wrong.json", "refuted")])
    n = 3
    reports, covered = [], []
    for i in range(1, n + 1):
        j = os.path.join(d, f"s{i}.json")
        rc, out, err = gate(t, "--shard", f"{i}/{n}", "--json", j,
                            "--no-cache", cwd=d)
        check(f"shard {i}/{n} passes", rc == 0, (rc, out, err))
        reports.append(j)
        covered += [p["id"] for p in report(j)["pairs"]]
    universe = report(reports[0])["universe"]
    check("shards cover every pair exactly once",
          sorted(covered) == sorted(universe) and len(universe) == 7,
          (covered, universe))
    x, s, m, jj = (os.path.join(d, f) for f in
                   ("m.xml", "m.sarif", "m.md", "m.json"))
    p = subprocess.run([KSYNTH, "gate", "merge", *reports, "--junit", x,
                        "--sarif", s, "--markdown", m, "--json", jj],
                       capture_output=True, text=True, cwd=d)
    check("merge of all shards: exit 0", p.returncode == 0,
          (p.returncode, p.stdout, p.stderr))
    check("merged junit validates with every pair",
          validate_junit(x) == "" and open(x).read().count("<testcase") == 7,
          validate_junit(x))
    check("merged sarif validates", validate_sarif(s) == "",
          validate_sarif(s))
    check("merged json holds every pair",
          sorted(q["id"] for q in report(jj)["pairs"]) == sorted(universe))
    p = subprocess.run([KSYNTH, "gate", "merge", *reports[:-1]],
                       capture_output=True, text=True, cwd=d)
    check("merge without a shard: exit 2 naming the missing pairs",
          p.returncode == 2 and "not covered" in p.stderr,
          (p.returncode, p.stderr))
    p = subprocess.run([KSYNTH, "gate", "merge", *reports, reports[0]],
                       capture_output=True, text=True, cwd=d)
    check("merge with a shard twice: exit 2",
          p.returncode == 2 and "covered 2 times" in p.stderr,
          (p.returncode, p.stderr))
    # Stable under adding pairs: the existing pairs keep their shards.
    before = {q["id"]: i for i, r in enumerate(reports)
              for q in report(r)["pairs"]}
    copy_example(t, "sigmoid", [("scalar", "spec.json", "scalar.json",
                                 "proved")])
    moved = []
    for i in range(1, n + 1):
        j = os.path.join(d, f"again{i}.json")
        gate(t, "--shard", f"{i}/{n}", "--json", j, "--no-cache", cwd=d)
        for q in report(j)["pairs"]:
            if q["id"] in before and before[q["id"]] != i - 1:
                moved.append(q["id"])
    check("adding a pair moves no other pair to another shard", not moved,
          moved)
finally:
    shutil.rmtree(d, ignore_errors=True)
finish()
