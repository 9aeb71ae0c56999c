#!/usr/bin/env python3
"""The error measure of the PyTorch front end's checks (issue 13): the
element magnitudes M of frontend/pytorch/magnitude.py against values
computed by hand for tiny graphs, the small-shape chooser's structural
globals (capture.structural_globals: a depthwise conv's groups, a batch
size tied to a feature size) and per-global sizes (capture.mixed_pools:
group_norm's channels a multiple of the groups, the other sizes odd), and tests/import/importcheck.py's verdicts
(an error above 1e-5 * M fails, NaN against a number fails, M = 0 demands
equality).

Needs PyTorch: runs itself with the project's Python ($KSYNTH_PYTHON, else
$KSYNTH_VENV/bin/python, else SOURCE_DIR/.venv/bin/python, as `ksynth
import` does); skipped (exit 77) when there is none.

usage: magnitude_test.py SOURCE_DIR
"""
import math
import os
import struct
import sys
import tempfile

SRC = os.path.abspath(sys.argv[1])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def reexec():
    py = os.environ.get("KSYNTH_PYTHON") or os.path.join(
        os.environ.get("KSYNTH_VENV") or os.path.join(SRC, ".venv"), "bin",
        "python")
    if os.path.realpath(py) == os.path.realpath(sys.executable):
        return
    if not os.access(py, os.X_OK):
        print("SKIPPED: no Python environment with PyTorch (%s)" % py)
        sys.exit(77)
    os.execv(py, [py] + sys.argv)


def mags(model, inputs):
    import magnitude
    import torch
    ep = torch.export.export(model, tuple(inputs))
    params = dict(model.named_parameters())
    params.update(dict(model.named_buffers()))
    return magnitude.output_magnitudes(ep, inputs, params)


def close(a, b, what):
    ok = a.shape == b.shape and bool(((a - b).abs() <= 1e-9 * (
        1 + b.abs())).all())
    check(ok, what + (" (got %s, want %s)" % (a.flatten()[:4].tolist(),
                                               b.flatten()[:4].tolist())
                      if not ok else ""))


