"""Comparing ksynth eval's outputs with PyTorch's (tests/import and
bench/import/kernelbench_coverage.py).

The error of an element is |ksynth - torch| / max(|torch|, floor), where
floor is 1e-3 times the largest finite |torch| of that output (so that an
element near zero from cancellation is judged against the output's scale,
not against itself). A NaN must meet a NaN and an infinity the same
infinity, else the error is inf.
"""
import json
import math
import struct
import subprocess


def f32(bits):
    return struct.unpack("<f", struct.pack("<I", int(bits, 16)))[0]


def max_rel_error(got, expected):
    """got: ksynth eval's JSON; expected: the check data's "expected"."""
    worst = 0.0
    for name, exp in expected.items():
        if name not in got:
            return math.inf, "output %s missing" % name
        if exp["dtype"] != "float32":
            g = [int(v) if exp["dtype"] != "bool" else (v == "true")
                 for v in got[name]["values"]]
            e = exp["values"]
            if exp["dtype"] == "bool":
                e = [bool(v) for v in e]
            if g != e:
                return math.inf, "output %s: %s differ" % (name, exp["dtype"])
            continue
        g = [f32(b) for b in got[name]["bits"]]
        e = [f32(b) for b in exp["bits"]]
        if len(g) != len(e):
            return math.inf, "output %s: %d elements, PyTorch %d" % (
                name, len(g), len(e))
        finite = [abs(v) for v in e if math.isfinite(v)]
        floor = max(1e-3 * max(finite), 1e-30) if finite else 1e-30
        for i, (a, b) in enumerate(zip(g, e)):
            if math.isnan(b) or math.isnan(a) or math.isinf(b) or math.isinf(a):
                if not ((math.isnan(a) and math.isnan(b)) or a == b):
                    return math.inf, "output %s[%d]: ksynth %r, PyTorch %r" % (
                        name, i, a, b)
                continue
            worst = max(worst, abs(a - b) / max(abs(b), floor))
    return worst, ""


def eval_spec(ksynth, spec_path, data_path, timeout=600):
    """ksynth eval SPEC --inputs DATA: (returncode, json or stderr)."""
    p = subprocess.run([ksynth, "eval", spec_path, "--inputs", data_path],
                       capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        return p.returncode, p.stderr.strip()
    return 0, json.loads(p.stdout)
