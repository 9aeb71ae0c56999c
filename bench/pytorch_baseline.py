#!/usr/bin/env python3
"""Times a ksynth spec's PyTorch formulation (eager and torch.compile) with
the methodology of `ksynth bench` (runtime/README.md, "Timing method"):

  * inputs: K rotated input sets (torch.randn, float32, on the GPU), each in
    its own buffers, so nothing cached on a pointer or on contents can hit;
  * W warm-up calls (torch.compile's compilation happens there), then I timed
    calls, each preceded by a write of a flush buffer of at least twice the
    L2 (default 256 MiB) and a synchronize;
  * each call timed with CUDA events around it (device time) and with the
    host clock around record + synchronize (wall time);
  * median, mean, min, IQR; GB/s over the bytes the problem must move
    (inputs read once + outputs written once); the device copy bandwidth
    measured with a device-to-device copy (read + write bytes), and the
    floor = bytes / copy bandwidth.

Before timing, eager and compiled outputs are compared bit for bit (NaNs
equal) on every input set.

  python3 bench/pytorch_baseline.py SPEC.json --shape N=67108864 \
      [--warmup 3] [--iters 100] [--rotate 4] [--flush-mb 256] [--json OUT]
"""
import argparse
import json
import socket
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F


def eval_expr(text, env):
    """Shape expressions: integers, symbols, + - * / ( ) (integer division)."""
    if isinstance(text, int):
        return text
    expr = str(text).replace("/", "//")
    return int(eval(expr, {"__builtins__": {}, "min": min, "max": max}, dict(env)))


def f32(v):
    """Rounds a Python number to float32, as PyTorch does for a scalar
    (pure Python, so torch.compile sees no graph break)."""
    return struct.unpack("f", struct.pack("f", float(v)))[0]


def build(spec):
    """Returns fn(inputs: dict) -> tuple of outputs, in the spec's op order
    (a topological order is computed from the names)."""
    ops = list(spec["ops"])

    def apply(op, a):
        o, at = op["op"], op.get("attrs", {})
        if o == "add": return a[0] + a[1]
        if o == "sub": return a[0] - a[1]
        if o == "mul": return a[0] * a[1]
        if o == "div": return a[0] / a[1]
        if o == "neg": return -a[0]
        if o == "abs": return torch.abs(a[0])
        if o == "sqrt": return torch.sqrt(a[0])
        if o in ("minimum", "min"): return torch.minimum(a[0], a[1])
        if o in ("maximum", "max"): return torch.maximum(a[0], a[1])
        if o == "relu": return torch.relu(a[0])
        if o == "relu6": return F.relu6(a[0])
        if o == "hardtanh":
            return F.hardtanh(a[0], f32(at.get("min_val", -1.0)), f32(at.get("max_val", 1.0)))
        if o == "clamp":
            if len(a) == 3: return torch.clamp(a[0], a[1], a[2])
            return torch.clamp(a[0], at.get("min"), at.get("max"))
        if o == "leaky_relu": return F.leaky_relu(a[0], f32(at.get("negative_slope", 0.01)))
        if o == "hardsigmoid": return F.hardsigmoid(a[0])
        if o == "gt": return a[0] > a[1]
        if o == "ge": return a[0] >= a[1]
        if o == "lt": return a[0] < a[1]
        if o == "le": return a[0] <= a[1]
        if o == "eq": return a[0] == a[1]
        if o == "ne": return a[0] != a[1]
        if o == "logical_and": return torch.logical_and(a[0], a[1])
        if o == "logical_or": return torch.logical_or(a[0], a[1])
        if o == "logical_not": return torch.logical_not(a[0])
        if o == "where": return torch.where(a[0], a[1], a[2])
        # Activations and tensor ops of the synth suite (bench/synth).
        if o == "sigmoid": return torch.sigmoid(a[0])
        if o == "tanh": return torch.tanh(a[0])
        if o == "exp": return torch.exp(a[0])
        if o == "log": return torch.log(a[0])
        if o == "softsign": return F.softsign(a[0])
        if o == "elu": return F.elu(a[0], f32(at.get("alpha", 1.0)))
        if o == "selu": return F.selu(a[0])
        if o == "gelu": return F.gelu(a[0], approximate=at.get("approximate", "none"))
        if o == "silu": return F.silu(a[0])
        if o == "mish": return F.mish(a[0])
        if o == "softplus":
            return F.softplus(a[0], at.get("beta", 1.0), at.get("threshold", 20.0))
        if o in ("sum", "mean", "amax") or (o in ("max", "min") and len(a) == 1):
            d = at.get("dim")
            kd = at.get("keepdim", False)
            if o == "sum": return torch.sum(a[0], dim=d, keepdim=kd)
            if o == "mean": return torch.mean(a[0], dim=d, keepdim=kd)
            if o == "amax": return torch.amax(a[0], dim=d, keepdim=kd)
            if o == "max": return torch.max(a[0], dim=d, keepdim=kd).values
            return torch.min(a[0], dim=d, keepdim=kd).values
        if o == "softmax": return torch.softmax(a[0], dim=at.get("dim", -1))
        if o == "log_softmax": return torch.log_softmax(a[0], dim=at.get("dim", -1))
        if o == "matmul": return torch.matmul(a[0], a[1])
        if o == "layer_norm":
            k = at.get("normalized_ndim", 1)
            return F.layer_norm(a[0], a[0].shape[-k:], a[1] if len(a) > 1 else None,
                                a[2] if len(a) > 2 else None, at.get("eps", 1e-5))
        if o == "rms_norm":
            k = at.get("normalized_ndim", 1)
            return F.rms_norm(a[0], a[0].shape[-k:], a[1] if len(a) > 1 else None,
                              at.get("eps", 1e-5))
        if o in ("conv1d", "conv2d", "conv3d"):
            conv = {"conv1d": F.conv1d, "conv2d": F.conv2d, "conv3d": F.conv3d}[o]
            return conv(a[0], a[1], a[2] if len(a) > 2 else None,
                        stride=at.get("stride", 1), padding=at.get("padding", 0),
                        dilation=at.get("dilation", 1), groups=at.get("groups", 1))
        if o in ("max_pool1d", "max_pool2d", "max_pool3d"):
            pool = {"max_pool1d": F.max_pool1d, "max_pool2d": F.max_pool2d,
                    "max_pool3d": F.max_pool3d}[o]
            return pool(a[0], at["kernel_size"], stride=at.get("stride"),
                        padding=at.get("padding", 0), dilation=at.get("dilation", 1),
                        ceil_mode=at.get("ceil_mode", False))
        if o in ("avg_pool1d", "avg_pool2d", "avg_pool3d"):
            pool = {"avg_pool1d": F.avg_pool1d, "avg_pool2d": F.avg_pool2d,
                    "avg_pool3d": F.avg_pool3d}[o]
            return pool(a[0], at["kernel_size"], stride=at.get("stride"),
                        padding=at.get("padding", 0), ceil_mode=at.get("ceil_mode", False),
                        count_include_pad=at.get("count_include_pad", True))
        raise SystemExit(f"pytorch_baseline: op '{o}' not supported")

    def fn(inputs):
        env = dict(inputs)
        pending = list(ops)
        while pending:
            for op in pending:
                names = [x for x in op["inputs"] if isinstance(x, str)]
                if all(n in env for n in names):
                    args = [env[x] if isinstance(x, str) else f32(x) for x in op["inputs"]]
                    env[op["output"]] = apply(op, args)
                    pending.remove(op)
                    break
            else:
                raise SystemExit("pytorch_baseline: spec has a cycle or undefined tensor")
        return tuple(env[o] for o in spec["outputs"])

    return fn


