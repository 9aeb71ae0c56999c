#!/usr/bin/env python3
"""Every kernel the built-in generator of `ksynth synth` emits, for every op
family it supports, at small and non-multiple shapes, is proved (issue 14):
a generator bug shows up as a refutation (or an unknown) and fails here.
Families: each lowered elementwise op alone (naive and fused), a chain with
two outputs, a 0-d input and a literal over the whole schedule grid
(--search grid: vector widths with scalar tails, elements per work-item,
blocked and grid-stride order, work-group sizes), row sums (one work-item
per row; one work-group per row with a __local tree), matmul (naive;
__local tiles 8 and 16 with ragged edges), softmax over rows (one work-item
per row; one work-group per row with __local tree reductions), log_softmax
and layer_norm (the same two forms), row means (both forms), rms_norm with
a weight (both forms), and the transcendental activations (elu, selu, gelu
in both forms, silu, softplus, mish).

usage: synth_generator_test.py KSYNTH SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

K, SRC = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="synth_gen_")
failures = []


def run(spec, name, *extra, expect_min=1):
    path = os.path.join(tmp, name + ".json")
    json.dump(spec, open(path, "w"))
    out = os.path.join(tmp, "out_" + name)
    p = subprocess.run([K, "synth", path, "--out", out, "--no-timing", "-j",
                        "2", "--no-self-check", "--verify-deadline", "400",
                        *extra],
                       capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=1200)
    try:
        rep = json.load(open(os.path.join(out, "report.json")))
    except Exception as e:
        failures.append(f"{name}: no report ({e}); {p.stderr[-500:]}")
        print("FAIL", name, "no report")
        return
    bad = [c for c in rep["candidates"] if c["verdict"] != "proved"]
    n = len(rep["candidates"])
    ok = not bad and n >= expect_min and p.returncode == 0
    print(("ok   " if ok else "FAIL ") +
          f"{name}: {n} candidates, {n - len(bad)} proved")
    for c in bad:
        print(f"     {c['id']} {c['kind']} {c['params']}: {c['verdict']} "
              f"{c['reason']} ({os.path.join(out, c['dir'])})")
    if not ok:
        failures.append(name)


def unary(op, attrs=None, domain="all", tol=None, binary=False):
    s = {"name": op,
         "inputs": {"x": {"dtype": "float32", "shape": ["N"]}},
         "ops": [{"op": op, "inputs": ["x", "z"] if binary else ["x"],
                  "output": "y"}],
         "outputs": ["y"], "domain": {"x": domain},
         "shapes": [{"N": 67}, {"N": 5}]}
    if binary:
        s["inputs"]["z"] = {"dtype": "float32", "shape": ["N"]}
    if attrs:
        s["ops"][0]["attrs"] = attrs
    if tol:
        s["tolerance"] = tol
    return s


# The tensor ops are at shapes the verifier decides within minutes on the
# 2-core machine under load (softmax at 3x70 runs past 120 s; unknown).
# Each op alone: the naive lowering, the fused scalar kernel and the cost
# model's first two schedules (float4 with a scalar tail, 8 per work-item).
FIRST = ("--candidates", "4")
for op in ("add", "sub", "mul", "div"):
    run(unary(op, binary=True), op, *FIRST, expect_min=4)
for op in ("neg", "abs", "relu", "relu6", "hardsigmoid", "softsign"):
    run(unary(op), op, *FIRST, expect_min=4)
run(unary("hardtanh", {"min_val": -0.5, "max_val": 2.0}), "hardtanh", *FIRST,
    expect_min=4)
run(unary("leaky_relu", {"negative_slope": 0.2}), "leaky_relu", *FIRST,
    expect_min=4)
run(unary("clamp", {"min": -1.5, "max": 0.25}), "clamp", *FIRST, expect_min=4)
run(unary("clamp", {"min": 0.5}), "clamp_min", *FIRST, expect_min=4)
tol = {"atol": 1e-5, "rtol": 1e-4}
for op in ("sigmoid", "exp", "tanh", "elu", "selu", "silu", "softplus",
           "mish"):
    run(unary(op, domain={"range": [-20, 20]}, tol=tol), op, *FIRST,
        expect_min=4)
run(unary("elu", {"alpha": 0.5}, domain={"range": [-20, 20]}, tol=tol),
    "elu_alpha", *FIRST, expect_min=4)
# OpenCL's erf may be 16 ulp off: x * 0.5 * (1 + erf) then needs an atol
# near 1e-4 on [-20, 20] (the error bounds exceed 1e-5: unknown, not a bug).
run(unary("gelu", {"approximate": "none"}, domain={"range": [-20, 20]},
          tol={"atol": 1e-4, "rtol": 1e-4}), "gelu_none", *FIRST,
    expect_min=4)
run(unary("gelu", {"approximate": "tanh"}, domain={"range": [-20, 20]},
          tol=tol), "gelu_tanh", *FIRST, expect_min=4)

chain = {
    "name": "chain",
    "inputs": {"x": {"dtype": "float32", "shape": ["N"]},
               "z": {"dtype": "float32", "shape": ["N"]},
               "a": {"dtype": "float32", "shape": []}},
    "ops": [{"op": "mul", "inputs": ["x", "a"], "output": "t"},
            {"op": "sub", "inputs": ["t", "z"], "output": "u"},
            {"op": "div", "inputs": ["u", 3.0], "output": "v"},
            {"op": "leaky_relu", "inputs": ["v"], "output": "w",
             "attrs": {"negative_slope": 0.1}},
            {"op": "abs", "inputs": ["u"], "output": "y2"},
            {"op": "hardsigmoid", "inputs": ["w"], "output": "y"}],
    "outputs": ["y", "y2"], "domain": {},
    "shapes": [{"N": 67}, {"N": 5}, {"N": 64}]}
run(chain, "chain_grid", "--search", "grid", expect_min=85)

for M, N in ((3, 37), (2, 130)):
    s = {"name": "row sum",
         "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
         "ops": [{"op": "sum", "inputs": ["x"], "output": "y",
                  "attrs": {"dim": -1}}],
         "outputs": ["y"], "domain": {"x": {"range": [-10.0, 10.0]}},
         "shapes": [{"M": M, "N": N}], "tolerance": {"atol": 0.01, "rtol": 0}}
    run(s, f"row_sum_{M}x{N}", expect_min=3)

s = {"name": "row mean",
     "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
     "ops": [{"op": "mean", "inputs": ["x"], "output": "y",
              "attrs": {"dim": 1}}],
     "outputs": ["y"], "domain": {"x": {"range": [-10.0, 10.0]}},
     "shapes": [{"M": 3, "N": 37}], "tolerance": {"atol": 0.01, "rtol": 0}}
run(s, "row_mean_3x37", expect_min=4)

for m, k, n in ((5, 7, 6), (3, 17, 9)):
    s = {"name": "matmul",
         "inputs": {"A": {"dtype": "float32", "shape": ["M", "K"]},
                    "B": {"dtype": "float32", "shape": ["K", "N"]}},
         "ops": [{"op": "matmul", "inputs": ["A", "B"], "output": "C"}],
         "outputs": ["C"],
         "domain": {"A": {"range": [-1.0, 1.0]}, "B": {"range": [-1.0, 1.0]}},
         "shapes": [{"M": m, "K": k, "N": n}],
         "tolerance": {"atol": 1e-5, "rtol": 0}}
    run(s, f"matmul_{m}x{k}x{n}", expect_min=3)

for M, N in ((2, 13), (3, 20)):
    s = {"name": "softmax",
         "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
         "ops": [{"op": "softmax", "inputs": ["x"], "output": "y",
                  "attrs": {"dim": 1}}],
         "outputs": ["y"], "domain": {"x": {"range": [-10.0, 10.0]}},
         "shapes": [{"M": M, "N": N}], "tolerance": {"atol": 5e-4, "rtol": 0}}
    run(s, f"softmax_{M}x{N}", expect_min=3)

s = {"name": "log_softmax",
     "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
     "ops": [{"op": "log_softmax", "inputs": ["x"], "output": "y",
              "attrs": {"dim": 1}}],
     "outputs": ["y"], "domain": {"x": {"range": [-10.0, 10.0]}},
     "shapes": [{"M": 2, "N": 13}], "tolerance": {"atol": 5e-4, "rtol": 0}}
run(s, "log_softmax_2x13", expect_min=3)

# rms_norm with a weight, rows in [1, 2] (eps 1, atol 5e-2, as layer_norm).
s = {"name": "rms_norm",
     "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]},
                "w": {"dtype": "float32", "shape": ["N"]}},
     "ops": [{"op": "rms_norm", "inputs": ["x", "w"], "output": "y",
              "attrs": {"normalized_ndim": 1, "eps": 1.0}}],
     "outputs": ["y"], "domain": {"x": {"range": [1.0, 2.0]},
                                  "w": {"range": [-2.0, 2.0]}},
     "shapes": [{"M": 2, "N": 13}], "tolerance": {"atol": 5e-2, "rtol": 0}}
run(s, "rms_norm_2x13", expect_min=3)

# Not here: row max/min (the naive first-wins fold is emitted, but its
# bit-exact query at 37 columns does not finish: unknown, never timed).

# layer_norm on the example's rows near 1000 (eps 1, atol 5e-2): with a
# tighter tolerance the rounding level's error bounds of the work-group form
# exceed it and the verdict is unknown (not a generator bug; never timed).
for M, N in ((2, 13), (3, 37)):
    s = {"name": "layer_norm",
         "inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
         "ops": [{"op": "layer_norm", "inputs": ["x"], "output": "y",
                  "attrs": {"normalized_ndim": 1, "eps": 1.0}}],
         "outputs": ["y"], "domain": {"x": {"range": [1000.0, 1001.0]}},
         "shapes": [{"M": M, "N": N}], "tolerance": {"atol": 5e-2, "rtol": 0}}
    run(s, f"layer_norm_{M}x{N}", expect_min=3)

print(f"{len(failures)} failure(s): {failures}")
sys.exit(1 if failures else 0)
