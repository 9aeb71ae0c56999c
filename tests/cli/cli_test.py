#!/usr/bin/env python3
"""CLI behaviour of `ksynth`: exit codes, one-line errors, JSON output,
SMT-LIB dumps and the eval replay of a counterexample.

usage: cli_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = sys.argv[1], sys.argv[2]
HT = os.path.join(ROOT, "examples", "hardtanh")


def run(*args, cwd=None):
    p = subprocess.run([KSYNTH, *args], capture_output=True, text=True,
                       cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr



def one_line_error(name, args, code, needle, cwd=None):
    rc, out, err = run(*args, cwd=cwd)
    lines = [l for l in err.splitlines() if l.strip()]
    check(name, rc == code and len(lines) == 1 and needle in lines[0],
          f"exit {rc} (want {code}), stderr {err!r}")


with tempfile.TemporaryDirectory() as tmp:
    def write(name, text):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    rc, _, err = run()
    check("no command is a usage error", rc == 1 and "usage" in err, f"{rc}")
    rc, _, err = run("frobnicate")
    check("unknown command", rc == 1 and "unknown command" in err, f"{rc} {err!r}")
    one_line_error("verify needs two files", ["verify", "x.json"], 1,
                   "verify needs SPEC and MANIFEST")
    one_line_error("unknown option", ["verify", "a", "b", "--frob"], 1,
                   "unknown option --frob")
    one_line_error("bad timeout",
                   ["verify", "a", "b", "--query-timeout-ms", "soon"], 1,
                   "--query-timeout-ms")

    bad_json = write("bad.json", '{"inputs": {"x": ')
    one_line_error("malformed spec JSON",
                   ["verify", bad_json, os.path.join(HT, "scalar.json")], 2,
                   "bad.json")
    unknown_op = write("unknown_op.json", json.dumps({
        "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
        "ops": [{"op": "frobnicate", "inputs": ["x"], "output": "y"}],
        "outputs": ["y"], "shapes": [{"N": 4}]}))
    one_line_error("unknown op",
                   ["verify", unknown_op, os.path.join(HT, "scalar.json")], 2,
                   "frobnicate")
    huge = write("huge.json", json.dumps({
        "inputs": {"x": {"dtype": "float32", "shape": ["N", "N"]}},
        "ops": [{"op": "relu", "inputs": ["x"], "output": "y"}],
        "outputs": ["y"], "shapes": [{"N": 100000}]}))
    one_line_error("huge shape", ["verify", huge, os.path.join(HT, "scalar.json")],
                   2, "too large")
    one_line_error("missing spec file",
                   ["verify", os.path.join(tmp, "nope.json"),
                    os.path.join(HT, "scalar.json")], 2, "nope.json")

    # --json is one parseable document; exit code matches the verdict.
    rc, out, _ = run("verify", "spec.json", "identity_cheat.json", "--json",
                     cwd=HT)
    doc = json.loads(out)
    check("json verdict", rc == 10 and doc["verdict"] == "refuted" and
          doc["exit_code"] == 10, f"{rc} {doc.get('verdict')}")
    cx = doc.get("counterexample", {})
    check("counterexample is complete",
          cx.get("obligation") == "equivalence" and
          len(cx["inputs"]["x"]["bits"]) == cx["shape"]["N"] and
          cx["reference"]["bits"] != cx["candidate"]["bits"], str(cx)[:300])
    # identity_cheat.cl line 8 is "    y[i] = x[i];": the wrong store.
    loc = cx.get("location", {})
    check("counterexample located at the wrong store",
          loc.get("line") == 8 and loc.get("column") == 10 and
          loc.get("what") == "store" and
          loc.get("file", "").endswith("identity_cheat.cl"), str(loc))
    rc, text, _ = run("verify", "spec.json", "identity_cheat.json",
                      "--no-self-check", cwd=HT)
    check("text report: the failing store's line",
          rc == 10 and "identity_cheat.cl:8:10 (store)" in text, text[:600])
    check("assumptions and solver settings recorded",
          doc["assumptions"]["shapes"] and "timeout_ms" in doc["solver"] and
          "seed" in doc["solver"], str(doc.get("solver")))

    # The reference interpreter agrees with the counterexample's reference.
    verdict = write("verdict.json", out)
    rc, out, err = run("eval", os.path.join(HT, "spec.json"), "--inputs",
                       verdict)
    ev = json.loads(out) if rc == 0 else {}
    got = ev.get("y", {}).get("bits", [None] * 10000)[cx.get("flat_index", 0)]
    check("eval replays the counterexample", got == cx["reference"]["bits"],
          f"eval gives {got}, verdict says {cx['reference']['bits']} ({err})")

    # --dump-smt writes every query as SMT-LIB2 (--no-hunt: concrete hunting
    # would refute the cheat before any query is asked).
    dump = os.path.join(tmp, "smt")
    rc, _, _ = run("verify", "spec.json", "identity_cheat.json",
                   "--dump-smt", dump, "--no-hunt", cwd=HT)
    files = sorted(os.listdir(dump)) if os.path.isdir(dump) else []
    text = open(os.path.join(dump, files[0])).read() if files else ""
    check("dump-smt", rc == 10 and files and "(check-sat)" in text,
          f"{rc} {files}")

    # --deadline bounds the whole verification: past it, unknown (timeout).
    rc, out, _ = run("verify", "spec.json", "scalar.json", "--deadline", "0",
                     "--json", cwd=HT)
    doc = json.loads(out)
    check("deadline gives unknown", rc == 5 and doc["verdict"] == "unknown" and
          doc["unknown_kind"] == "timeout" and "deadline" in doc["reason"],
          f"{rc} {doc.get('reason')}")

    # eval prints int64 results (argmax) as a verdict does.
    am = write("argmax.json", json.dumps({
        "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
        "ops": [{"op": "argmax", "inputs": ["x"], "output": "y",
                 "attrs": {"dim": 0}}],
        "outputs": ["y"], "shapes": [{"N": 3}]}))
    am_in = write("argmax_in.json", json.dumps({"x": ["1", "3", "2"]}))
    rc, out, err = run("eval", am, "--inputs", am_in)
    ev = json.loads(out) if rc == 0 else {}
    check("eval int64", ev.get("y", {}).get("values") == ["1"] and
          ev["y"].get("bits") == ["0x0000000000000001"], f"{rc} {out} {err}")

    # --max-memory: past it, unknown (too-large) instead of the OOM killer.
    # (--symbolic-above forces enumeration: one variable per element.)
    big = write("big.json", json.dumps({
        "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
        "ops": [{"op": "hardtanh", "inputs": ["x"], "output": "y"}],
        "outputs": ["y"], "shapes": [{"N": 4000000}]}))
    rc, out, _ = run("verify", big, os.path.join(HT, "scalar.json"),
                     "--symbolic-above", "100000000", "--max-memory", "300",
                     "--json")
    doc = json.loads(out) if out.strip() else {}
    check("memory limit gives unknown", rc == 5 and
          doc.get("unknown_kind") == "too-large" and
          "memory limit of 300 MB" in doc.get("reason", "") and
          doc["assumptions"].get("memory_limit_mb") == 300,
          f"{rc} {doc.get('reason')}")

    # --out writes the same JSON document as --json.
    out_path = os.path.join(tmp, "out.json")
    rc, _, _ = run("verify", "spec.json", "scalar.json", "--out", out_path,
                   cwd=HT)
    check("--out", rc == 0 and json.load(open(out_path))["verdict"] == "proved",
          f"{rc}")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
