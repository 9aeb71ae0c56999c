#!/usr/bin/env python3
"""Soundness campaign (issue 10, item 5): generate many candidate kernels,
verify each with `ksynth verify`, and check every verdict on the device.

  proved   -> `ksynth run SPEC MANIFEST --trials K --seed S --json` on PoCL
              (differential testing with the special-value input sets);
              a mismatch, unwritten element, nondeterminism or modified
              input is a CONTRADICTED PROOF.
  refuted  -> `ksynth run SPEC MANIFEST --replay v.json`; a refutation whose
              counterexample passes on the device is a NON-REPLAYING
              REFUTATION (for equivalence, coverage and input-modified; a
              race, out-of-bounds access, uninitialised read or barrier
              divergence need not show on a CPU device, and a counterexample
              marked depends_on_implementation_choice need not either: those
              are counted apart, not failures).
  unknown / error -> counted.

Usage:
  campaign.py --ksynth build/tools/ksynth/ksynth --out DIR [--seed S]
              [--mutants N] [--forms N] [--only-elementwise] [-j 2]
  campaign.py --list ...          print the generated cases and stop
  campaign.py --replay DIR/cases/NAME --ksynth K   re-run one kept case

Exit: 0 no failure; 1 a contradicted proof or non-replaying refutation (or
a proved kernel that crashed on the device); 2 usage / setup problem.
Outputs in DIR: summary.txt, summary.json, results.jsonl (one line per
kernel) and cases/<name>/ for every failing (or, with --keep-all, every)
kernel: kernel.cl, manifest.json, spec.json, verdict.json, run.json,
the commands' stderr, and case.json (what happened).
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import adversarial  # noqa: E402
import forms  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

MUST_REPLAY = {"equivalence", "coverage", "input-modified"}


# ------------------------------------------------------------- generation


class Case:
    def __init__(self, name, origin, kind, desc, spec, manifest, source):
        self.name = name  # unique, filesystem-safe
        self.origin = origin  # seed or op
        self.kind = kind  # mutant operator or "form"
        self.desc = desc
        self.spec = spec  # dict
        self.manifest = manifest  # dict without source
        self.source = source

    def meta(self):
        return {"name": self.name, "origin": self.origin, "kind": self.kind, "desc": self.desc}


def _slug(s):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s).strip("_")


def code_key(src, spec=None):
    """Identity of a case: its token stream (comments and layout ignored)
    and, when given, its spec."""
    key = " ".join(t.text for t in mutate.tokenize(src))
    if spec is not None:
        key = json.dumps(spec, sort_keys=True) + "\n" + key
    return key


class Compiler:
    """clang-15 syntax check, as the verifier compiles (spir64, CL1.2)."""

    def __init__(self, clang, jobs=1):
        self.clang = clang
        self.jobs = max(1, jobs)
        self.cache = {}

    def prefetch(self, items):
        """Check [(source, manifest)] in parallel into the cache."""
        todo = [(src, man) for src, man in items if src not in self.cache]
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.jobs) as ex:
            for (src, _), ok in zip(todo, ex.map(lambda it: self._check(*it), todo)):
                self.cache[src] = ok

    def ok(self, source, manifest):
        if source not in self.cache:
            self.cache[source] = self._check(source, manifest)
        return self.cache[source]

    def _check(self, source, manifest):
        if not self.clang:
            return True
        opts = []
        for o in manifest.get("build_options", []):
            if o.startswith("-D"):
                opts.append(o.replace(" ", ""))
        with tempfile.NamedTemporaryFile("w", suffix=".cl", delete=False) as f:
            f.write(source)
            path = f.name
        try:
            r = subprocess.run([self.clang, "-x", "cl", "-cl-std=CL1.2", "-target", "spir64",
                                "-Xclang", "-finclude-default-header", "-fsyntax-only",
                                "-Werror=implicit-function-declaration"] + opts + [path],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            return r.returncode == 0
        finally:
            os.unlink(path)


def generate(args):
    """The campaign's cases, deterministic for args.seed."""
    rng = random.Random(args.seed)
    cc = Compiler(args.clang, getattr(args, "jobs", 1))
    seen = set()
    cases = []

    all_seeds = seeds.all_seeds()
    if args.only_elementwise:
        all_seeds = [s for s in all_seeds if s.elementwise()]
    if args.seed_filter:
        all_seeds = [s for s in all_seeds if re.search(args.seed_filter, s.name)]
    for s in all_seeds:
        seen.add(code_key(s.source, seeds.small_spec(s.spec, args.max_shapes)))

    # (a) mutants: one shuffled queue per operator, taken round-robin so
    # that every operator (bit-level included) is represented.
    queues = {}
    for s in all_seeds:
        for op, desc, text in mutate.mutants(s.source):
            queues.setdefault(op, []).append((s, desc, text))
    for op in sorted(queues):
        rng.shuffle(queues[op])
    ops = sorted(queues)
    if ops and args.mutants > 0:
        per = args.mutants // len(ops) + 8
        cc.prefetch([(t, s.manifest) for op in ops for s, _, t in queues[op][:per]])
    taken, pos = 0, {op: 0 for op in ops}
    while taken < args.mutants and any(pos[op] < len(queues[op]) for op in ops):
        for op in ops:
            if taken >= args.mutants:
                break
            while pos[op] < len(queues[op]):
                s, desc, text = queues[op][pos[op]]
                pos[op] += 1
                key = code_key(text, seeds.small_spec(s.spec, args.max_shapes))
                if key in seen:
                    continue
                seen.add(key)
                if not cc.ok(text, s.manifest):
                    continue
                name = "m%05d_%s_%s" % (taken, _slug(s.name.split("/", 1)[1]), op)
                src = "// campaign mutant of %s: %s\n%s" % (s.name, desc, text)
                cases.append(Case(name, s.name, op, desc, seeds.small_spec(s.spec, args.max_shapes),
                                  s.manifest, src))
                taken += 1
                break

    # (b) random well-typed kernels for the elementwise ops
    pool = forms.all_kernels(rng)
    if args.seed_filter:
        pool = [p for p in pool if re.search(args.seed_filter, p[0])]
    rng.shuffle(pool)
    if args.include_forms:
        first = [p for p in pool if re.fullmatch(args.include_forms, p[0])]
        pool = first + [p for p in pool if not re.fullmatch(args.include_forms, p[0])]
    made = 0
    cc.prefetch([(text, man) for _, _, man, text in pool[:args.forms + args.forms // 4]])
    for fname, spec_path, man, text in pool:
        if made >= args.forms:
            break
        spec = seeds.small_spec(json.load(open(spec_path)), 1)
        key = code_key(text, spec)
        if key in seen:
            continue
        seen.add(key)
        if not cc.ok(text, man):
            continue
        name = "f%05d_%s" % (made, _slug(fname))
        src = "// campaign form %s (spec %s)\n%s" % (fname, os.path.basename(spec_path), text)
        cases.append(Case(name, fname.split("/")[0], "form", fname, spec, man, src))
        made += 1
    return cases


# ------------------------------------------------------------------ runner


def _run(cmd, timeout, cwd):
    t0 = time.time()
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, text=True, errors="replace")
        return r.returncode, r.stdout, r.stderr, time.time() - t0
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err + "\n[campaign] killed after %d s\n" % timeout, time.time() - t0


def _load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class Runner:
    def __init__(self, args, verify_flags):
        self.args = args
        self.verify_flags = verify_flags
        self.lock = threading.Lock()

    def write_case(self, case, d):
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "kernel.cl"), "w") as f:
            f.write(case.source)
        man = dict(case.manifest)
        man = {"source": "kernel.cl", **man}
        with open(os.path.join(d, "manifest.json"), "w") as f:
            json.dump(man, f, indent=1)
        with open(os.path.join(d, "spec.json"), "w") as f:
            json.dump(case.spec, f, indent=1)

    def check(self, case, index):
        a = self.args
        d = os.path.join(a.out, "cases", case.name)
        if os.path.exists(d):
            shutil.rmtree(d)
        self.write_case(case, d)
        res = dict(case.meta())
        res["run_seed"] = a.seed * 100003 + index
        vcmd = [a.ksynth, "verify", "spec.json", "manifest.json", "--json", "--out",
                "verdict.json", "--deadline", str(a.deadline)] + self.verify_flags
        rc, out, err, secs = _run(vcmd, a.deadline + a.grace, d)
        _write(d, "verify.stderr", err)
        v = _load(os.path.join(d, "verdict.json"))
        res["verify_exit"] = rc
        res["verify_seconds"] = round(secs, 2)
        if rc is None:
            res["verdict"] = "hung"
        elif v is None:
            res["verdict"] = "error" if rc != 6 else "internal-error"
        else:
            res["verdict"] = v.get("verdict", "error")
            if rc == 6:
                res["verdict"] = "internal-error"
            if v.get("reason"):
                res["reason"] = v["reason"][:300]
            if v.get("unknown_kind"):
                res["unknown_kind"] = v["unknown_kind"]
        res["outcome"] = res["verdict"]
        res["failure"] = None

        if res["verdict"] == "proved":
            rcmd = [a.ksynth, "run", "spec.json", "manifest.json", "--trials", str(a.trials),
                    "--seed", str(res["run_seed"]), "--json", "--timeout", str(a.run_timeout)]
            rc2, out2, err2 = self.device_run(rcmd, d, res)
            if rc2 is not None and (rc2 < 0 or rc2 == 6):
                res["outcome"] = "run-tool-crash"  # ksynth run itself crashed
            elif rc2 == 0:
                res["outcome"] = "proved-confirmed"
                bad = self.adversarial(case, d, res)
                if bad:
                    res["outcome"] = "contradicted-proof"
                    res["failure"] = ("contradicted proof: proved, but the campaign's adversarial set %s "
                                      "mismatches on the device (ksynth run --replay)" % bad)
            elif rc2 == 10:
                res["outcome"] = "contradicted-proof"
                res["failure"] = "contradicted proof: proved, but `ksynth run` found a mismatch on the device"
                res["device"] = _first_mismatch(out2)
            elif rc2 == 7 and "killed after" not in (out2 + err2):
                res["outcome"] = "proved-run-failure"
                res["failure"] = "proved, but the kernel failed to run on the device (crash or build error)"
            else:
                res["outcome"] = "proved-run-inconclusive"
        elif res["verdict"] == "refuted":
            cx = (v or {}).get("counterexample") or {}
            res["obligation"] = cx.get("obligation")
            res["implementation_choice"] = bool(cx.get("depends_on_implementation_choice"))
            res["counterexample"] = {k: cx.get(k) for k in ("output", "flat_index", "reference", "candidate", "detail") if k in cx}
            rcmd = [a.ksynth, "run", "spec.json", "manifest.json", "--replay", "verdict.json",
                    "--json", "--timeout", str(a.run_timeout)]
            rc2, out2, err2 = self.device_run(rcmd, d, res)
            if rc2 is not None and (rc2 < 0 or rc2 == 6):
                res["outcome"] = "run-tool-crash"  # ksynth run itself crashed
            elif rc2 == 10:
                res["outcome"] = "refuted-replayed"
            elif rc2 == 0:
                if res["obligation"] in MUST_REPLAY and not res["implementation_choice"]:
                    res["outcome"] = "non-replaying-refutation"
                    res["failure"] = "non-replaying refutation: the counterexample passes on the device"
                else:
                    res["outcome"] = "refuted-not-observable"
            else:
                res["outcome"] = "refuted-replay-run-failure"
        keep = a.keep_all or res["failure"] or res["outcome"] in ("internal-error", "hung", "run-tool-crash")
        if keep:
            with open(os.path.join(d, "case.json"), "w") as f:
                json.dump(res, f, indent=1)
        else:
            shutil.rmtree(d, ignore_errors=True)
        return res


    def device_run(self, rcmd, d, res):
        """Runs `ksynth run` for a case (proof check or replay); keeps its
        output in the case folder and its exit, time and command in res."""
        rc2, out2, err2, secs2 = _run(rcmd, self.args.run_timeout * 4 + 60, d)
        _write(d, "run.json", out2)
        _write(d, "run.stderr", err2)
        res["run_exit"] = rc2
        res["run_seconds"] = round(secs2, 2)
        res["run_command"] = " ".join(rcmd[1:])
        return rc2, out2, err2

    def adversarial(self, case, d, res):
        """Run the campaign's own adversarial sets (adversarial.py) by
        replay; the first that fails, or None."""
        a = self.args
        if a.adversarial_sets <= 0:
            return None
        rng = random.Random(res["run_seed"])
        try:
            paths = adversarial.write_documents(os.path.join(d, "adversarial"), case.spec, rng,
                                                case.source, a.adversarial_sets)
        except (ValueError, KeyError) as e:
            res["adversarial"] = "not built: %s" % e
            return None
        res["adversarial"] = 0
        for p in paths:
            rcmd = [a.ksynth, "run", "spec.json", "manifest.json", "--replay", os.path.basename(p),
                    "--json", "--timeout", str(a.run_timeout)]
            rc, out, err, secs = _run(rcmd, a.run_timeout * 4 + 60, d)
            res["run_seconds"] = round(res.get("run_seconds", 0) + secs, 2)
            if rc == 10:
                _write(d, "adversarial_run.json", out)
                res["adversarial_command"] = " ".join(rcmd[1:])
                res["device"] = _first_mismatch(out)
                return os.path.basename(p)
            if rc is not None and (rc < 0 or rc == 6):
                res["outcome"] = "run-tool-crash"
                res["adversarial_run_exit"] = rc
                _write(d, "adversarial_run.stderr", err)
                return None
            if rc != 0:
                res["adversarial_run_exit"] = rc
                _write(d, "adversarial_run.stderr", err)
                continue
            res["adversarial"] += 1
        return None


