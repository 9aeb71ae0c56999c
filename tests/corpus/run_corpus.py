#!/usr/bin/env python3
"""Runs ksynth's text-test corpus (Python 3 standard library only).

A corpus test is an OpenCL C file whose first lines state the expected
verdict and how to verify it:

    // EXPECT: refuted                  proved | refuted | unknown | error
    // OBLIGATION: equivalence          refuted only (docs/verdict-format.md)
    // SPEC: ../specs/hardtanh.json     relative to the .cl file
    // MANIFEST: {"launches": [...]}    the manifest, without "source"
    // BUG: one line naming the bug     required for refuted tests

Optional lines, checked when present:

    // SHAPE: {"N": 67}                 refuted: the counterexample's shape
    // UNKNOWN_KIND: approximation      unknown: the JSON "unknown_kind"
    // REASON: syntax_error.cl:10:      unknown/error: a substring of "reason"
    // LEVEL: structural                proved: every equivalence obligation's
                                        deciding level
    // LOCATION: 14:10                  refuted: the counterexample's
                                        "location" (LINE or LINE:COL in this
                                        file: the failing store, access or
                                        barrier; the kernel's line for
                                        coverage)
    // OTHER_LOCATION: 15               refuted: its "other_location" (the
                                        second access of a race, the other
                                        barrier of a divergence)

The runner writes a temporary manifest ({"source": <absolute .cl path>} plus
MANIFEST), runs `ksynth verify SPEC MANIFEST --json` and checks the exit
code, the JSON verdict and, for refuted tests, the counterexample (its
obligation; for equivalence, that reference and candidate really differ).

    run_corpus.py --ksynth build/tools/ksynth/ksynth tests/corpus/coverage/x.cl
    run_corpus.py --ksynth build/tools/ksynth/ksynth --all tests/corpus
    run_corpus.py --ksynth K --example examples/hardtanh scalar
    run_corpus.py --ksynth K --all-examples examples
    run_corpus.py --check-headers tests/corpus      (no ksynth needed)

`ksynth verify` runs with --no-self-check (the self-check of a proof costs
a PoCL build, about 1-3 s per new kernel on a cold PoCL cache), unless
--self-check is given (CTest gives it for the bundled examples): then a
proved verdict's self_check must have passed, or have been skipped only for
shapes too large to run or the lack of an OpenCL worker or device.

Exit status: 0 when every test got its expected verdict, 1 otherwise,
2 for a malformed test or command line.
"""

import argparse
import ast
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

EXIT_CODES = {"proved": 0, "refuted": 10, "unknown": 5, "error": 2}
VERDICT_OF_EXIT = {v: k for k, v in EXIT_CODES.items()}
VERDICT_OF_EXIT.update({1: "usage error", 6: "internal error"})
OBLIGATIONS = {
    "equivalence", "coverage", "write-race", "data-race", "memory-safety",
    "uninitialized-read", "input-modified", "program-scope-state", "launch",
    "undefined-behaviour", "barrier-divergence", "local-memory-limit",
}
UNKNOWN_KINDS = {"timeout", "bound", "unsupported", "approximation",
                 "too-large", "inconsistent"}
HEADER_KEYS = {"EXPECT", "OBLIGATION", "SPEC", "MANIFEST", "BUG", "SHAPE",
               "UNKNOWN_KIND", "REASON", "LEVEL", "LOCATION",
               "OTHER_LOCATION"}
DEFAULT_TIMEOUT_S = 110  # CTest kills the test at 120 s
SELF_CHECK = False  # --self-check: proofs are run on the device too


class TestDefError(Exception):
    """The test file itself is malformed."""


# --------------------------------------------------------------------------
# Test definitions

class Test:
    """What to run and what to expect (from a corpus header or an example)."""

    def __init__(self, name, spec, manifest, expect, source=None,
                 obligation=None, shape=None, unknown_kind=None, reason=None,
                 level=None,
                 bug=None, location=None, other_location=None):
        self.name = name
        self.spec = spec            # absolute path
        self.manifest = manifest    # dict (corpus) or absolute path (example)
        self.source = source        # absolute .cl path (corpus)
        self.expect = expect
        self.obligation = obligation
        self.shape = shape
        self.unknown_kind = unknown_kind
        self.reason = reason
        self.level = level
        self.bug = bug
        self.location = location              # "LINE" or "LINE:COL"
        self.other_location = other_location


