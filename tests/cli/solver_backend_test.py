#!/usr/bin/env python3
"""The second solver back end (issue 12 item 3) through `ksynth verify`:
a corpus kernel proved with a bit-exact solver query and one refuted
through a solver model give the same verdicts, obligations and levels with
`--solver z3`, `--solver cvc5` and `--solver portfolio` (every query to
both solvers: `--portfolio-min-nodes 0`); the verdict says which back end
was configured and who decided (`stats.decided_by`,
`stats.portfolio_queries`); a bad `--solver` is a one-line usage error.

usage: solver_backend_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import re
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORPUS = os.path.join(ROOT, "tests", "corpus")



def header(path, key):
    for line in open(path):
        m = re.match(r"//\s*" + key + r":\s*(.*)", line)
        if m:
            return m.group(1).strip()
    return None


def verify(kernel, *extra):
    path = os.path.join(CORPUS, kernel)
    spec = os.path.join(os.path.dirname(path), header(path, "SPEC"))
    manifest = json.loads(header(path, "MANIFEST"))
    manifest["source"] = path
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(manifest, f)
    try:
        p = subprocess.run([KSYNTH, "verify", spec, f.name, "--json",
                            "--no-self-check", "--no-hunt", *extra],
                           capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(f.name)
    try:
        return p.returncode, json.loads(p.stdout), p.stderr
    except json.JSONDecodeError:
        return p.returncode, {}, p.stderr


def summary(doc):
    return (doc.get("verdict"),
            [(o["name"], json.dumps(o["shape"], sort_keys=True), o["status"],
              o["level"]) for o in doc.get("obligations", [])],
            (doc.get("counterexample") or {}).get("obligation"))


KERNELS = [("proved/leaky_relu_fmax_form.cl", 0, "proved"),
           ("equivalence/argmax_ignores_nan_small.cl", 10, "refuted")]
MODES = [("z3", []), ("cvc5", []),
         ("portfolio", ["--portfolio-min-nodes", "0"])]

for kernel, code, verdict in KERNELS:
    ref = None
    for solver, extra in MODES:
        rc, doc, err = verify(kernel, "--solver", solver, *extra)
        name = f"{kernel} --solver {solver}"
        check(name + f": {verdict} (exit {code})",
              rc == code and doc.get("verdict") == verdict,
              f"exit {rc}, {doc.get('verdict')}, {err[-300:]!r}")
        check(name + ": the verdict names the back end",
              doc.get("solver", {}).get("backend") == solver,
              str(doc.get("solver")))
        if solver != "z3":
            check(name + ": cvc5's version recorded",
                  doc.get("solver", {}).get("cvc5_version", "").startswith(
                      "1."), str(doc.get("solver")))
        stats = doc.get("stats", {})
        decided = stats.get("decided_by", {})
        if solver == "portfolio":
            pq = stats.get("portfolio_queries", [])
            check(name + ": portfolio queries listed with who decided",
                  pq and all(q["decided_by"] in ("z3", "cvc5") for q in pq),
                  str(pq)[:300])
            check(name + ": decided_by counts them",
                  decided.get("z3", 0) + decided.get("cvc5", 0) >= len(pq),
                  str(decided))
        else:
            check(name + f": decided by {solver}",
                  decided.get(solver, 0) >= 1 and
                  set(decided) <= {solver, "cache"}, str(decided))
        if ref is None:
            ref = summary(doc)
        else:
            check(name + ": same obligations, levels as with z3",
                  summary(doc) == ref, f"{summary(doc)} vs {ref}")

# A bad back end name: usage error, one line.
kernel = os.path.join(CORPUS, "proved", "leaky_relu_fmax_form.cl")
rc, doc, err = verify("proved/leaky_relu_fmax_form.cl", "--solver", "yices")
lines = [l for l in err.splitlines() if l.strip()]
check("--solver yices is a one-line usage error",
      rc == 1 and len(lines) == 1 and "--solver" in lines[0], f"{rc} {err!r}")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all ok")