def _write(d, name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text or "")


def _first_mismatch(run_stdout):
    """A short account of the device's first mismatch from `run --json`."""
    try:
        j = json.loads(run_stdout)
    except ValueError:
        return run_stdout[-400:]
    found = []

    def walk(x, path):
        if len(found) >= 3:
            return
        if isinstance(x, dict):
            if "expected" in x and ("got" in x or "device" in x or "actual" in x):
                found.append(x)
                return
            for k, y in x.items():
                walk(y, path + [k])
        elif isinstance(x, list):
            for y in x:
                walk(y, path)

    walk(j, [])
    return found if found else {k: j[k] for k in list(j)[:6]} if isinstance(j, dict) else None


def verify_flags(ksynth):
    """Flags this ksynth build accepts that the campaign wants (none now:
    the self-check of issue 10 item 4, when present, stays on)."""
    return []


def summarize(results, secs, args):
    c = {}
    for r in results:
        c[r["outcome"]] = c.get(r["outcome"], 0) + 1
    verdicts = {}
    for r in results:
        verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
    s = {
        "seed": args.seed,
        "kernels": len(results),
        "mutants": sum(1 for r in results if r["kind"] != "form"),
        "forms": sum(1 for r in results if r["kind"] == "form"),
        "proved": verdicts.get("proved", 0),
        "refuted": verdicts.get("refuted", 0),
        "unknown": verdicts.get("unknown", 0),
        "error": verdicts.get("error", 0),
        "internal_error": verdicts.get("internal-error", 0),
        "hung": verdicts.get("hung", 0),
        "contradicted_proofs": c.get("contradicted-proof", 0),
        "non_replaying_refutations": c.get("non-replaying-refutation", 0),
        "proved_run_failures": c.get("proved-run-failure", 0),
        "proved_run_inconclusive": c.get("proved-run-inconclusive", 0),
        "refuted_replayed": c.get("refuted-replayed", 0),
        "refuted_not_observable": c.get("refuted-not-observable", 0),
        "refuted_replay_run_failures": c.get("refuted-replay-run-failure", 0),
        "run_tool_crashes": c.get("run-tool-crash", 0),
        "seconds": round(secs, 1),
        "jobs": args.jobs,
        "trials": args.trials,
        "deadline": args.deadline,
        "by_kind": {},
        "failures": [{"name": r["name"], "origin": r["origin"], "desc": r["desc"],
                      "outcome": r["outcome"], "device": r.get("device"),
                      "counterexample": r.get("counterexample")}
                     for r in results if r["failure"]],
    }
    for r in results:
        k = s["by_kind"].setdefault(r["kind"], {})
        k[r["verdict"]] = k.get(r["verdict"], 0) + 1
    return s