def parse_header(path):
    """Reads the leading `// KEY: value` lines of a corpus .cl file."""
    fields = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            s = line.strip()
            if not s.startswith("//"):
                break
            m = re.match(r"//\s*([A-Z_]+):\s*(.*?)\s*$", s)
            if not m or m.group(1) not in HEADER_KEYS:
                continue
            key, value = m.group(1), m.group(2)
            if key in fields:
                raise TestDefError(f"{path}:{lineno}: {key} given twice")
            fields[key] = (value, lineno)
    return fields


def load_corpus_test(path):
    path = os.path.abspath(path)
    h = parse_header(path)

    def need(key):
        if key not in h:
            raise TestDefError(f"{path}: header has no '// {key}:' line")
        return h[key][0]

    expect = need("EXPECT")
    if expect not in EXIT_CODES:
        raise TestDefError(f"{path}:{h['EXPECT'][1]}: EXPECT must be one of "
                           f"{', '.join(EXIT_CODES)}, not '{expect}'")
    spec = os.path.normpath(os.path.join(os.path.dirname(path), need("SPEC")))
    if not os.path.isfile(spec):
        raise TestDefError(f"{path}:{h['SPEC'][1]}: spec {spec} not found")
    try:
        manifest = json.loads(need("MANIFEST"))
    except json.JSONDecodeError as e:
        raise TestDefError(f"{path}:{h['MANIFEST'][1]}: MANIFEST is not JSON: {e}")
    if not isinstance(manifest, dict) or "launches" not in manifest:
        raise TestDefError(f"{path}:{h['MANIFEST'][1]}: MANIFEST must be an "
                           "object with \"launches\"")
    if "source" in manifest:
        raise TestDefError(f"{path}:{h['MANIFEST'][1]}: MANIFEST must not set "
                           "\"source\" (the runner points it at this file)")
    obligation = h.get("OBLIGATION", (None,))[0]
    if expect == "refuted":
        obligation = need("OBLIGATION")
        need("BUG")
        if obligation not in OBLIGATIONS:
            raise TestDefError(f"{path}: unknown OBLIGATION '{obligation}'")
    elif obligation is not None:
        raise TestDefError(f"{path}: OBLIGATION is for refuted tests only")
    shape = None
    if "SHAPE" in h:
        try:
            shape = json.loads(h["SHAPE"][0])
        except json.JSONDecodeError as e:
            raise TestDefError(f"{path}: SHAPE is not JSON: {e}")
    unknown_kind = h.get("UNKNOWN_KIND", (None,))[0]
    if unknown_kind is not None and (expect != "unknown" or
                                     unknown_kind not in UNKNOWN_KINDS):
        raise TestDefError(f"{path}: UNKNOWN_KIND needs EXPECT: unknown and "
                           f"one of {', '.join(sorted(UNKNOWN_KINDS))}")
    for key in ("LOCATION", "OTHER_LOCATION"):
        if key in h and (expect != "refuted" or
                         not re.fullmatch(r"[0-9]+(:[0-9]+)?", h[key][0])):
            raise TestDefError(f"{path}:{h[key][1]}: {key} is LINE or "
                               "LINE:COL, for refuted tests only")
    name = test_name(path)
    return Test(name, spec, manifest, expect, source=path,
                location=h.get("LOCATION", (None,))[0],
                other_location=h.get("OTHER_LOCATION", (None,))[0],
                obligation=obligation, shape=shape, unknown_kind=unknown_kind,
                reason=h.get("REASON", (None,))[0],
                bug=h.get("BUG", (None,))[0], level=h.get("LEVEL", (None,))[0])


def test_name(path):
    """corpus/<group>/<name>, as CTest names it (relative to the folder
    holding this script, the corpus root)."""
    path = os.path.abspath(path)
    root = os.path.dirname(os.path.abspath(__file__))
    rel = os.path.relpath(path, root)
    if rel.startswith(".."):
        rel = os.path.basename(path)
    return "corpus/" + re.sub(r"\.cl$", "", rel.replace(os.sep, "/"))