def summarize(xs):
    s = sorted(xs)
    q = statistics.quantiles(s, n=4, method="inclusive") if len(s) > 1 else [s[0]] * 3
    return {"n": len(s), "median": statistics.median(s), "mean": statistics.fmean(s),
            "min": s[0], "max": s[-1], "q1": q[0], "q3": q[2], "iqr": q[2] - q[0],
            "stddev": statistics.stdev(s) if len(s) > 1 else 0.0}


def copy_bandwidth(nbytes, reps=10):
    a = torch.empty(nbytes // 4, dtype=torch.float32, device="cuda").fill_(1.0)
    b = torch.empty_like(a)
    times = []
    for i in range(2 + reps):
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record(); b.copy_(a); e.record(); torch.cuda.synchronize()
        if i >= 2:
            times.append(s.elapsed_time(e) * 1e3)  # us
    med = statistics.median(times)
    del a, b
    return {"bytes": nbytes, "us": summarize(times), "gbps_read_plus_write": 2 * nbytes / (med * 1e3)}


def time_fn(fn, sets, warmup, iters, flush, prequeue_cycles):
    """Event and wall times of fn per call. With prequeue_cycles > 0 a spin
    kernel (torch.cuda._sleep) is queued first, so the host has enqueued
    the start event and fn's kernels before the GPU reaches them: the event
    time is then device time without the launch gap, as OpenCL's kernel
    profiling events measure it. Wall time is only meaningful without it."""
    event_us, wall_us = [], []
    for i in range(warmup + iters):
        x = sets[i % len(sets)]
        flush.fill_(float(i))
        torch.cuda.synchronize()
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        if prequeue_cycles:
            torch.cuda._sleep(prequeue_cycles)
        t0 = time.perf_counter()
        s.record(); fn(x); e.record()
        torch.cuda.synchronize()
        t1 = time.perf_counter()
        if i >= warmup:
            event_us.append(s.elapsed_time(e) * 1e3)
            wall_us.append((t1 - t0) * 1e6)
    return {"event_us": summarize(event_us), "wall_us": summarize(wall_us),
            "samples": {"event_us": event_us, "wall_us": wall_us}}


def bits_equal(a, b):
    if a.dtype != torch.float32:
        return torch.equal(a, b)
    na, nb = torch.isnan(a), torch.isnan(b)
    same = a.view(torch.int32) == b.view(torch.int32)
    return bool(torch.all(torch.where(na | nb, na & nb, same)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec")
    ap.add_argument("--shape", action="append", default=[], help="K=V (V may be 2^k)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--rotate", type=int, default=4)
    ap.add_argument("--flush-mb", type=int, default=256)
    ap.add_argument("--copy-mb", type=int, default=1024)
    ap.add_argument("--no-compile", action="store_true")
    ap.add_argument("--prequeue-cycles", type=int, default=200000,
                    help="spin cycles queued before each timed call (0: none)")
    ap.add_argument("--json")
    a = ap.parse_args()

    spec = json.load(open(a.spec))
    env = dict(spec["shapes"][-1])
    for kv in a.shape:
        k, v = kv.split("=")
        env[k] = 2 ** int(v.split("^")[1]) if "^" in v else int(v)
    torch.manual_seed(1)
    sets = []
    for _ in range(a.rotate):
        s = {}
        for name, d in spec["inputs"].items():
            shape = [eval_expr(x, env) for x in d["shape"]]
            if d["dtype"] == "bool":
                s[name] = torch.rand(shape, device="cuda") < 0.5
            else:
                s[name] = torch.randn(shape, device="cuda", dtype=torch.float32)
        sets.append(s)
    fn = build(spec)
    outs = fn(sets[0])
    nbytes = sum(t.numel() * t.element_size() for t in sets[0].values()) + \
        sum(t.numel() * t.element_size() for t in outs)
    props = torch.cuda.get_device_properties(0)
    l2 = getattr(props, "L2_cache_size", 0)
    flush_bytes = max(a.flush_mb << 20, 2 * l2)
    flush = torch.empty(flush_bytes // 4, dtype=torch.float32, device="cuda")
    copy = copy_bandwidth(a.copy_mb << 20)
    floor_us = nbytes / copy["gbps_read_plus_write"] / 1e3

    variants = {"eager": fn}
    if not a.no_compile:
        variants["compile"] = torch.compile(fn)
    results = {}
    for name, f in variants.items():
        differs = None
        for k, x in enumerate(sets):  # also compiles, before any timing
            for got, want in zip(f(x), fn(x)):
                if not bits_equal(got, want):
                    # torch.compile may fuse and contract (FMA) where eager
                    # rounds each op: recorded, not hidden, and still timed.
                    diff = (got.double() - want.double()).abs().max().item()
                    differs = max(differs or 0.0, diff)
                    print(f"pytorch_baseline: {name} differs from eager on set {k} "
                          f"(max abs difference {diff:.3g})", flush=True)
        r = time_fn(f, sets, a.warmup, a.iters, flush, a.prequeue_cycles)
        plain = time_fn(f, sets, a.warmup, a.iters, flush, 0)
        r["with_launch_gap"] = {"event_us": plain["event_us"], "wall_us": plain["wall_us"]}
        med = r["event_us"]["median"]
        r["gbps"] = nbytes / (med * 1e3)
        r["ratio_to_floor"] = med / floor_us
        if differs is not None:
            r["differs_from_eager_max_abs"] = differs
        results[name] = r

    doc = {"spec": a.spec, "shape": env, "bytes_moved": nbytes,
           "device": torch.cuda.get_device_name(0), "l2_bytes": l2,
           "torch": torch.__version__, "host_name": socket.gethostname(),
           "date": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
           "method": {"warmup": a.warmup, "iters": a.iters, "rotate": a.rotate,
                      "flush_bytes": flush_bytes, "prequeue_cycles": a.prequeue_cycles,
                      "timer": "CUDA events around the call after a queued spin kernel (device time "
                               "without the launch gap); with_launch_gap: events and perf_counter "
                               "around the call on an idle GPU"},
           "copy": copy, "floor_us": floor_us, "results": results}
    print(f"{spec.get('name', a.spec)} {env} on {doc['device']}: copy {copy['gbps_read_plus_write']:.0f} GB/s, "
          f"floor {floor_us:.1f} us")
    print(f"{'variant':10} {'median':>9} {'mean':>9} {'min':>9} {'IQR':>8} {'GB/s':>8} {'ratio':>6}"
          f" {'gap evt':>9} {'gap wall':>9}")
    for name, r in results.items():
        e, g = r["event_us"], r["with_launch_gap"]
        print(f"{name:10} {e['median']:9.2f} {e['mean']:9.2f} {e['min']:9.2f} {e['iqr']:8.2f} "
              f"{r['gbps']:8.1f} {r['ratio_to_floor']:6.2f} {g['event_us']['median']:9.2f} "
              f"{g['wall_us']['median']:9.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
