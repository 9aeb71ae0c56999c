#!/usr/bin/env python3
"""Issue 10's false proofs on NaN bit patterns, end to end.

The sign-bit relu (`as_int(v) < 0 ? 0 : v`), the signbit relu and the
payload-zeroing relu used to be proved; they must be refuted with a NaN
counterexample (the input element's bits a NaN encoding), and that
counterexample must replay on PoCL: `ksynth run --replay` reproduces the
mismatch (exit 10). The NaN-guarded sign-bit relu stays proved.

usage: nan_replay_test.py KSYNTH_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
from checks import check, failures  # noqa: E402

KSYNTH, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORPUS = os.path.join(ROOT, "tests", "corpus")
SPEC = os.path.join(CORPUS, "specs", "relu_ignore_zero_sign.json")



def manifest(tmp, kernel_file):
    m = {"source": os.path.join(CORPUS, kernel_file),
         "launches": [{"kernel": "relu", "args": ["x", "y", "N"],
                       "global": ["N"]}]}
    path = os.path.join(tmp, os.path.basename(kernel_file) + ".json")
    with open(path, "w") as f:
        json.dump(m, f)
    return path


def is_nan_bits(b):
    return (b & 0x7f800000) == 0x7f800000 and (b & 0x007fffff) != 0


def nan_inputs(cx):
    """The NaN encodings among the counterexample's bits of x (dense "bits"
    or the sparse form: every "0x..." string under x)."""
    found = []

    def walk(v):
        if isinstance(v, str) and v.startswith("0x"):
            b = int(v, 16) & 0xffffffff
            if is_nan_bits(b):
                found.append(b)
        elif isinstance(v, dict):
            for w in v.values():
                walk(w)
        elif isinstance(v, list):
            for w in v:
                walk(w)

    walk(cx["inputs"]["x"])
    return found


def main():
    devices = subprocess.run([KSYNTH, "devices"], capture_output=True,
                             text=True, timeout=120)
    have_device = devices.returncode == 0 and "pocl" in devices.stdout.lower()
    with tempfile.TemporaryDirectory() as tmp:
        for k in ["equivalence/relu_sign_bit_as_int_neg_nan.cl",
                  "equivalence/relu_signbit_builtin_neg_nan.cl",
                  "equivalence/relu_zeroes_noncanonical_nan.cl"]:
            m = manifest(tmp, k)
            out = os.path.join(tmp, os.path.basename(k) + ".verdict.json")
            p = subprocess.run([KSYNTH, "verify", SPEC, m, "--json", "--out",
                                out], capture_output=True, text=True,
                               timeout=300)
            check(k + " refuted", p.returncode == 10,
                  f"exit {p.returncode}: {p.stderr.strip()[:300]}")
            if p.returncode != 10:
                continue
            with open(out) as f:
                v = json.load(f)
            cx = v.get("counterexample", {})
            check(k + " equivalence", cx.get("obligation") == "equivalence",
                  str(cx.get("obligation")))
            check(k + " NaN input", len(nan_inputs(cx)) > 0,
                  json.dumps(cx.get("inputs"))[:300])
            if not have_device:
                print("skip replay: no PoCL device")
                continue
            r = subprocess.run([KSYNTH, "run", SPEC, m, "--replay", out],
                               capture_output=True, text=True, timeout=300)
            check(k + " replays on PoCL", r.returncode == 10 and
                  "reproduced" in r.stdout,
                  f"exit {r.returncode}: {r.stdout[-400:]}")
        m = manifest(tmp, "proved/relu_sign_bit_nan_guarded.cl")
        p = subprocess.run([KSYNTH, "verify", SPEC, m], capture_output=True,
                           text=True, timeout=300)
        check("NaN-guarded sign-bit relu proved", p.returncode == 0,
              f"exit {p.returncode}: {p.stdout[:300]}")
    print(f"{0 if failures else 1} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