def load_examples(problem_dir):
    """The candidates of examples/<problem>/candidates.json, as Tests."""
    problem_dir = os.path.abspath(problem_dir)
    index = os.path.join(problem_dir, "candidates.json")
    try:
        with open(index, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise TestDefError(f"{index}: {e}")
    problem = doc.get("problem", os.path.basename(problem_dir))
    tests, listed = [], set()
    for c in doc.get("candidates", []):
        for key in ("name", "spec", "manifest", "expect"):
            if key not in c:
                raise TestDefError(f"{index}: a candidate has no \"{key}\"")
        if c["expect"] not in EXIT_CODES:
            raise TestDefError(f"{index}: {c['name']}: bad expect '{c['expect']}'")
        spec = os.path.join(problem_dir, c["spec"])
        manifest = os.path.join(problem_dir, c["manifest"])
        for p in (spec, manifest):
            if not os.path.isfile(p):
                raise TestDefError(f"{index}: {c['name']}: {p} not found")
        listed.add(os.path.basename(manifest))
        tests.append(Test(f"examples/{problem}/{c['name']}", spec, manifest,
                          c["expect"], obligation=c.get("obligation"),
                          shape=c.get("shape"),
                          unknown_kind=c.get("unknown_kind"),
                          reason=c.get("reason")))
    # Every manifest in the folder must be listed (no silent leftovers).
    for fn in sorted(os.listdir(problem_dir)):
        if fn.endswith(".json") and fn not in listed:
            try:
                with open(os.path.join(problem_dir, fn), encoding="utf-8") as f:
                    j = json.load(f)
            except (OSError, json.JSONDecodeError):
                continue
            if isinstance(j, dict) and "launches" in j:
                raise TestDefError(f"{index}: manifest {fn} is not listed")
    return tests


def example_dirs(examples_root):
    return [os.path.join(examples_root, d)
            for d in sorted(os.listdir(examples_root))
            if os.path.isfile(os.path.join(examples_root, d, "candidates.json"))]


def corpus_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(".cl"):
                out.append(os.path.join(dirpath, fn))
    return out


# --------------------------------------------------------------------------
# Shapes and values

def eval_int_expr(expr, binding):
    """Evaluates a shape expression ("N", "(N+3)/4", 5) with C-like integer
    division, for checking counterexample sizes."""
    if isinstance(expr, int):
        return expr
    tree = ast.parse(str(expr), mode="eval")

    def ev(n):
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant) and isinstance(n.value, int):
            return n.value
        if isinstance(n, ast.Name):
            if n.id not in binding:
                raise ValueError(f"unbound symbol {n.id}")
            return binding[n.id]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            return -ev(n.operand)
        if isinstance(n, ast.BinOp):
            a, b = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            if isinstance(n.op, (ast.Div, ast.FloorDiv)):
                q = abs(a) // abs(b)
                return q if (a >= 0) == (b >= 0) else -q
            if isinstance(n.op, ast.Mod):
                return a - b * int(a / b)
        raise ValueError(f"unsupported shape expression {expr!r}")

    return ev(tree)


def parse_bits(s):
    if not isinstance(s, str) or not re.fullmatch(r"0x[0-9a-fA-F]+", s):
        raise ValueError(f"bits must be a hex string like 0x3f800000, got {s!r}")
    return int(s, 16), len(s) - 2


def is_nan32(b):
    return (b & 0x7F800000) == 0x7F800000 and (b & 0x007FFFFF) != 0


def values_differ(ref_bits, cand_bits, ignore_zero_sign):
    """Bit-exact comparison of docs/spec-format.md: every NaN equals every
    NaN; +0 differs from -0 unless the tolerance ignores the zero's sign."""
    r, rw = parse_bits(ref_bits)
    c, cw = parse_bits(cand_bits)
    if rw <= 2 and cw <= 2:  # bool bytes
        return r != c
    if is_nan32(r) and is_nan32(c):
        return False
    if ignore_zero_sign and (r & 0x7FFFFFFF) == 0 and (c & 0x7FFFFFFF) == 0:
        return False
    return r != c