def summary_text(s):
    lines = [
        "soundness campaign: seed %d, %d kernels (%d mutants, %d random forms), %.0f s, %d jobs"
        % (s["seed"], s["kernels"], s["mutants"], s["forms"], s["seconds"], s["jobs"]),
        "  proved %d, refuted %d, unknown %d, error %d, internal error %d, hung %d"
        % (s["proved"], s["refuted"], s["unknown"], s["error"], s["internal_error"], s["hung"]),
        "  contradicted proofs:        %d" % s["contradicted_proofs"],
        "  non-replaying refutations:  %d" % s["non_replaying_refutations"],
        "  proved, crashed on device:  %d" % s["proved_run_failures"],
        "  proved, device run inconclusive (timeout): %d" % s["proved_run_inconclusive"],
        "  refutations replayed: %d; not observable on a CPU device (races, bounds, choice): %d; replay run failures: %d"
        % (s["refuted_replayed"], s["refuted_not_observable"], s["refuted_replay_run_failures"]),
        "  ksynth run itself crashed (signal or exit 6; a ksynth bug, kept in cases/): %d" % s["run_tool_crashes"],
        "  by kind: " + ", ".join("%s %s" % (k, "/".join("%s:%d" % kv for kv in sorted(v.items())))
                                  for k, v in sorted(s["by_kind"].items())),
    ]
    for f in s["failures"]:
        lines.append("FAIL %s: %s (%s: %s)" % (f["outcome"], f["name"], f["origin"], f["desc"]))
        if f.get("device"):
            lines.append("     device: %s" % json.dumps(f["device"])[:600])
    return "\n".join(lines) + "\n"


