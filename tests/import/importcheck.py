"""Comparing ksynth eval's outputs with PyTorch's (tests/import and
bench/import/kernelbench_coverage.py).

The documented tolerance (frontend/pytorch/README.md, "How the interpreter
is checked against PyTorch"): an element passes when

    |ksynth - torch| <= 1e-5 * M + 2^-126

where M is the element's error magnitude, computed by the helper from the
captured graph in float64 (frontend/pytorch/magnitude.py: |value| for ops
without a sum, the sum of the magnitudes of the summed terms for ops that
sum, propagated through the chain) and written to the check data as
"magnitude"; 2^-126, the smallest normal float32, covers results in the
subnormal range (no relative precision there; PyTorch's vectorised
transcendentals flush some to zero). max_error() returns the largest
(|ksynth - torch| - 2^-126) / M (so the limit is 1e-5; an element with
M = 0 must be equal up to 2^-126). A NaN must meet a NaN
and an infinity the same infinity, else the error is inf.

Where the check data has no magnitude (an op without a rule; the string
says which), max_error falls back to the plain relative error
|ksynth - torch| / max(|torch|, 1e-3 * max |torch|) and says so (the tests
treat that as a failure; the bench reports it as such).
"""
import json
import math
import struct
import subprocess


# The smallest normal float32, 2^-126: results below it (subnormals) carry
# no relative precision, and PyTorch's vectorised transcendental functions
# flush some of them to zero, so every element may also differ by this much.
UNDERFLOW = 2.0 ** -126


def f32(bits):
    return struct.unpack("<f", struct.pack("<I", int(bits, 16)))[0]


def max_error(got, expected):
    """got: ksynth eval's JSON; expected: the check data's "expected".
    (worst |ksynth - torch| / M, text: why inf or which fallback)."""
    worst, notes = 0.0, []
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
        mag = exp.get("magnitude")
        if not isinstance(mag, list):
            notes.append("output %s: relative error (%s)" % (
                name, mag or "no magnitude in the check data"))
            finite = [abs(v) for v in e if math.isfinite(v)]
            floor = max(1e-3 * max(finite), 1e-30) if finite else 1e-30
            mag = [max(abs(v), floor) * 1.0 for v in e]
        else:
            mag = [float(v) for v in mag]
        for i, (a, b) in enumerate(zip(g, e)):
            if math.isnan(b) or math.isnan(a) or math.isinf(b) or math.isinf(a):
                if not ((math.isnan(a) and math.isnan(b)) or a == b):
                    return math.inf, "output %s[%d]: ksynth %r, PyTorch %r" % (
                        name, i, a, b)
                continue
            d = abs(a - b) - UNDERFLOW
            if d <= 0:
                continue
            m = mag[i]
            r = d / m if m > 0 and math.isfinite(m) else (
                0.0 if m == math.inf else math.inf)
            if r > worst:
                worst = r
                if r > 1e-5:
                    notes = [n for n in notes if not n.startswith("worst")]
                    notes.append("worst output %s[%d]: ksynth %r, PyTorch %r, "
                                 "M %r" % (name, i, a, b, m))
    return worst, "; ".join(notes)


def fallback_used(why):
    return "relative error (" in why


def eval_spec(ksynth, spec_path, data_path, timeout=600):
    """ksynth eval SPEC --inputs DATA: (returncode, json or stderr)."""
    p = subprocess.run([ksynth, "eval", spec_path, "--inputs", data_path],
                       capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        return p.returncode, p.stderr.strip()
    return 0, json.loads(p.stdout)
