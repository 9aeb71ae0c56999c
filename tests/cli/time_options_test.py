#!/usr/bin/env python3
"""One unit convention for time options (issue 11): `--timeout` and
`--deadline` are seconds in every subcommand; verify's per-query solver
limit is `--query-timeout-ms MS`; `verify --timeout` (once milliseconds) is
refused with a one-line usage error naming the new option, never read in
either unit.

usage: time_options_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import re
import subprocess
import sys
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RELU = os.path.join(ROOT, "examples", "relu")
SPEC = os.path.join(RELU, "spec.json")
MANIFEST = os.path.join(RELU, "relu.json")


def run(*args):
    p = subprocess.run([KSYNTH, *args], capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr



def one_line_usage_error(name, args, needles):
    rc, out, err = run(*args)
    lines = [l for l in err.splitlines() if l.strip()]
    check(name, rc == 1 and len(lines) == 1 and
          all(n in lines[0] for n in needles) and not out,
          f"exit {rc} (want 1), stdout {out!r}, stderr {err!r}")


# The new option works and reaches the solver configuration.
rc, out, err = run("verify", SPEC, MANIFEST, "--json", "--no-self-check",
                   "--query-timeout-ms", "7000")
try:
    doc = json.loads(out)
except json.JSONDecodeError:
    doc = {}
check("verify --query-timeout-ms 7000 proves relu",
      rc == 0 and doc.get("verdict") == "proved", f"exit {rc}, {err!r}")
check("the verdict's solver settings say timeout_ms 7000",
      doc.get("solver", {}).get("timeout_ms") == 7000,
      str(doc.get("solver")))

# The old ambiguous form is refused, wherever it stands, and names the new
# option; nothing is verified.
one_line_usage_error("verify --timeout MS is a usage error naming the new one",
                     ["verify", SPEC, MANIFEST, "--timeout", "5000"],
                     ["--timeout", "--query-timeout-ms", "--deadline"])
one_line_usage_error("verify --timeout before the files too",
                     ["verify", "--timeout", "5", SPEC, MANIFEST],
                     ["--query-timeout-ms"])
one_line_usage_error("verify --query-timeout-ms needs a number",
                     ["verify", SPEC, MANIFEST, "--query-timeout-ms", "soon"],
                     ["--query-timeout-ms"])
one_line_usage_error("run --timeout needs seconds",
                     ["run", SPEC, MANIFEST, "--timeout", "soon"],
                     ["--timeout"])

# Every help text: --timeout and --deadline in seconds, the only
# millisecond option is the one whose name says so.
for cmd in ("verify", "run", "bench"):
    rc, out, err = run(cmd, "--help")
    text = out + err
    time_lines = [l.strip() for l in text.splitlines()
                  if re.match(r"\s*--(timeout|deadline|query-timeout-ms)\b",
                              l)]
    bad = [l for l in time_lines
           if l.startswith(("--timeout", "--deadline")) and
           not re.match(r"--(timeout|deadline) SEC\b", l)]
    ms = [l for l in text.splitlines() if re.search(r"--[a-z-]+ MS\b", l)
          and "--query-timeout-ms MS" not in l]
    check(f"{cmd} --help: --timeout/--deadline in seconds, no other MS",
          rc == 0 and time_lines and not bad and not ms,
          f"exit {rc}, time options {time_lines}, bad {bad}, ms {ms}")
rc, out, _ = run("verify", "--help")
check("verify --help names --query-timeout-ms and no --timeout",
      "--query-timeout-ms MS" in out and
      not re.search(r"^\s*--timeout\b", out, re.M), out)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all time option checks passed")
