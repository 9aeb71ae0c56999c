#!/usr/bin/env python3
"""Probe PyTorch's float32 semantics for ksynth's elementwise ops.

Evaluates every op of docs/semantics.md with torch over a fixed list of
special float32 values (NaN, +-inf, +-0, +-subnormals, bounds and their
neighbours, ...) on up to three backends and prints JSON to stdout:

  cpu_vec     one contiguous tensor per operand, its length a multiple of 64,
              so every element goes through ATen's vectorised CPU loop;
  cpu_scalar  one 1-element tensor per case, so ATen runs its scalar lambda
              (the path that also handles the tail of every CPU loop);
  cuda        the contiguous tensors on the GPU, if one is available.

The two CPU paths are separate because they disagree with each other on a
few cases (e.g. minimum/maximum on +0 and -0).

Each record: op (ksynth name), attrs, literals (operand position -> Python
scalar), in_dtypes (of the tensor operands), inputs (uint32 bit patterns, or
0/1 for bool, one list per tensor operand), backend, out_dtype and outputs.
tests/unit/spec/PyTorchProbeTest.cpp compares the ksynth interpreter with
every CPU record.

Usage: python3 spec/pytorch/probe_semantics.py > probe.json
"""

import itertools
import json
import platform
import struct
import sys

import torch
import torch.nn.functional as F


def f2b(x):
    """float32 bits of a Python float (rounded to nearest float32)."""
    return struct.unpack("<I", struct.pack("<f", x))[0]


def next_up(b):  # next float32 toward +inf (finite, non-NaN bits)
    if b == 0x80000000:
        return 0x00000001
    return b + 1 if b < 0x80000000 else b - 1


def next_down(b):  # next float32 toward -inf
    if b == 0x00000000:
        return 0x80000001
    return b - 1 if b < 0x80000000 else b + 1


ONE, THREE, SIX = f2b(1.0), f2b(3.0), f2b(6.0)
M_ONE, M_THREE = f2b(-1.0), f2b(-3.0)

# Every unary op sees all of these.
VALUES = [
    0x7FC00000, 0xFFC00000,          # NaN, -NaN
    0x7F800000, 0xFF800000,          # +inf, -inf
    0x00000000, 0x80000000,          # +0, -0
    0x00000001, 0x80000001,          # +-smallest subnormal
    0x007FFFFF, 0x807FFFFF,          # +-largest subnormal
    0x00800000, 0x80800000,          # +-smallest normal
    0x7F7FFFFF, 0xFF7FFFFF,          # +-FLT_MAX
    ONE, M_ONE, next_up(ONE), next_down(ONE), next_up(M_ONE),
    next_down(M_ONE),
    f2b(0.5), f2b(-0.5), f2b(2.0), f2b(-2.0),
    THREE, M_THREE, next_up(THREE), next_down(THREE), next_up(M_THREE),
    next_down(M_THREE),
    SIX, f2b(-6.0), next_up(SIX), next_down(SIX),
    f2b(0.1), f2b(-0.1), f2b(1 / 3), f2b(2.5), f2b(-0.7), f2b(0.01),
    f2b(100.0), f2b(16777216.0), f2b(1e30), f2b(-1e30),
]

# Binary ops see every pair of these.
PAIR_VALUES = [
    0x7FC00000, 0x7F800000, 0xFF800000, 0x00000000, 0x80000000,
    0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x7F7FFFFF, 0xFF7FFFFF,
    ONE, M_ONE, next_up(ONE), f2b(0.5), f2b(-0.5), f2b(2.0), THREE, M_THREE,
    SIX, f2b(0.1), f2b(1 / 3), f2b(-0.7), f2b(1e30), f2b(-1e30),
    f2b(16777216.0),
]

# Bounds for clamp with tensor bounds.
BOUND_VALUES = [0x7FC00000, 0xFF800000, M_ONE, 0x80000000, 0x00000000, ONE,
                0x7F800000]


def case(op, fn, inputs, in_dtypes=None, attrs=None, literals=None):
    return {
        "op": op,
        "attrs": attrs or {},
        "literals": literals or {},
        "in_dtypes": in_dtypes or ["float32"] * len(inputs),
        "inputs": inputs,
        "fn": fn,
    }


def unary(op, fn, attrs=None, literals=None):
    return case(op, fn, [list(VALUES)], attrs=attrs, literals=literals)


def binary(op, fn):
    pairs = list(itertools.product(PAIR_VALUES, PAIR_VALUES))
    return case(op, fn, [[a for a, _ in pairs], [b for _, b in pairs]])


