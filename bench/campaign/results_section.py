#!/usr/bin/env python3
"""Writes the "Soundness campaign (issue 10)" section of bench/RESULTS.md
from a campaign output folder (context.txt, summary.json).
Usage: python3 bench/campaign/results_section.py OUT_DIR [NOTE]
NOTE: free text put under the table (e.g. which build the numbers are from).
The section replaces an existing one of the same title, else is appended."""

import json
import os
import sys

TITLE = "## Soundness campaign (issue 10)"


def section(out, note):
    ctx = open(os.path.join(out, "context.txt")).read().strip().splitlines()
    s = json.load(open(os.path.join(out, "summary.json")))
    planned = None
    for line in ctx:
        if line.startswith("seed:"):
            parts = dict(p.strip().split(": ") for p in line.split(","))
            planned = int(parts.get("mutants", 0)) + int(parts.get("forms", 0))
    lines = [TITLE, ""]
    lines.append("`bash bench/campaign/run.sh` (tests/campaign/README.md): mutants of the corpus's and "
                 "examples' proved kernels and random elementwise kernels, each verified with "
                 "`ksynth verify --deadline %d`, every proof checked on PoCL by `ksynth run --trials %d` "
                 "and by the campaign's adversarial set (every NaN class, payloads, specials, the "
                 "kernel's constants +-1 ulp) through `ksynth run --replay`, every refutation replayed."
                 % (s["deadline"], s["trials"]))
    lines.append("")
    for line in ctx:
        lines.append("- " + line)
    lines.append("- time: %.0f s wall on %d jobs (machine shared with other builds and test runs)"
                 % (s["seconds"], s["jobs"]))
    if s.get("partial"):
        lines.append("- **partial run**: stopped after %d of the %s planned kernels (time limit of the "
                     "session); the kernels run in a stable hash order of their names, so these are "
                     "a sample of the whole list" % (s["kernels"], planned))
    lines.append("")
    lines.append("| kernels | mutants | random forms | proved | refuted | unknown | error | internal error | "
                 "hung | contradicted proofs | refutations that do not replay |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    lines.append("| %d | %d | %d | %d | %d | %d | %d | %d | %d | **%d** | **%d** |" % (
        s["kernels"], s["mutants"], s["forms"], s["proved"], s["refuted"], s["unknown"], s["error"],
        s["internal_error"], s["hung"], s["contradicted_proofs"], s["non_replaying_refutations"]))
    lines.append("")
    lines.append("Refutations: %d replayed on the device; %d not observable on a CPU device (races, "
                 "out-of-bounds reads, counterexamples that depend on an implementation-defined "
                 "result) and %d whose replay failed to run (a crash of the kernel, e.g. an "
                 "out-of-bounds write); `ksynth run` itself crashed on %d. Proved kernels that crashed "
                 "on the device: %d."
                 % (s["refuted_replayed"], s["refuted_not_observable"], s["refuted_replay_run_failures"],
                    s.get("run_tool_crashes", 0), s["proved_run_failures"]))
    lines.append("")
    lines.append("Per operator (verdicts): " + "; ".join(
        "%s %s" % (k, ", ".join("%s %d" % kv for kv in sorted(v.items())))
        for k, v in sorted(s["by_kind"].items())) + ".")
    lines.append("")
    if note:
        lines.append(note)
        lines.append("")
    if s["failures"]:
        lines.append("Cases kept for a person (outcome; contradicted proofs and refutations that "
                     "do not replay are the soundness failures, the others device problems):")
        lines.append("")
        for f in s["failures"]:
            dev = f.get("device")
            ex = ""
            if isinstance(dev, list) and dev:
                d = dev[0]
                ex = ": inputs %s, expected %s, device %s" % (
                    ", ".join("%s = %s" % kv for kv in sorted(d.get("inputs", {}).items())),
                    d.get("expected"), d.get("got"))
            lines.append("- `%s` (%s; %s): %s%s" % (f["name"], f["origin"], f["desc"],
                                                  f.get("outcome", "?"), ex))
        lines.append("")
    return "\n".join(lines)


def main():
    out = sys.argv[1]
    note = sys.argv[2] if len(sys.argv) > 2 else ""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "RESULTS.md")
    text = open(path).read()
    sec = section(out, note)
    if TITLE in text:
        head, rest = text.split(TITLE, 1)
        nxt = rest.find("\n## ")
        tail = rest[nxt + 1:] if nxt >= 0 else ""
        text = head + sec + ("\n" + tail if tail else "")
    else:
        text = text.rstrip("\n") + "\n\n" + sec
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
