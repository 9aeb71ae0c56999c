#!/usr/bin/env python3
"""The gate's research interface (issue 15): --crosscheck re-solves the
queries with cvc5 (agreeing on a correct pair) and reports an injected
disagreement (a fake second solver) as an error naming both answers and
the dumped query; --stats writes one JSON line per query; --dump-smt keeps
the queries per pair.

usage: gate_research_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import shutil
import stat
import subprocess
import sys

from gate_util import (ROOT, check, copy_example, finish, gate, report,
                       scratch)

d = scratch()
try:
    t = os.path.join(d, "t")
    os.makedirs(t)
    copy_example(t, "hardtanh", [("scalar", "spec.json", "scalar.json",
                                  "proved")])
    j = os.path.join(d, "r.json")
    st = os.path.join(d, "stats.jsonl")
    dump = os.path.join(d, "dump")
    if shutil.which("cvc5"):
        rc, out, err = gate(t, "--crosscheck", "--json", j, "--stats", st,
                            "--dump-smt", dump, cwd=d)
        cc = report(j)["pairs"][0].get("crosscheck", {})
        check("crosscheck with cvc5: agrees, exit 0",
              rc == 0 and cc.get("queries", 0) >= 1 and
              not cc["disagreements"] and cc["agreed"] >= 1, (rc, out, cc))
    else:
        print("skip cvc5 agreement (no cvc5 on PATH)")
        rc, out, err = gate(t, "--json", j, "--stats", st, "--dump-smt",
                            dump, cwd=d)
    lines = [json.loads(line) for line in open(st)]
    head, qs = lines[0], lines[1:]
    check("stats: a header with versions and seed",
          "run" in head and "z3" in head["run"] and "seed" in head, head)
    check("stats: one line per query with the fields",
          len(qs) >= 2 and all(
              {"solver", "seconds", "result", "terms", "variables", "level",
               "label", "pair"} <= set(q) for q in qs) and
          any(q["solver"] == "z3" for q in qs) and
          all(q["result"] in ("sat", "unsat", "unknown", "none") for q in qs),
          qs[:2])
    obligations = {"program-scope-state", "local-memory-limit",
                   "barrier-divergence", "memory-safety",
                   "undefined-behaviour", "input-modified", "write-race",
                   "data-race", "uninitialized-read", "coverage",
                   "equivalence", "launch", "execution", "other"}
    check("stats: every query has its obligation and encoding level",
          all(q["obligation"] in obligations and
              q["level"] in ("structural", "rounding", "bit-exact")
              for q in qs), [(q["label"], q["obligation"], q["level"])
                             for q in qs][:20])
    # hardtanh is bit-exact: its equivalence queries are IEEE floating
    # point (the classification itself: tests/unit/gate/ResearchTest.cpp).
    check("stats: equivalence queries at level bit-exact",
          any(q["obligation"] == "equivalence" and q["level"] == "bit-exact"
              for q in qs),
          sorted({(q["obligation"], q["level"]) for q in qs}))
    # The bench script's tables: per level and solver, per obligation.
    bench = os.path.join(ROOT, "bench", "gate", "gate_bench.py")
    p = subprocess.run([sys.executable, bench, "--stats-only", st, "--png",
                        os.path.join(d, "cactus.png")],
                       capture_output=True, text=True)
    check("bench/gate tables group by level and solver, then obligation",
          p.returncode == 0 and "| bit-exact | z3 |" in p.stdout and
          "| equivalence | bit-exact |" in p.stdout and
          "| level | solver |" in p.stdout.splitlines()[0], p.stdout + p.stderr)
    dumped = os.listdir(os.path.join(dump, "t_hardtanh_scalar"))
    check("dump-smt: the queries of the pair", len(dumped) == len(qs),
          (len(dumped), len(qs)))

    # A fake second solver that contradicts Z3 on every query.
    fake = os.path.join(d, "fake-solver")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\n# answers sat to everything (test of --crosscheck)\n"
                "echo sat\n")
    os.chmod(fake, os.stat(fake).st_mode | stat.S_IEXEC)
    rc, out, err = gate(t, "--crosscheck", "--crosscheck-solver", fake,
                        "--json", j, cwd=d)
    p = report(j)["pairs"][0]
    check("injected disagreement: the gate fails with exit 6",
          rc == 6 and p["status"] == "fail", (rc, out))
    check("disagreement names both answers and the query",
          "z3 says unsat" in p["note"] and "says sat" in p["note"] and
          ".smt2" in p["note"], p["note"])
finally:
    shutil.rmtree(d, ignore_errors=True)
finish()
