#!/usr/bin/env python3
"""ksynth synth's supervisor (issue 14): a planted wrong generator's kernels
are refuted and never timed, their counterexamples reach the generator's
feedback, unknown is kept out (timed only under --allow-unverified, marked
unverified, never the result), the report files parse, --emit-round writes
jobs only for proven candidates and --resume reads the worker's results
back, SIGINT still writes the report, usage errors.

usage: synth_supervisor_test.py KSYNTH SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.dom.minidom

K, SRC = sys.argv[1], sys.argv[2]
RELU = os.path.join(SRC, "examples/relu/spec.json")
PLANTED = os.path.join(SRC, "tests/synth/planted")
FAST = ["--iters", "5", "--warmup", "1", "--rotate", "1", "--flush-mb", "8",
        "--no-self-check"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def synth(*args, timeout=600):
    p = subprocess.run([K, "synth", *args], capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    return p


def report(out):
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def by_manifest(rep):
    return {c["params"].get("manifest"): c for c in rep["candidates"]}


tmp = tempfile.mkdtemp(prefix="synth_test_")

# 1. The planted generator (--from) alone.
out = os.path.join(tmp, "planted")
p = synth(RELU, "--from", PLANTED, "--no-builtin", "--out", out, "-j", "2",
          *FAST)
print(p.stdout, p.stderr[-2000:])
check(p.returncode == 0, f"planted run exits 0 (got {p.returncode})")
check(sum(1 for l in p.stderr.splitlines() if l.startswith("c00")) == 5 and
      "\x1b[K" not in p.stderr, "not a terminal: one plain line per candidate")
rep = report(out)
c = by_manifest(rep)
check(set(c) == {"correct.json", "identity_cheat.json", "missing_tail.json",
                 "compile_error.json", "fast_math.json"},
      "every planted manifest proposed once")
check(c["correct.json"]["verdict"] == "proved" and
      c["correct.json"]["timing"] == "timed" and
      c["correct.json"]["device_us"]["median"] > 0, "the correct kernel is proved and timed")
check(rep["best"] == c["correct.json"]["id"], "the correct kernel is the best")
for name, ob in (("identity_cheat.json", "equivalence"),
                 ("missing_tail.json", "coverage")):
    x = c[name]
    check(x["verdict"] == "refuted", f"{name} refuted")
    check(x.get("counterexample", {}).get("obligation") == ob,
          f"{name}: counterexample of {ob} in the report")
    check(x["timing"] == "not-timed" and "device_us" not in x,
          f"{name} never timed")
check(c["compile_error.json"]["verdict"] == "error" and
      "undeclared" in c["compile_error.json"].get("compile_error", ""),
      "the compile error is reported with the compiler's message")
check(c["compile_error.json"]["timing"] == "not-timed", "compile error never timed")
check(c["fast_math.json"]["verdict"] == "unknown" and
      c["fast_math.json"]["timing"] == "not-timed" and
      "device_us" not in c["fast_math.json"], "unknown never timed")

# The feedback the generator received (written by the generator itself).
with open(os.path.join(out, "feedback", "files.jsonl")) as f:
    fb = [json.loads(l) for l in f if l.strip()]
fbm = {x["params"]["manifest"]: x for x in fb}
check(len(fb) == 5, "the generator observed all 5 outcomes")
check(fbm["identity_cheat.json"].get("counterexample", {}).get("inputs"),
      "the refuted candidate's counterexample (with inputs) reached the generator")
check("undeclared" in fbm["compile_error.json"].get("compile_error", ""),
      "the compile error reached the generator")
check(fbm["correct.json"].get("device_us", {}).get("median", 0) > 0,
      "the timing reached the generator")

# Report files parse.
md = open(os.path.join(out, "report.md")).read()
check("| id | generator |" in md and c["correct.json"]["id"] in md,
      "report.md has the table")
try:
    xml.dom.minidom.parse(os.path.join(out, "chart.svg"))
    check(True, "chart.svg is well-formed XML")
except Exception as e:
    check(False, f"chart.svg is well-formed XML ({e})")
check(os.path.exists(os.path.join(out, "best.cl")), "best.cl written")
v = subprocess.run([K, "verify", RELU, os.path.join(out, "best.json"),
                    "--no-self-check"], capture_output=True, text=True)
check(v.returncode == 0, "best.json verifies (ksynth verify exit 0)")

# 2. --allow-unverified: the unknown one is timed, marked, never the result.
out2 = os.path.join(tmp, "unverified")
base = os.path.join(tmp, "torch.json")
json.dump({"eager_us": 1000.0, "compile_us": 800.0}, open(base, "w"))
p = synth(RELU, "--from", PLANTED, "--no-builtin", "--out", out2, "-j", "2",
          "--allow-unverified", "--baseline", base, *FAST)
rep2 = report(out2)
c2 = by_manifest(rep2)
fm = c2["fast_math.json"]
check(fm["timing"] == "timed" and fm["unverified"] is True,
      "--allow-unverified times the unknown candidate, marked unverified")
check(rep2["best"] == c2["correct.json"]["id"], "an unverified one is never the result")
check(rep2["pytorch_us"]["eager"] == 1000.0 and
      c2["correct.json"]["speedup_over_pytorch"] ==
      1000.0 / c2["correct.json"]["device_us"]["median"],
      "--baseline: speedup over PyTorch eager in report.json")
check(c2["identity_cheat.json"]["timing"] == "not-timed",
      "--allow-unverified never times a refuted candidate")
check("UNVERIFIED" in open(os.path.join(out2, "report.md")).read(),
      "report.md marks it UNVERIFIED")
check("UNVERIFIED" in open(os.path.join(out2, "chart.svg")).read(),
      "chart.svg marks it UNVERIFIED")

# 3. Hardware round: jobs only for the proven, then --resume with results.
out3, rnd = os.path.join(tmp, "round_out"), os.path.join(tmp, "round1")
p = synth(RELU, "--from", PLANTED, "--no-builtin", "--out", out3, "-j", "2",
          "--emit-round", rnd, *FAST)
check(p.returncode == 0, f"--emit-round exits 0 (got {p.returncode}) {p.stderr[-300:]}")
rep3 = report(out3)
c3 = by_manifest(rep3)
jobs = sorted(os.listdir(os.path.join(rnd, "jobs")))
check(jobs == [c3["correct.json"]["id"] + ".json"],
      f"only the proven candidate became a job ({jobs})")
worker = os.path.join(os.path.dirname(os.path.dirname(K)), "..", "runtime",
                      "worker", "ksynth-worker")
results = {}
for r in (1, 2, 3):
    res = os.path.join(tmp, f"res{r}.json")
    subprocess.run([worker, os.path.join(rnd, "jobs", jobs[0]), res],
                   capture_output=True, timeout=300)
    results[jobs[0][:-5] + f".{r}.json"] = json.load(open(res))
results["pytorch.1.json"] = {"results": {"eager": {"event_us": {"median": 1000.0}}}}
json.dump(results, open(os.path.join(tmp, "results.json"), "w"))
out4 = os.path.join(tmp, "resumed")
p = synth(RELU, "--resume", rnd, "--results", os.path.join(tmp, "results.json"),
          "--out", out4, "--no-builtin", "--from", PLANTED)
print(p.stdout, p.stderr[-1000:])
check(p.returncode == 0, f"--resume exits 0 (got {p.returncode})")
rep4 = report(out4)
best = [x for x in rep4["candidates"] if x["id"] == rep4["best"]]
check(len(best) == 1 and best[0]["timing"] == "timed" and
      best[0].get("speedup_over_pytorch", 0) > 0,
      "the resumed round's result is timed, with PyTorch's speedup")

# The next round: resumed with --emit-round, the built-in generator goes on
# from the measured times with new candidates (not the round-1 ones again).
ra, rb = os.path.join(tmp, "b_round1"), os.path.join(tmp, "b_round2")
p = synth(RELU, "--candidates", "3", "-j", "2", "--emit-round", ra, "--out",
          os.path.join(tmp, "b_out1"), *FAST)
res = {}
for j in sorted(os.listdir(os.path.join(ra, "jobs"))):
    rp = os.path.join(tmp, "b_" + j)
    subprocess.run([worker, os.path.join(ra, "jobs", j), rp],
                   capture_output=True, timeout=300)
    res[j[:-5] + ".1.json"] = json.load(open(rp))
json.dump(res, open(os.path.join(tmp, "b_results.json"), "w"))
p = synth(RELU, "--resume", ra, "--results", os.path.join(tmp, "b_results.json"),
          "--candidates", "2", "-j", "2", "--emit-round", rb, "--out",
          os.path.join(tmp, "b_out2"), *FAST)
rep = report(os.path.join(tmp, "b_out2"))
ids1 = {j[:-5] for j in os.listdir(os.path.join(ra, "jobs"))}
ids2 = {j[:-5] for j in os.listdir(os.path.join(rb, "jobs"))}
check(len(ids1) == 3 and len(ids2) == 2 and not (ids1 & ids2),
      f"round 2 emits new candidates ({sorted(ids1)} then {sorted(ids2)})")
check(sum(1 for c in rep["candidates"] if c["timing"] == "timed") == 3,
      "round 2's report keeps round 1's timings")

# 4. SIGINT stops cleanly and still writes the report.
chain = os.path.join(SRC, "examples/fused_chain/spec.json")
out5 = os.path.join(tmp, "sigint")
proc = subprocess.Popen([K, "synth", chain, "--out", out5, "--search", "grid",
                         "--no-timing", "--no-self-check"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        stdin=subprocess.DEVNULL, text=True)
deadline = time.time() + 120
while time.time() < deadline and not os.path.exists(
        os.path.join(out5, "candidates", "c001", "verify.err")):
    time.sleep(0.1)
time.sleep(0.5)
proc.send_signal(signal.SIGINT)
try:
    so, se = proc.communicate(timeout=60)
    check(proc.returncode in (0, 5), f"SIGINT: exits 0 or 5 (got {proc.returncode})")
    rep5 = report(out5)
    check(rep5["interrupted"] is True and "SIGINT" in rep5["stop_reason"],
          "SIGINT: report.json written, interrupted")
    check(len(rep5["candidates"]) < 85, "SIGINT: stopped before the end")
    xml.dom.minidom.parse(os.path.join(out5, "chart.svg"))
except subprocess.TimeoutExpired:
    proc.kill()
    check(False, "SIGINT: ksynth synth ended within 60 s")

# 5. On a terminal: one live status line, redrawn; plain lines otherwise.
import pty
master, slave = pty.openpty()
proc = subprocess.Popen([K, "synth", RELU, "--from", PLANTED, "--no-builtin",
                         "--no-timing", "--no-self-check", "-j", "2", "--out",
                         os.path.join(tmp, "tty")],
                        stdout=subprocess.DEVNULL, stderr=slave,
                        stdin=subprocess.DEVNULL)
os.close(slave)
chunks = []
while True:
    try:
        b = os.read(master, 4096)
    except OSError:
        break
    if not b:
        break
    chunks.append(b)
proc.wait(timeout=300)
text = b"".join(chunks).decode(errors="replace")
check("\r\x1b[K[synth] proposed" in text and "refuted 2" in text,
      "TTY: a redrawn status line with the counts")
check("identity_cheat" not in text, "TTY: no per-candidate lines")

# 6. Usage and input errors.
check(synth().returncode == 1, "no SPEC: exit 1")
check(synth(RELU, "--bogus").returncode == 1, "unknown option: exit 1")
check(synth(RELU, "--no-builtin").returncode == 1, "no generator: exit 1")
check(synth(RELU, "--resume", tmp).returncode == 1, "--resume without --results: exit 1")
bad = os.path.join(tmp, "bad.json")
open(bad, "w").write("{ \"name\": 1 ")
check(synth(bad, "--out", os.path.join(tmp, "bad")).returncode == 2, "bad spec: exit 2")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