def cases():
    out = [
        unary("neg", torch.neg),
        unary("abs", torch.abs),
        unary("relu", torch.relu),
        unary("relu6", F.relu6),
        unary("hardsigmoid", F.hardsigmoid),
        unary("hardswish", F.hardswish),
        unary("sqrt", torch.sqrt),
        unary("leaky_relu", F.leaky_relu),
        unary("leaky_relu", lambda x: F.leaky_relu(x, 0.2),
              attrs={"negative_slope": 0.2}),
        unary("hardtanh", F.hardtanh),
        unary("hardtanh", lambda x: F.hardtanh(x, -2.0, 3.0),
              attrs={"min_val": -2.0, "max_val": 3.0}),
        unary("hardtanh", lambda x: F.hardtanh(x, 0.1, 0.5),
              attrs={"min_val": 0.1, "max_val": 0.5}),
        unary("clamp", lambda x: torch.clamp(x, min=-1.0, max=1.0),
              attrs={"min": -1.0, "max": 1.0}),
        unary("clamp", lambda x: torch.clamp(x, min=0.0),
              attrs={"min": 0.0}),
        unary("clamp", lambda x: torch.clamp(x, max=0.0),
              attrs={"max": 0.0}),
        unary("clamp", lambda x: torch.clamp(x, min=0.1),
              attrs={"min": 0.1}),
        # Python scalars as operands ("literals" in a spec).
        unary("add", lambda x: torch.add(x, 0.1), literals={"1": 0.1}),
        unary("sub", lambda x: torch.sub(x, 0.1), literals={"1": 0.1}),
        unary("sub", lambda x: torch.rsub(x, 0.1), literals={"0": 0.1}),
        unary("mul", lambda x: torch.mul(x, 0.1), literals={"1": 0.1}),
        unary("div", lambda x: torch.div(x, 0.1), literals={"1": 0.1}),
        unary("div", lambda x: torch.div(x, 3.0), literals={"1": 3.0}),
        unary("div", lambda x: torch.div(x, 6.0), literals={"1": 6.0}),
        unary("gt", lambda x: torch.gt(x, 0.0), literals={"1": 0.0}),
    ]
    for op, fn in [("add", torch.add), ("sub", torch.sub),
                   ("mul", torch.mul), ("div", torch.div),
                   ("minimum", torch.minimum), ("maximum", torch.maximum),
                   ("gt", torch.gt), ("ge", torch.ge), ("lt", torch.lt),
                   ("le", torch.le), ("eq", torch.eq), ("ne", torch.ne)]:
        out.append(binary(op, fn))

    triples = list(itertools.product(PAIR_VALUES, BOUND_VALUES, BOUND_VALUES))
    out.append(case("clamp", lambda x, lo, hi: torch.clamp(x, lo, hi),
                    [[t[k] for t in triples] for k in range(3)]))

    bpairs = list(itertools.product([0, 1], [0, 1]))
    bb = [[a for a, _ in bpairs], [b for _, b in bpairs]]
    for op, fn in [("logical_and", torch.logical_and),
                   ("logical_or", torch.logical_or),
                   ("eq", torch.eq), ("ne", torch.ne)]:
        out.append(case(op, fn, bb, in_dtypes=["bool", "bool"]))
    out.append(case("logical_not", torch.logical_not, [[0, 1]],
                    in_dtypes=["bool"]))

    wv = [0x7FC00000, 0xFF800000, 0x80000000, 0x00000000, ONE, 0x00000001]
    wt = list(itertools.product([0, 1], wv, wv))
    out.append(case("where", torch.where,
                    [[t[k] for t in wt] for k in range(3)],
                    in_dtypes=["bool", "float32", "float32"]))
    wt2 = list(itertools.product([0, 1], VALUES))
    out.append(case("where", lambda c, x: torch.where(c, x, 0.0),
                    [[t[0] for t in wt2], [t[1] for t in wt2]],
                    in_dtypes=["bool", "float32"], literals={"2": 0.0}))
    return out


def to_tensor(values, dtype, device):
    if dtype == "bool":
        return torch.tensor(values, dtype=torch.bool, device=device)
    signed = [v - (1 << 32) if v >= (1 << 31) else v for v in values]
    return torch.tensor(signed, dtype=torch.int32,
                        device=device).view(torch.float32)


def from_tensor(t):
    t = t.cpu().contiguous()
    if t.dtype == torch.bool:
        return "bool", [int(v) for v in t.to(torch.uint8).tolist()]
    if t.dtype != torch.float32:
        raise TypeError("unexpected result dtype %s" % t.dtype)
    return "float32", [v & 0xFFFFFFFF for v in t.view(torch.int32).tolist()]


def run_batched(c, device):
    n = len(c["inputs"][0])
    padded = -(-n // 64) * 64
    args = []
    for vals, dt in zip(c["inputs"], c["in_dtypes"]):
        vals = vals + [vals[-1]] * (padded - n)
        args.append(to_tensor(vals, dt, device))
    dtype, out = from_tensor(c["fn"](*args))
    return dtype, out[:n]


def run_scalar(c):
    n = len(c["inputs"][0])
    dtype, outs = None, []
    for i in range(n):
        args = [to_tensor([vals[i]], dt, "cpu")
                for vals, dt in zip(c["inputs"], c["in_dtypes"])]
        dtype, out = from_tensor(c["fn"](*args))
        outs.extend(out)
    return dtype, outs


def main():
    backends = ["cpu_vec", "cpu_scalar"]
    meta = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_capability": None,
        "flush_denormal": "default (off)",
        "cuda_device": None,
    }
    try:
        meta["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
    except Exception as e:  # older torch
        meta["cpu_capability"] = "unknown (%s)" % e
    if torch.cuda.is_available():
        backends.append("cuda")
        meta["cuda_device"] = torch.cuda.get_device_name(0)
        meta["cuda_version"] = torch.version.cuda

    records = []
    for c in cases():
        for backend in backends:
            rec = {k: c[k] for k in ("op", "attrs", "literals", "in_dtypes")}
            rec["backend"] = backend
            rec["inputs"] = c["inputs"]
            try:
                if backend == "cpu_scalar":
                    dtype, out = run_scalar(c)
                else:
                    dtype, out = run_batched(
                        c, "cuda" if backend == "cuda" else "cpu")
                rec["out_dtype"] = dtype
                rec["outputs"] = out
            except Exception as e:  # keep going; the record says why
                rec["error"] = "%s: %s" % (type(e).__name__, e)
            records.append(rec)

    w = sys.stdout.write
    w('{"meta": %s,\n "records": [\n' % json.dumps(meta))
    for i, r in enumerate(records):
        w("  " + json.dumps(r, separators=(",", ":")))
        w(",\n" if i + 1 < len(records) else "\n")
    w("]}\n")


if __name__ == "__main__":
    main()