def test_magnitudes():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    d = torch.float64

    class Conv(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = nn.Conv1d(1, 1, 2)

        def forward(self, x):
            return self.c(x), torch.relu(self.c(x)) * 2.0, x.transpose(1, 2)

    m = Conv()
    with torch.no_grad():
        m.c.weight.copy_(torch.tensor([[[2.0, -3.0]]]))
        m.c.bias.copy_(torch.tensor([-0.5]))
    x = torch.tensor([[[1.0, 4.0, -2.0]]])
    y, r, t = mags(m, [x])
    # conv: |x| conv |w| + |b|: [1*2 + 4*3, 4*2 + 2*3] + 0.5
    close(y, torch.tensor([[[14.5, 14.5]]], dtype=d),
          "conv1d: M = conv(|x|, |w|) + |b| (the summed terms' magnitudes)")
    # relu(conv) * 2: values conv = [2-12-0.5, 8+6-0.5] = [-10.5, 13.5];
    # relu: own |y| + its change over +-1e-5 M (0 where conv < -1e-5 M,
    # M where conv > 1e-5 M); then * 2: own |2 r| + 2 M_r
    mr = torch.tensor([0.0, 13.5 + 14.5], dtype=d)
    close(r, (2 * torch.tensor([0.0, 13.5], dtype=d) + 2 * mr).reshape(
        1, 1, 2), "relu(conv) * 2: own |y| plus the operand's M carried "
        "through the op's slope (0 below the kink, 1 above, times 2)")
    close(t, torch.zeros(1, 3, 1, dtype=d),
          "a transpose of an input: M = 0 (must be equal)")

    class Norms(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln = nn.LayerNorm(4, elementwise_affine=False, eps=0.0)

        def forward(self, x):
            return self.ln(x), torch.softmax(x, -1), x.sum(-1), \
                torch.max(x, -1)[0], torch.mean(x * x)

    x = torch.tensor([[1.0, -2.0, 3.0, 6.0]])
    ln, sm, s, mx, mm = mags(Norms(), [x])
    xd = x.to(d)
    mu, sd = xd.mean(), xd.std(unbiased=False)
    want = (xd.abs() + xd.abs().mean()) / sd + ((xd - mu) / sd).abs()
    close(ln, want, "layer_norm: ((|x| + mean|x|) / s + |xhat|) (exact "
          "inputs)")
    ys = torch.softmax(xd, -1)
    close(sm, ys * (1 + (xd - 6).abs()), "softmax: y (1 + |x - max|)")
    close(s, torch.tensor([12.0], dtype=d), "sum: sum |x|")
    close(mx, torch.tensor([0.0], dtype=d), "max along a dim of inputs: 0")
    # mean(x * x): the squares (own |x^2|) averaged: mean(2 x^2)
    close(mm, (2 * xd * xd).mean(), "mean(x * x): mean of the squares' M "
          "(own |x^2| each) and |x^2|")
    del F


def test_importcheck():
    import importcheck

    def bits(v):
        return "0x%08x" % struct.unpack("<I", struct.pack("<f", v))[0]

    def one(a, b, m):
        got = {"y": {"bits": [bits(a)]}}
        exp = {"y": {"dtype": "float32", "bits": [bits(b)],
                     "magnitude": [repr(m)]}}
        return importcheck.max_error(got, exp)[0]

    check(one(1.0 + 2 ** -20, 1.0, 0.1) <= 1e-5,
          "an error below 1e-5 * M passes")
    check(one(1.0 + 2 ** -20, 1.0, 0.01) > 1e-5,
          "an error above 1e-5 * M fails")
    check(one(1.0 + 2 ** -23, 1.0, 0.0) == math.inf,
          "M = 0 demands equality")
    check(one(-8.7e-44, -0.0, 5.7e-42) == 0.0,
          "a subnormal against a flushed zero passes (2^-126)")
    check(one(2.0 ** -125, 0.0, 1e-40) > 1e-5,
          "a normal result against zero fails")
    check(one(-0.0, 0.0, 0.0) == 0.0, "+0 and -0 are equal")
    check(one(float("nan"), 1.0, 1e9) == math.inf,
          "NaN against a number fails, however large M")
    check(one(float("inf"), float("inf"), 0.0) == 0.0,
          "the same infinity passes")
    got = {"y": {"bits": [bits(1.001)]}}
    exp = {"y": {"dtype": "float32", "bits": [bits(1.0)],
                 "magnitude": "no magnitude rule for aten.foo"}}
    err, why = importcheck.max_error(got, exp)
    check(importcheck.fallback_used(why) and "aten.foo" in why,
          "an output without magnitudes is reported as the fallback")


MODEL = '''
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.conv = nn.Conv2d(c, c, k, groups=c)

    def forward(self, x, p, t):
        return self.conv(x), torch.mean(torch.clamp(1 - p * t, min=0))


n = 10
channels = 24
kernel_size = 3
side = 20
batch_size = 64
input_shape = (64,)


def get_inputs():
    return [torch.randn(n, channels, side, side),
            torch.randn(batch_size, *input_shape), torch.randn(batch_size)]


def get_init_inputs():
    return [channels, kernel_size]
'''


def test_structural():
    import ksynth_import
    import capture
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "depthwise.py")
        with open(path, "w") as f:
            f.write(MODEL)
        glob = ksynth_import.literal_globals(path)
        check(glob.get("input_shape_0") == 64,
              "a tuple element is a size global (input_shape_0)")
        spec, check_data = capture.import_model(None, path, glob, False,
                                                True)
        small = spec["shapes"][0]
        print("     shapes: %s" % spec["shapes"])
        check(small.get("side") in (7, 9, 11, 13, 15, 17, 19, 21, 23, 25),
              "the spatial size is scaled to an odd size")
        check("channels" not in small and
              spec["inputs"]["x"]["shape"][1] == 24,
              "channels (the conv's groups) keeps the file's value")
        pdims = spec["inputs"]["p"]["shape"]
        check(pdims[0] == pdims[1] == "batch_size" and
              small.get("batch_size", 64) < 64,
              "batch_size and input_shape_0 (tied by broadcasting) share "
              "one small value")
        check("kept at the file's value" in spec["name"] and
              "channels=24" in spec["name"], "the spec's name says so")
        check("magnitude" in check_data["expected"]["y0"],
              "the check data carries the magnitudes")


GN_MODEL = '''
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, groups, channels):
        super().__init__()
        self.gn = nn.GroupNorm(groups, channels)

    def forward(self, x):
        return self.gn(x)


batch_size = 16
groups = 4
channels = 32
length = 40


def get_inputs():
    return [torch.randn(batch_size, channels, length)]


def get_init_inputs():
    return [groups, channels]
'''


def test_mixed():
    import ksynth_import
    import capture
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "gn.py")
        with open(path, "w") as f:
            f.write(GN_MODEL)
        spec, _ = capture.import_model(None, path,
                                       ksynth_import.literal_globals(path),
                                       False, False)
        small = spec["shapes"][0]
        print("     shapes: %s" % spec["shapes"])
        check(small.get("channels", 32) < 32 and small["channels"] % 4 == 0,
              "group_norm: channels a small multiple of num_groups")
        check(small.get("length", 0) % 2 == 1 and
              small.get("batch_size", 0) % 2 == 1,
              "group_norm: the other sizes stay odd (sizes chosen per "
              "global when no scheme fits all)")


def main():
    reexec()
    sys.path.insert(0, os.path.join(SRC, "frontend", "pytorch"))
    sys.path.insert(0, os.path.join(SRC, "tests", "import"))
    import ksynth_import
    sys.modules.setdefault("ksynth_import", ksynth_import)
    test_importcheck()
    test_magnitudes()
    test_structural()
    test_mixed()
    print("FAIL: %d" % len(failures) if failures else "PASS")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