# --------------------------------------------------------------------------
# Running one test

class Result:
    def __init__(self, test):
        self.test = test
        self.ok = False
        self.exit_code = None
        self.verdict = None
        self.detail = ""     # one line for the table
        self.problems = []   # what did not match
        self.seconds = 0.0
        self.command = ""
        self.stdout = ""
        self.stderr = ""
        self.doc = None


def expected_summary(t):
    s = f"{t.expect} (exit {EXIT_CODES[t.expect]}"
    if t.obligation:
        s += f", obligation {t.obligation}"
    if t.shape:
        s += f", shape {json.dumps(t.shape, sort_keys=True)}"
    if t.unknown_kind:
        s += f", unknown_kind {t.unknown_kind}"
    if t.reason:
        s += f", reason contains {t.reason!r}"
    return s + ")"


def got_summary(r):
    d = r.doc or {}
    s = f"{d.get('verdict', '?')} (exit {r.exit_code}"
    cex = d.get("counterexample") if isinstance(d, dict) else None
    if isinstance(cex, dict):
        s += f", obligation {cex.get('obligation')}"
        if cex.get("shape") is not None:
            s += f", shape {json.dumps(cex.get('shape'), sort_keys=True)}"
    if d.get("unknown_kind"):
        s += f", unknown_kind {d.get('unknown_kind')}"
    if d.get("reason"):
        s += f", reason {d.get('reason')!r}"
    return s + ")"


def run_test(t, ksynth, timeout_s, extra_args):
    r = Result(t)
    with tempfile.TemporaryDirectory(prefix="ksynth-corpus-") as tmp:
        if isinstance(t.manifest, dict):
            man = {"source": t.source}
            man.update(t.manifest)
            man_path = os.path.join(tmp, "manifest.json")
            with open(man_path, "w", encoding="utf-8") as f:
                json.dump(man, f, indent=1)
        else:
            man_path = t.manifest
        cmd = [ksynth, "verify", t.spec, man_path, "--json"] + extra_args
        if isinstance(t.manifest, dict):
            # Reproducible by hand: the temporary manifest is gone by then.
            shown = cmd[:3] + ["manifest.json"] + cmd[4:]
            r.command = ("echo " + shlex.quote(json.dumps(man)) +
                         " > manifest.json && " +
                         " ".join(shlex.quote(c) for c in shown))
        else:
            r.command = " ".join(shlex.quote(c) for c in cmd)
        start = time.monotonic()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=timeout_s)
        except subprocess.TimeoutExpired as e:
            r.seconds = time.monotonic() - start
            r.detail = f"timed out after {timeout_s} s"
            r.problems.append(f"ksynth did not finish within {timeout_s} s")
            r.stderr = (e.stderr or b"").decode("utf-8", "replace") \
                if isinstance(e.stderr, bytes) else (e.stderr or "")
            return r
        except OSError as e:
            r.detail = f"cannot run ksynth: {e}"
            r.problems.append(r.detail)
            return r
        r.seconds = time.monotonic() - start
    r.exit_code = p.returncode
    r.stdout, r.stderr = p.stdout, p.stderr
    check(r)
    r.ok = not r.problems
    return r