def _write_summary(args, results, secs, partial):
    results = sorted(results, key=lambda r: r["name"])
    s = summarize(results, secs, args)
    s["partial"] = partial
    text = summary_text(s)
    if partial:
        text = "PARTIAL (still running)\n" + text
    for name, data in (("summary.json", json.dumps(s, indent=1)), ("summary.txt", text)):
        tmp = os.path.join(args.out, name + ".tmp")
        with open(tmp, "w") as f:
            f.write(data)
        os.replace(tmp, os.path.join(args.out, name))
    return s, text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ksynth", default=os.path.join(seeds.ROOT, "build", "tools", "ksynth", "ksynth"))
    ap.add_argument("--out", default="campaign-out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mutants", type=int, default=60)
    ap.add_argument("--forms", type=int, default=40)
    ap.add_argument("--only-elementwise", action="store_true",
                    help="mutate only seeds whose spec is elementwise (fast)")
    ap.add_argument("--seed-filter", default=None, help="regex on seed names / form names")
    ap.add_argument("--include-forms", default=None, metavar="REGEX",
                    help="random-form kernels whose name (op/fN_layout) matches are taken first")
    ap.add_argument("--max-shapes", type=int, default=2)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--deadline", type=int, default=20, help="ksynth verify --deadline")
    ap.add_argument("--grace", type=int, default=40, help="seconds past the deadline before the campaign kills verify")
    ap.add_argument("--trials", type=int, default=2)
    ap.add_argument("--run-timeout", type=int, default=60)
    ap.add_argument("--adversarial-sets", type=int, default=1,
                    help="campaign adversarial input sets per shape for each proof (0: off)")
    ap.add_argument("--clang", default=shutil.which("clang-15"))
    ap.add_argument("--keep-all", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--replay", metavar="CASE_DIR", help="re-check one kept case directory")
    ap.add_argument("--summarize", metavar="OUT_DIR",
                    help="summarise OUT_DIR/results.jsonl of an interrupted run (pass the run's --seed)")
    ap.add_argument("--write-cases", metavar="DIR", help="write every generated case into DIR and stop")
    args = ap.parse_args(argv)

    if args.replay:
        return replay(args)
    if args.summarize:
        # an interrupted run: its results.jsonl summarised (partial)
        args.out = args.summarize
        rs = [json.loads(line) for line in open(os.path.join(args.out, "results.jsonl")) if line.strip()]
        for r in rs:  # outcomes as this version classifies them
            if r.get("run_exit") is not None and (r["run_exit"] < 0 or r["run_exit"] == 6):
                r["outcome"] = "run-tool-crash"
        secs = max((0,) + tuple(r.get("verify_seconds", 0) for r in rs))
        prev = _load(os.path.join(args.out, "summary.json")) or {}
        s, text = _write_summary(args, rs, prev.get("seconds", secs), partial=True)
        print(text, end="")
        return 0
    cases = generate(args)
    if args.list:
        for c in cases:
            print("%s\t%s\t%s" % (c.name, c.origin, c.desc))
        print("%d cases" % len(cases), file=sys.stderr)
        return 0
    if args.write_cases:
        r = Runner(args, [])
        for c in cases:
            r.write_case(c, os.path.join(args.write_cases, c.name))
        return 0
    if not os.access(args.ksynth, os.X_OK):
        print("campaign: no ksynth at %s" % args.ksynth, file=sys.stderr)
        return 2
    args.out = os.path.abspath(args.out)
    args.ksynth = os.path.abspath(args.ksynth)
    os.makedirs(os.path.join(args.out, "cases"), exist_ok=True)
    runner = Runner(args, verify_flags(args.ksynth))
    t0 = time.time()
    results = []
    with open(os.path.join(args.out, "results.jsonl"), "w") as log, \
            concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        # run order: mutants and forms interleaved (a stable hash of the
        # name), so that a partial run is a sample of the whole
        order = sorted(range(len(cases)), key=lambda i: hashlib.sha1(cases[i].name.encode()).hexdigest())
        futs = {ex.submit(runner.check, cases[i], i): cases[i] for i in order}
        done = 0
        for f in concurrent.futures.as_completed(futs):
            r = f.result()
            results.append(r)
            log.write(json.dumps(r) + "\n")
            log.flush()
            done += 1
            if done % 50 == 0 and done < len(cases):
                _write_summary(args, results, time.time() - t0, partial=True)
            if r["failure"] or done % 25 == 0 or done == len(cases):
                print("[%d/%d %.0fs] %s %s%s" % (done, len(cases), time.time() - t0, r["outcome"], r["name"],
                                                 ("  <-- " + r["failure"]) if r["failure"] else ""), flush=True)
    s, text = _write_summary(args, results, time.time() - t0, partial=False)
    print(text, end="")
    bad = s["contradicted_proofs"] + s["non_replaying_refutations"] + s["proved_run_failures"]
    return 1 if bad else 0


def replay(args):
    """Re-run one kept case (its kernel, manifest and spec) and print what
    happens now."""
    d = os.path.abspath(args.replay)
    meta = _load(os.path.join(d, "case.json")) or {"name": os.path.basename(d), "origin": "?", "kind": "?", "desc": "?"}
    case = Case(meta["name"], meta.get("origin"), meta.get("kind"), meta.get("desc"),
                _load(os.path.join(d, "spec.json")),
                {k: v for k, v in _load(os.path.join(d, "manifest.json")).items() if k != "source"},
                open(os.path.join(d, "kernel.cl")).read())
    args.out = tempfile.mkdtemp(prefix="campaign-replay-")
    args.ksynth = os.path.abspath(args.ksynth)
    args.keep_all = True
    if "run_seed" in meta:
        args.seed, index = 0, meta["run_seed"]
    else:
        index = 0
    r = Runner(args, verify_flags(args.ksynth)).check(case, index)
    print(json.dumps(r, indent=1))
    print("files: %s" % os.path.join(args.out, "cases", case.name))
    return 1 if r["failure"] else 0


if __name__ == "__main__":
    sys.exit(main())
