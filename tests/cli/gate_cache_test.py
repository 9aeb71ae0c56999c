#!/usr/bin/env python3
"""The gate's proof cache (issue 15): a warm run answers every pair from the
cache with the same verdicts; a changed option, kernel or version misses
while a whitespace-only change hits; a corrupted or truncated entry is
recomputed; two concurrent gates sharing a cache stay correct; --no-cache
and `ksynth cache stats|clear`.

usage: gate_cache_test.py KSYNTH_BINARY REPO_ROOT
"""
import glob
import json
import os
import shutil
import subprocess
import time

from gate_util import (KSYNTH, check, copy_example, finish, gate, outcomes,
                       report, scratch)

d = scratch()
cache = os.path.join(d, "cache")
j = os.path.join(d, "r.json")
try:
    t = os.path.join(d, "t")
    os.makedirs(t)
    relu = copy_example(t, "relu", [
        ("relu", "spec.json", "relu.json", "proved"),
        ("fmax_wrong", "spec.json", "fmax_wrong.json", "refuted")])
    copy_example(t, "hardsigmoid", [
        ("approx_div", "spec.json", "hardsigmoid_approx_div.json", "unknown"),
        ("exact", "spec.json", "hardsigmoid.json", "proved")])

    def run(*extra, env=None):
        rc, out, err = gate(t, "--json", j, *extra, cache=cache, env=env,
                            cwd=d)
        return rc, out, err, outcomes(report(j))

    rc, out, err, cold = run()
    check("cold run passes, nothing cached",
          rc == 0 and not any(c for _, c in cold.values()), (rc, out, cold))
    t0 = time.monotonic()
    rc, out, err, warm = run()
    wall = time.monotonic() - t0
    check("warm run: the final verdicts cached, the same verdicts",
          rc == 0 and all(warm[k][0] == cold[k][0] for k in cold) and
          warm["t/relu/relu"][1] and warm["t/relu/fmax_wrong"][1] and
          warm["t/hardsigmoid/exact"][1], (warm, cold))
    check("unknown is never cached", not warm["t/hardsigmoid/approx_div"][1],
          warm)
    doc = report(j)
    cached_s = [p["seconds"] for p in doc["pairs"] if p["cached"]]
    check("warm run: each cached pair well under a second",
          cached_s and max(cached_s) < 0.3, (cached_s, wall))
    fw = [p for p in doc["pairs"] if p["id"] == "t/relu/fmax_wrong"][0]
    check("cached refutation keeps its counterexample",
          fw["verdict"]["verdict"] == "refuted" and
          "counterexample" in fw["verdict"], fw["verdict"].keys())
    cx = fw["verdict"].get("counterexample", {})
    check("cached refutation keeps its source line (same text)",
          cx.get("location", {}).get("line") == 7 and
          "gate_source_digest" not in fw["verdict"], cx)

    # A changed meaning-changing option: every pair misses.
    rc, out, err, o = run("--fmuladd", "unfused")
    check("changed option misses", not any(c for _, c in o.values()), o)
    # A changed version (test hook standing for another ksynth/Z3/LLVM).
    rc, out, err, o = run(env={"KSYNTH_GATE_VERSION_SALT": "other"})
    check("changed version misses", not any(c for _, c in o.values()), o)

    # Whitespace / comment only: hits (the key is the compiled IR).
    src = os.path.join(relu, "relu.cl")
    text = open(src).read()
    with open(src, "w") as f:
        f.write("// reformatted\n\n" + text.replace("\n", "\n\n"))
    rc, out, err, o = run()
    check("whitespace-only kernel change hits", o["t/relu/relu"][1], o)
    # The refutation's source line would have moved: a hit, its location
    # dropped (marked stale), never a wrong line.
    fsrc = os.path.join(relu, "fmax_wrong.cl")
    ftext = open(fsrc).read()
    with open(fsrc, "w") as f:
        f.write("// moved down\n\n" + ftext)
    rc, out, err, o = run()
    fw = [p for p in report(j)["pairs"] if p["id"] == "t/relu/fmax_wrong"][0]
    cx = fw["verdict"].get("counterexample", {})
    check("moved refutation hits with its location marked stale",
          o["t/relu/fmax_wrong"] == ("refuted", True) and
          "location" not in cx and cx.get("location_stale") is True, cx)
    with open(fsrc, "w") as f:
        f.write(ftext)
    # A changed kernel: misses, and the new verdict is computed.
    with open(src, "w") as f:
        f.write(text.replace("v < 0.0f", "v <= 0.0f"))
    rc, out, err, o = run()
    check("changed kernel misses (and -0 now refutes it)",
          "v < 0.0f" in text and o["t/relu/relu"] == ("refuted", False),
          (o, text))
    with open(src, "w") as f:
        f.write(text)

    # Corrupt and truncate every entry: recomputed, same verdicts.
    entries = [p for p in glob.glob(os.path.join(cache, "v1", "*", "*.json"))
               if "/alias/" not in p]
    for i, p in enumerate(entries):
        with open(p, "r+") as f:
            if i % 2:
                f.truncate(17)
            else:
                f.seek(0)
                f.write("{garbage")
    rc, out, err, o = run()
    check("corrupted entries are recomputed",
          rc == 0 and not o["t/relu/fmax_wrong"][1] and
          all(o[k][0] == cold[k][0] for k in cold) and
          "corrupt cache entries were recomputed" in out, (rc, out, o))
    rc, out, err, o = run()
    check("and cached again", o["t/relu/fmax_wrong"][1], o)

    # Two concurrent gates on one (emptied) cache.
    subprocess.run([KSYNTH, "cache", "clear", "--cache-dir", cache],
                   check=True, capture_output=True)
    env = dict(os.environ, KSYNTH_CACHE_DIR=cache)
    procs = [subprocess.Popen([KSYNTH, "gate", t, "-j", "2", "--json",
                               os.path.join(d, f"c{i}.json")], cwd=d,
                              env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    rcs = [p.wait(timeout=300) for p in procs]
    res = [outcomes(report(os.path.join(d, f"c{i}.json"))) for i in range(2)]
    check("two concurrent gates: both pass with the right verdicts",
          rcs == [0, 0] and all({k: v[0] for k, v in r.items()} ==
                                {k: v[0] for k, v in cold.items()}
                                for r in res), (rcs, res))
    st = json.loads(subprocess.run(
        [KSYNTH, "cache", "stats", "--cache-dir", cache],
        capture_output=True, text=True, check=True).stdout)
    check("cache stats: intact entries after concurrent writes",
          st["corrupt"] == 0 and st["entries"] == 3 and st["proved"] == 2 and
          st["refuted"] == 1, st)
    check("no temporary files left",
          not glob.glob(os.path.join(cache, "**", "*.tmp.*"),
                        recursive=True))
    rc, out, err, o = run()
    check("after concurrent runs: warm", all(
        o[k][1] for k in o if k != "t/hardsigmoid/approx_div"), o)

    rc, out, err, o = run("--no-cache")
    check("--no-cache: nothing from the cache",
          not any(c for _, c in o.values()), o)
    p = subprocess.run([KSYNTH, "cache", "clear", "--cache-dir", cache],
                       capture_output=True, text=True)
    st = json.loads(subprocess.run(
        [KSYNTH, "cache", "stats", "--cache-dir", cache],
        capture_output=True, text=True).stdout)
    check("cache clear empties it", p.returncode == 0 and st["entries"] == 0,
          (p.stdout, st))
    p = subprocess.run([KSYNTH, "cache", "frobnicate"], capture_output=True,
                       text=True)
    check("cache: bad subcommand is a usage error", p.returncode == 1,
          p.stderr)
finally:
    shutil.rmtree(d, ignore_errors=True)
finish()