def check(r):
    t, P = r.test, r.problems
    want_exit = EXIT_CODES[t.expect]
    if r.exit_code < 0:
        P.append(f"ksynth died from signal {-r.exit_code}")
    elif r.exit_code != want_exit:
        P.append(f"exit code {r.exit_code} "
                 f"({VERDICT_OF_EXIT.get(r.exit_code, 'undocumented')}),"
                 f" expected {want_exit} ({t.expect})")
    try:
        doc = json.loads(r.stdout)
        if not isinstance(doc, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        P.append(f"stdout is not the --json document ({e})")
        r.detail = (r.stderr.strip().splitlines() or [""])[-1][:100]
        return
    r.doc = doc
    r.verdict = doc.get("verdict")
    r.detail = (doc.get("reason") or "")[:100]
    if r.verdict != t.expect:
        P.append(f"verdict \"{r.verdict}\", expected \"{t.expect}\"")
    if "exit_code" in doc and doc["exit_code"] != r.exit_code:
        P.append(f"JSON exit_code {doc['exit_code']} but the process "
                 f"exited with {r.exit_code}")
    try:
        spec = json.load(open(t.spec, encoding="utf-8"))
    except (OSError, ValueError):
        spec = {}

    if t.expect == "proved" and r.verdict == "proved":
        for ob in doc.get("obligations") or []:
            if ob.get("status") not in ("proved", "skipped"):
                P.append(f"verdict proved but obligation {ob.get('name')} at "
                         f"{ob.get('shape')} is {ob.get('status')}")
        shapes = (doc.get("assumptions") or {}).get("shapes")
        if spec.get("shapes") and shapes is not None and \
                sorted(map(canon, shapes)) != sorted(map(canon, spec["shapes"])):
            P.append(f"assumptions.shapes {shapes} differ from the spec's "
                     f"shapes {spec['shapes']}")

        sc = doc.get("self_check") or {}
        ok_skip = ("too large", "worker", "device did not run",
                   "sub_group_size", "--fmuladd unfused")
        if SELF_CHECK and sc.get("status") != "passed" and not (
                sc.get("status") == "skipped" and
                any(k in sc.get("reason", "") for k in ok_skip)):
            P.append(f"self-check {sc.get('status')}: {sc.get('reason')}")

    if t.expect == "refuted" and r.verdict == "refuted":
        check_counterexample(r, doc, spec)

    if t.expect == "unknown" and r.verdict == "unknown":
        if t.unknown_kind and doc.get("unknown_kind") != t.unknown_kind:
            P.append(f"unknown_kind \"{doc.get('unknown_kind')}\", expected "
                     f"\"{t.unknown_kind}\"")
    if t.level and r.verdict == t.expect == "proved":
        levels = {o.get("level") for o in doc.get("obligations", [])
                  if o.get("name") == "equivalence"}
        if levels != {t.level}:
            P.append(f"equivalence levels {sorted(map(str, levels))}, "
                     f"expected {t.level!r}")
    if t.reason and r.verdict == t.expect:
        if t.reason not in (doc.get("reason") or ""):
            P.append(f"reason {doc.get('reason')!r} does not contain "
                     f"{t.reason!r}")


def canon(shape):
    return json.dumps(shape, sort_keys=True)


def check_counterexample(r, doc, spec):
    t, P = r.test, r.problems
    cex = doc.get("counterexample")
    if not isinstance(cex, dict):
        P.append("refuted without a \"counterexample\" object")
        return
    ob = cex.get("obligation")
    if ob != t.obligation:
        P.append(f"counterexample.obligation \"{ob}\", expected "
                 f"\"{t.obligation}\"" +
                 (f" (detail: {cex.get('detail')})" if cex.get("detail") else ""))
    r.detail = (cex.get("detail") or "")[:100]
    shape = cex.get("shape")
    if t.shape is not None and canon(shape) != canon(t.shape):
        P.append(f"counterexample at shape {shape}, expected {t.shape}")
    for key, want in (("location", t.location),
                      ("other_location", t.other_location)):
        if want is None:
            continue
        loc = cex.get(key)
        got = None
        if isinstance(loc, dict):
            got = str(loc.get("line"))
            if ":" in want:
                got += f":{loc.get('column')}"
        if got != want or (t.source and os.path.basename(
                str(loc.get("file"))) != os.path.basename(t.source)):
            P.append(f"counterexample.{key} {loc}, expected line {want} of "
                     f"{os.path.basename(t.source or '?')}")
    # Replayability: every spec input with every element at that shape.
    inputs = cex.get("inputs")
    if not isinstance(inputs, dict):
        P.append("counterexample has no \"inputs\"")
    elif isinstance(shape, dict):
        for name, decl in (spec.get("inputs") or {}).items():
            got = inputs.get(name)
            if (isinstance(got, dict) and isinstance(got.get("elements"), list)
                    and isinstance(got.get("default"), str)):
                continue  # sparse form (docs/verdict-format.md): default + listed
            if not isinstance(got, dict) or not isinstance(got.get("bits"), list):
                P.append(f"counterexample.inputs lacks \"{name}\" with \"bits\"")
                continue
            try:
                numel = 1
                for d in decl.get("shape", []):
                    numel *= eval_int_expr(d, shape)
            except (ValueError, ZeroDivisionError, SyntaxError):
                continue
            if len(got["bits"]) != numel:
                P.append(f"counterexample.inputs.{name} has "
                         f"{len(got['bits'])} elements, expected {numel}")
    if ob != "equivalence" or t.obligation != "equivalence":
        return
    ref, cand = cex.get("reference"), cex.get("candidate")
    if not isinstance(ref, dict) or not isinstance(cand, dict):
        P.append("equivalence counterexample without reference/candidate")
        return
    try:
        ignore_zero_sign = bool((spec.get("tolerance") or {})
                                .get("ignore_zero_sign", False))
        if not values_differ(ref.get("bits"), cand.get("bits"),
                             ignore_zero_sign):
            P.append(f"counterexample does not differ: reference "
                     f"{ref.get('value')} ({ref.get('bits')}), candidate "
                     f"{cand.get('value')} ({cand.get('bits')})")
    except ValueError as e:
        P.append(f"counterexample values: {e}")
    r.detail = (f"{cex.get('output')}{cex.get('index')}: expected "
                f"{ref.get('value')} got {cand.get('value')}")[:100]
    if cex.get("confirmed_by_interpreter") is False:
        P.append("counterexample not confirmed by the reference interpreter")
    outputs = spec.get("outputs") or []
    if outputs and cex.get("output") not in outputs:
        P.append(f"counterexample.output \"{cex.get('output')}\" is not a "
                 f"spec output {outputs}")


def report_failure(r, out=sys.stdout):
    t = r.test
    print(f"FAIL {t.name}", file=out)
    print(f"  expected: {expected_summary(t)}", file=out)
    if r.exit_code is not None:
        print(f"  got:      {got_summary(r)}", file=out)
    for p in r.problems:
        print(f"  - {p}", file=out)
    if t.bug:
        print(f"  bug modelled: {t.bug}", file=out)
    print(f"  command:  {r.command}", file=out)
    if r.doc and r.doc.get("counterexample"):
        cex = dict(r.doc["counterexample"])
        cex.pop("inputs", None)
        print(f"  counterexample (inputs omitted): {json.dumps(cex)}", file=out)
    if r.stderr.strip():
        tail = r.stderr.strip().splitlines()[-8:]
        print("  stderr:", file=out)
        for line in tail:
            print(f"    {line}", file=out)
    if r.doc is None and r.stdout.strip():
        print(f"  stdout: {r.stdout.strip()[:2000]}", file=out)


# --------------------------------------------------------------------------

def run_many(tests, args, extra):
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futs = [pool.submit(run_test, t, args.ksynth, args.timeout, extra)
                for t in tests]
        for f in futs:
            results.append(f.result())
    w = max([len(r.test.name) for r in results] + [4])
    print(f"| {'test'.ljust(w)} | expected | got | exit | s | result | detail |")
    print(f"| {'-' * w} | --- | --- | --- | --- | --- | --- |")
    for r in results:
        qual = r.test.obligation or r.test.unknown_kind
        exp = r.test.expect + (f" ({qual})" if qual else "")
        got = str(r.verdict)
        if r.doc and isinstance(r.doc.get("counterexample"), dict):
            got += f" ({r.doc['counterexample'].get('obligation')})"
        elif r.doc and r.doc.get("unknown_kind"):
            got += f" ({r.doc.get('unknown_kind')})"
        detail = r.detail.replace("|", "/")
        print(f"| {r.test.name.ljust(w)} | {exp} | {got} | {r.exit_code} | "
              f"{r.seconds:.2f} | {'pass' if r.ok else 'FAIL'} | {detail} |")
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)}/{len(results)} passed")
    for r in failed:
        print()
        report_failure(r)
    return 0 if not failed else 1


def main(argv):
    ap = argparse.ArgumentParser(
        description="Run ksynth corpus tests (tests/corpus/**.cl) and "
                    "example candidates (examples/*/candidates.json).")
    ap.add_argument("--ksynth", help="path of the ksynth executable")
    ap.add_argument("--all", metavar="DIR", help="run every .cl under DIR")
    ap.add_argument("--example", nargs=2, metavar=("PROBLEM_DIR", "NAME"),
                    help="run one candidate of PROBLEM_DIR/candidates.json")
    ap.add_argument("--all-examples", metavar="DIR",
                    help="run every candidate of DIR/*/candidates.json")
    ap.add_argument("--check-headers", metavar="DIR",
                    help="only parse every test header under DIR and every "
                         "examples/*/candidates.json; no ksynth needed")
    ap.add_argument("--list", action="store_true",
                    help="with --all: print the tests and expectations only")
    ap.add_argument("-j", "--jobs", type=int, default=1,
                    help="tests run in parallel (default 1)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                    help=f"seconds per ksynth run (default {DEFAULT_TIMEOUT_S})")
    ap.add_argument("--verify-arg", action="append", default=[],
                    metavar="ARG", help="extra argument for ksynth verify "
                    "(repeatable), e.g. --verify-arg=--query-timeout-ms --verify-arg=5000")
    ap.add_argument("--self-check", action="store_true",
                    help="let ksynth verify self-check proofs on the device "
                    "(default: --no-self-check) and require it to pass")
    ap.add_argument("file", nargs="?", help="one corpus .cl file")
    args = ap.parse_args(argv)

    modes = [m for m in (args.file, args.all, args.example, args.all_examples,
                         args.check_headers) if m]
    if len(modes) != 1:
        ap.error("give exactly one of FILE, --all, --example, --all-examples, "
                 "--check-headers")
    try:
        if args.check_headers:
            tests = [load_corpus_test(f)
                     for f in corpus_files(args.check_headers)]
            examples = os.path.join(os.path.dirname(os.path.abspath(
                __file__)), "..", "..", "examples")
            if os.path.isdir(examples):
                tests += [t for d in example_dirs(examples)
                          for t in load_examples(d)]
            for t in tests:
                print(f"{t.name}: {expected_summary(t)}")
            print(f"{len(tests)} test definitions OK")
            return 0
        if args.all and args.list:
            for f in corpus_files(args.all):
                t = load_corpus_test(f)
                print(f"{t.name}: {expected_summary(t)}"
                      + (f"  -- {t.bug}" if t.bug else ""))
            return 0
        if not args.ksynth:
            ap.error("--ksynth is required")
        if not os.access(args.ksynth, os.X_OK):
            print(f"run_corpus: {args.ksynth} is not an executable",
                  file=sys.stderr)
            return 2
        args.ksynth = os.path.abspath(args.ksynth)
        extra = list(args.verify_arg)
        global SELF_CHECK
        SELF_CHECK = args.self_check
        if not args.self_check:
            extra.append("--no-self-check")
        if args.file:
            t = load_corpus_test(args.file)
            r = run_test(t, args.ksynth, args.timeout, extra)
            if r.ok:
                print(f"PASS {t.name}: {got_summary(r)} in {r.seconds:.2f} s")
                return 0
            report_failure(r)
            return 1
        if args.example:
            tests = [t for t in load_examples(args.example[0])
                     if t.name.split("/")[-1] == args.example[1]]
            if not tests:
                print(f"run_corpus: no candidate {args.example[1]} in "
                      f"{args.example[0]}/candidates.json", file=sys.stderr)
                return 2
            r = run_test(tests[0], args.ksynth, args.timeout, extra)
            if r.ok:
                print(f"PASS {r.test.name}: {got_summary(r)} in "
                      f"{r.seconds:.2f} s")
                return 0
            report_failure(r)
            return 1
        if args.all:
            tests = [load_corpus_test(f) for f in corpus_files(args.all)]
        else:
            tests = [t for d in example_dirs(args.all_examples)
                     for t in load_examples(d)]
        if not tests:
            print("run_corpus: no tests found", file=sys.stderr)
            return 2
        return run_many(tests, args, extra)
    except TestDefError as e:
        print(f"run_corpus: malformed test: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
