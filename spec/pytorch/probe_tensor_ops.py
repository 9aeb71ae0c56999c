#!/usr/bin/env python3
"""Probe PyTorch's float32 semantics for ksynth's tensor ops and
transcendental activations (docs/semantics.md, from "Transcendental
activations" on).

Runs each case with torch on the CPU (and CUDA, if available) and prints
JSON to stdout. A case is one ksynth op with its attrs, its input tensors
(float32 as uint32 bit patterns, int64 as values) and the equivalent torch
call; each record adds the backend and the output (or the error torch
raised). tests/unit/spec/PyTorchTensorProbeTest.cpp runs the ksynth
interpreter on every CPU record and compares, by ksynth's own rule
(spec/OpTable.h, toleranceReason; the "class" field here is that rule's
expectation, for readers):

  class "exact"      ops ksynth defines bit for bit (max/argmax ties, NaN,
                     signed zeros, max pooling, softsign, ...): bit for bit;
  class "tolerance"  ops whose float32 result depends on a summation order
                     or a transcendental PyTorch does not pin down: NaN and
                     infinities must agree, finite values within a small
                     relative error.

Usage: python3 spec/pytorch/probe_tensor_ops.py > probe_tensor.json
"""

import json
import math
import platform
import struct
import sys
import traceback

import torch
import torch.nn.functional as F

NAN, INF = float("nan"), float("inf")


def f2b(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def tensor_from(spec, device):
    if spec["dtype"] == "int64":
        t = torch.tensor(spec["values"], dtype=torch.int64)
    else:
        signed = [b - (1 << 32) if b >= (1 << 31) else b for b in spec["bits"]]
        t = torch.tensor(signed, dtype=torch.int32).view(torch.float32)
    return t.reshape(spec["shape"]).to(device)


def describe(t):
    t = t.detach().cpu().contiguous()
    shape = list(t.shape)
    if t.dtype == torch.float32:
        bits = [b & 0xFFFFFFFF for b in t.view(torch.int32).flatten().tolist()]
        return {"dtype": "float32", "shape": shape, "bits": bits}
    if t.dtype == torch.int64:
        return {"dtype": "int64", "shape": shape, "values": t.flatten().tolist()}
    return {"dtype": str(t.dtype), "shape": shape,
            "values": [float(v) for v in t.flatten().tolist()]}


def f32(shape, values):
    n = 1
    for d in shape:
        n *= d
    assert len(values) == n, (shape, len(values))
    return {"dtype": "float32", "shape": list(shape),
            "bits": [f2b(float(v)) for v in values]}


def i64(shape, values):
    return {"dtype": "int64", "shape": list(shape), "values": list(values)}


def seq(shape, start):
    n = 1
    for d in shape:
        n *= d
    return f32(shape, [start + i for i in range(n)])


CASES = []


def case(cid, op, attrs, cls, inputs, fn):
    CASES.append({"id": cid, "op": op, "attrs": attrs, "class": cls,
                  "inputs": inputs, "fn": fn})


# Activation inputs: special values and both sides of every threshold.
VALUES = [NAN, INF, -INF, 0.0, -0.0, 2.0 ** -149, -(2.0 ** -149), 1.0, -1.0,
          0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 10.0, -10.0, 19.5, 20.0, 20.5,
          30.0, -30.0, 88.0, 89.0, -88.0, -100.0, -104.0, 1e30, -1e30,
          0.1, -0.7, 1e-3, -1e-3]


def build():
    # --- max / min / argmax / argmin: ties, signed zeros, NaN -------------
    rows = [[1, 3, 3, 2], [-0.0, 0.0, 0.0, -0.0], [0.0, -0.0, -0.0, 0.0],
            [1, NAN, 5, NAN], [-INF, -INF, -INF, -INF], [NAN, 1, NAN, 2],
            [2, 2, 1, 1], [-1, -0.0, 0.0, -1]]
    X = f32([8, 4], [v for r in rows for v in r])
    for d in (1, 0):
        case(f"max_d{d}", "max", {"dim": d}, "exact", [X],
             lambda x, d=d: torch.max(x, dim=d).values)
        case(f"min_d{d}", "min", {"dim": d}, "exact", [X],
             lambda x, d=d: torch.min(x, dim=d).values)
        case(f"argmax_d{d}", "argmax", {"dim": d}, "exact", [X],
             lambda x, d=d: torch.argmax(x, dim=d))
        case(f"argmin_d{d}", "argmin", {"dim": d}, "exact", [X],
             lambda x, d=d: torch.argmin(x, dim=d))
        case(f"maxidx_d{d}", "argmax", {"dim": d}, "exact", [X],
             lambda x, d=d: torch.max(x, dim=d).indices)
        case(f"minidx_d{d}", "argmin", {"dim": d}, "exact", [X],
             lambda x, d=d: torch.min(x, dim=d).indices)
    case("argmax_keepdim", "argmax", {"dim": -1, "keepdim": True}, "exact",
         [X], lambda x: torch.argmax(x, dim=-1, keepdim=True))
    for r, row in enumerate(rows):
        xr = f32([4], row)
        case(f"max_all_r{r}", "max", {}, "exact", [xr], lambda x: torch.max(x))
        case(f"min_all_r{r}", "min", {}, "exact", [xr], lambda x: torch.min(x))
        case(f"argmax_all_r{r}", "argmax", {}, "exact", [xr],
             lambda x: torch.argmax(x))
    case("norm_inf", "norm", {"p": "inf", "dim": 1}, "exact", [X],
         lambda x: torch.linalg.vector_norm(x, ord=INF, dim=1))

    # --- sums, products, cumsum -------------------------------------------
    srows = [[1e8, 1, -1e8, 1], [-0.0, -0.0, -0.0, -0.0], [INF, -INF, 1, 1],
             [NAN, 1, 2, 3], [0.1, 0.2, 0.3, 0.4], [3e38, 3e38, 1, 1],
             [2, 3, -0.0, 1], [-1, -0.0, 1, 1], [INF, 0, 1, 1]]
    S = f32([9, 4], [v for r in srows for v in r])
    case("sum_d1", "sum", {"dim": 1}, "tolerance", [S],
         lambda x: torch.sum(x, dim=1))
    case("mean_d1", "mean", {"dim": 1}, "tolerance", [S],
         lambda x: torch.mean(x, dim=1))
    case("prod_d1", "prod", {"dim": 1}, "tolerance", [S],
         lambda x: torch.prod(x, dim=1))
    case("sum_d0", "sum", {"dim": 0}, "tolerance", [S],
         lambda x: torch.sum(x, dim=0))
    case("norm1_d1", "norm", {"p": 1, "dim": 1}, "tolerance", [S],
         lambda x: torch.linalg.vector_norm(x, ord=1, dim=1))
    case("norm2_d1", "norm", {"p": 2, "dim": 1}, "tolerance", [S],
         lambda x: torch.linalg.vector_norm(x, ord=2, dim=1))
    case("cumsum_d1", "cumsum", {"dim": 1}, "tolerance", [S],
         lambda x: torch.cumsum(x, dim=1))
    case("cumsum_d0", "cumsum", {"dim": 0}, "tolerance", [S],
         lambda x: torch.cumsum(x, dim=0))
    case("sum_negzero_0d", "sum", {}, "tolerance", [f32([1], [-0.0])],
         lambda x: torch.sum(x))

    # --- softmax / log_softmax --------------------------------------------
    mrows = [[-INF, -INF, -INF], [INF, 0, 1], [1000, 1000, 1000],
             [-INF, 0, 1], [1, NAN, 2], [1, 2, 3], [-0.0, 0.0, 0.0],
             [-100, 0, 100]]
    M = f32([8, 3], [v for r in mrows for v in r])
    for op, fn in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
        case(f"{op}_d1", op, {"dim": 1}, "tolerance", [M],
             lambda x, fn=fn: fn(x, dim=1))
        case(f"{op}_d0", op, {"dim": 0}, "tolerance", [M],
             lambda x, fn=fn: fn(x, dim=0))

    # --- layer_norm, rms_norm, batch_norm ---------------------------------
    L = f32([4, 4], [1, 2, 3, 4, 5, 5, 5, 5, NAN, 1, 2, 3, 1e20, -1e20, 0, 1])
    W4, B4 = f32([4], [1, 2, 1, 2]), f32([4], [0, 0, 1, 1])
    case("layer_norm", "layer_norm", {}, "tolerance", [L],
         lambda x: F.layer_norm(x, [4]))
    case("layer_norm_eps0_wb", "layer_norm", {"eps": 0}, "tolerance",
         [L, W4, B4], lambda x, w, b: F.layer_norm(x, [4], w, b, eps=0.0))
    case("layer_norm_2d", "layer_norm", {"normalized_ndim": 2}, "tolerance",
         [f32([2, 2, 2], [1, 2, 3, 4, 0, 0, 0, 1])],
         lambda x: F.layer_norm(x, [2, 2]))
    R = f32([3, 2], [3, 4, 0, 0, INF, 1])
    case("rms_norm", "rms_norm", {}, "tolerance", [R],
         lambda x: F.rms_norm(x, [2]))
    case("rms_norm_eps0_w", "rms_norm", {"eps": 0}, "tolerance",
         [R, f32([2], [2, -1])], lambda x, w: F.rms_norm(x, [2], w, eps=0.0))
    BX = f32([2, 2, 2], [1, 3, 2, 4, 5, 7, 0, -1])
    bm, bv = f32([2], [1, 2]), f32([2], [4, 0.25])
    bw, bb = f32([2], [1, 2]), f32([2], [0, 1])
    case("batch_norm_eps0", "batch_norm", {"eps": 0}, "tolerance",
         [BX, bm, bv, bw, bb],
         lambda x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=False,
                                            eps=0.0))
    BX2 = f32([2, 3, 2], [0.3, -1.7, 2.2, 0.1, -0.0, 5.5,
                          1e-3, 7.25, -3.1, 0.9, 1.1, -0.4])
    case("batch_norm", "batch_norm", {}, "tolerance",
         [BX2, f32([3], [0.1, -0.2, 0.3]), f32([3], [1.5, 0.7, 2.0]),
          f32([3], [0.9, 1.1, -1.3]), f32([3], [0.01, -0.02, 0.5])],
         lambda x, m, v, w, b: F.batch_norm(x, m, v, w, b, training=False))
    case("batch_norm_nowb", "batch_norm", {}, "tolerance",
         [BX2, f32([3], [0.1, -0.2, 0.3]), f32([3], [1.5, 0.7, 2.0])],
         lambda x, m, v: F.batch_norm(x, m, v, training=False))

    # --- matmul, transpose -------------------------------------------------
    case("dot_order", "matmul", {}, "tolerance",
         [f32([4], [1e8, 1, -1e8, 1]), f32([4], [1, 1, 1, 1])], torch.matmul)
    case("dot_0inf", "matmul", {}, "tolerance",
         [f32([2], [0, 1]), f32([2], [INF, 1])], torch.matmul)
    case("matmul_bcast", "matmul", {}, "tolerance",
         [seq([2, 1, 3, 4], -5), seq([3, 4, 2], -9)], torch.matmul)
    case("matmul_vm", "matmul", {}, "tolerance",
         [seq([4], -1), seq([2, 4, 3], -7)], torch.matmul)
    case("matmul_mv", "matmul", {}, "tolerance",
         [seq([2, 3, 4], -7), seq([4], -1)], torch.matmul)
    case("transpose", "transpose", {"dim0": 0, "dim1": -1}, "exact",
         [f32([2, 1, 3], [NAN, -0.0, 1, 2, 3, -INF])],
         lambda x: torch.transpose(x, 0, -1))

    # --- convolution --------------------------------------------------------
    case("conv1d_pad_inf", "conv1d", {"padding": 1}, "tolerance",
         [f32([1, 1, 2], [1, 1]), f32([1, 1, 3], [INF, 1, 1])],
         lambda x, w: F.conv1d(x, w, padding=1))
    case("conv1d_pad_nan", "conv1d", {"padding": 1}, "tolerance",
         [f32([1, 1, 3], [1, 2, 3]), f32([1, 1, 3], [1, 1, NAN])],
         lambda x, w: F.conv1d(x, w, padding=1))
    case("conv1d_groups", "conv1d",
         {"stride": 2, "padding": 1, "dilation": 2, "groups": 2},
         "tolerance", [seq([2, 4, 9], -30), seq([6, 2, 3], -8),
                       f32([6], [0.5, -1, 2, 0, 1, -0.5])],
         lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2,
                                  groups=2))
    case("conv2d", "conv2d", {"stride": [1, 2], "padding": [1, 0]},
         "tolerance", [seq([2, 3, 5, 6], -80), seq([4, 3, 3, 2], -30)],
         lambda x, w: F.conv2d(x, w, stride=(1, 2), padding=(1, 0)))
    case("conv2d_depthwise", "conv2d", {"groups": 3, "dilation": 2},
         "tolerance", [seq([1, 3, 6, 6], -50), seq([3, 1, 2, 2], -5)],
         lambda x, w: F.conv2d(x, w, groups=3, dilation=2))
    case("conv_transpose2d", "conv_transpose2d",
         {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2,
          "dilation": [1, 2]},
         "tolerance", [seq([2, 4, 3, 4], -40), seq([4, 3, 3, 2], -30),
                       f32([6], [1, 2, 3, 4, 5, 6])],
         lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1,
                                            output_padding=1, groups=2,
                                            dilation=(1, 2)))
    case("conv_transpose2d_plain", "conv_transpose2d", {}, "tolerance",
         [f32([1, 1, 2, 2], [1, 2, 3, 4]), f32([1, 1, 2, 2], [1, 1, 1, 1])],
         lambda x, w: F.conv_transpose2d(x, w))

    # --- pooling -------------------------------------------------------------
    P = f32([1, 1, 10], [-0.0, 0.0, 0.0, -0.0, 1, NAN, NAN, 1, -INF, -INF])
    case("max_pool1d_ties", "max_pool1d", {"kernel_size": 2}, "exact", [P],
         lambda x: F.max_pool1d(x, 2))
    case("max_pool1d_pad_dil", "max_pool1d",
         {"kernel_size": 3, "stride": 1, "padding": 1, "dilation": 2},
         "exact", [P],
         lambda x: F.max_pool1d(x, 3, stride=1, padding=1, dilation=2))
    Q = f32([1, 2, 4, 4], [(-1) ** i * (i % 7) for i in range(32)])
    case("max_pool2d", "max_pool2d",
         {"kernel_size": [2, 3], "stride": 1, "padding": 1}, "exact", [Q],
         lambda x: F.max_pool2d(x, (2, 3), stride=1, padding=1))
    A = f32([1, 1, 5], [1, 2, 3, 4, 5])
    case("avg_pool1d_pad", "avg_pool1d",
         {"kernel_size": 2, "stride": 1, "padding": 1}, "tolerance", [A],
         lambda x: F.avg_pool1d(x, 2, stride=1, padding=1))
    case("avg_pool1d_nopadcount", "avg_pool1d",
         {"kernel_size": 3, "stride": 2, "padding": 1,
          "count_include_pad": False}, "tolerance", [A],
         lambda x: F.avg_pool1d(x, 3, stride=2, padding=1,
                                count_include_pad=False))
    case("avg_pool2d", "avg_pool2d",
         {"kernel_size": 3, "stride": 2, "padding": 1}, "tolerance", [Q],
         lambda x: F.avg_pool2d(x, 3, stride=2, padding=1))

    # --- ops added for KernelBench coverage ----------------------------------
    # logsumexp: all -inf (m masked to 0), +inf, NaN, large equal values.
    LR = [[-INF, -INF, -INF], [INF, 0, 1], [1000, 1000, 1000], [1, NAN, 2],
          [-1000, 0, 1], [INF, INF, 1], [-0.0, -0.0, -0.0], [0.1, -0.7, 2]]
    LSE = f32([8, 3], [v for r in LR for v in r])
    case("logsumexp_d1", "logsumexp", {"dim": 1}, "tolerance", [LSE],
         lambda x: torch.logsumexp(x, dim=1))
    case("logsumexp_d0_keep", "logsumexp", {"dim": 0, "keepdim": True},
         "tolerance", [LSE], lambda x: torch.logsumexp(x, 0, keepdim=True))
    case("logsumexp_all", "logsumexp", {"dim": [0, 1]}, "tolerance",
         [f32([2, 3], [1, 2, 3, -4, 5, 0.5])],
         lambda x: torch.logsumexp(x, dim=(0, 1)))
    case("cumprod_d1", "cumprod", {"dim": 1}, "tolerance", [S],
         lambda x: torch.cumprod(x, dim=1))
    case("cumprod_d0", "cumprod", {"dim": 0}, "tolerance",
         [f32([3, 2], [2, -0.0, 0.5, INF, -3, 1])],
         lambda x: torch.cumprod(x, dim=0))
    GX = f32([2, 4, 3], [0.3, -1.7, 2.2, 0.1, -0.0, 5.5, 1e-3, 7.25, -3.1,
                         0.9, 1.1, -0.4, 1, 2, 3, 4, 5, 6, NAN, 1, 2, 3, 4, 5])
    GW = f32([4], [0.9, 1.1, -1.3, 2])
    GB = f32([4], [0.01, -0.02, 0.5, 0])
    case("group_norm", "group_norm", {"num_groups": 2}, "tolerance", [GX],
         lambda x: F.group_norm(x, 2))
    case("group_norm_wb", "group_norm", {"num_groups": 2, "eps": 0.1},
         "tolerance", [GX, GW, GB],
         lambda x, w, b: F.group_norm(x, 2, w, b, eps=0.1))
    case("group_norm_w", "group_norm", {"num_groups": 4}, "tolerance",
         [GX, GW], lambda x, w: F.group_norm(x, 4, w))
    case("group_norm_2d", "group_norm", {"num_groups": 1}, "tolerance",
         [f32([2, 2, 1, 2], [1, 2, 3, 4, -1, 0, 0, 1])],
         lambda x: F.group_norm(x, 1))
    case("instance_norm", "instance_norm", {}, "tolerance", [GX],
         lambda x: F.instance_norm(x))
    case("instance_norm_wb", "instance_norm", {"eps": 0.1}, "tolerance",
         [GX, GW, GB],
         lambda x, w, b: F.instance_norm(x, weight=w, bias=b, eps=0.1))
    case("conv3d", "conv3d", {"stride": [1, 2, 1], "padding": 1},
         "tolerance", [seq([1, 2, 3, 4, 3], -40), seq([2, 2, 2, 2, 2], -16),
                       f32([2], [0.5, -1])],
         lambda x, w, b: F.conv3d(x, w, b, stride=(1, 2, 1), padding=1))
    case("conv3d_groups_dil", "conv3d", {"groups": 2, "dilation": [2, 1, 1]},
         "tolerance", [seq([2, 4, 3, 2, 2], -50), seq([2, 2, 2, 1, 2], -4)],
         lambda x, w: F.conv3d(x, w, groups=2, dilation=(2, 1, 1)))
    case("conv3d_pad_inf", "conv3d", {"padding": 1}, "tolerance",
         [f32([1, 1, 1, 1, 1], [1]), f32([1, 1, 1, 1, 3], [INF, 1, 1])],
         lambda x, w: F.conv3d(x, w, padding=1))
    case("conv_transpose1d", "conv_transpose1d",
         {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2},
         "tolerance", [seq([2, 4, 5], -20), seq([4, 3, 3], -18),
                       f32([6], [1, 2, 3, 4, 5, 6])],
         lambda x, w, b: F.conv_transpose1d(x, w, b, stride=2, padding=1,
                                            output_padding=1, groups=2))
    case("conv_transpose3d", "conv_transpose3d",
         {"stride": [2, 1, 2], "padding": [0, 1, 1], "dilation": [1, 2, 1]},
         "tolerance", [seq([1, 2, 2, 3, 2], -12), seq([2, 3, 2, 2, 3], -36),
                       f32([3], [0.25, 0, -1])],
         lambda x, w, b: F.conv_transpose3d(x, w, b, stride=(2, 1, 2),
                                            padding=(0, 1, 1),
                                            dilation=(1, 2, 1)))
    P3 = f32([1, 1, 2, 3, 4], [(-1) ** i * (i % 5) for i in range(20)] +
             [-0.0, 0.0, NAN, 1])
    case("max_pool3d", "max_pool3d",
         {"kernel_size": [2, 2, 3], "stride": 1, "padding": [1, 1, 1]},
         "exact", [P3],
         lambda x: F.max_pool3d(x, (2, 2, 3), stride=1, padding=1))
    case("max_pool3d_dil", "max_pool3d",
         {"kernel_size": 2, "dilation": [1, 2, 1]}, "exact",
         [seq([2, 1, 3, 4, 4], -30)],
         lambda x: F.max_pool3d(x, 2, dilation=(1, 2, 1)))
    case("avg_pool3d", "avg_pool3d",
         {"kernel_size": 2, "stride": 1, "padding": 1}, "tolerance",
         [seq([1, 2, 2, 3, 3], -9)],
         lambda x: F.avg_pool3d(x, 2, stride=1, padding=1))
    case("avg_pool3d_nopadcount", "avg_pool3d",
         {"kernel_size": [2, 3, 3], "stride": 2, "padding": 1,
          "count_include_pad": False}, "tolerance",
         [seq([1, 2, 3, 4, 5], -60)],
         lambda x: F.avg_pool3d(x, (2, 3, 3), stride=2, padding=1,
                                count_include_pad=False))
    KI = f32([2, 4], [-1.2, -0.5, -2, NAN, -0.1, 0, -3, INF])
    KT = f32([2, 4], [0.2, 0, 0.5, 0.3, NAN, 0.25, -0.0, 0.1])
    KL = f32([2, 4], [-1.6, -INF, -0.7, -1.2, -2, 0, -1, 90])
    for red in ("none", "sum", "mean", "batchmean"):
        case(f"kl_div_{red}", "kl_div", {"reduction": red}, "tolerance",
             [KI, KT],
             lambda x, t, red=red: F.kl_div(x, t, reduction=red))
        case(f"kl_div_logt_{red}", "kl_div",
             {"reduction": red, "log_target": True}, "tolerance", [KI, KL],
             lambda x, t, red=red: F.kl_div(x, t, reduction=red,
                                            log_target=True))
    TA = f32([3, 4], [1, 2, 3, 4, 0, 0, 0, 0, NAN, 1, 1, 1])
    TP = f32([3, 4], [1, 2, 3, 5, 0.5, -0.5, 0, 1, 0, 0, 0, 0])
    TN = f32([3, 4], [4, 3, 2, 1, 0, 0, 0, 1e-6, 1, 1, 1, 1])
    for red in ("none", "mean", "sum"):
        case(f"triplet_{red}", "triplet_margin_loss", {"reduction": red},
             "tolerance", [TA, TP, TN],
             lambda a, p, n, red=red: F.triplet_margin_loss(
                 a, p, n, reduction=red))
    case("triplet_p1_swap", "triplet_margin_loss",
         {"p": 1, "swap": True, "margin": 0.5, "eps": 0.01,
          "reduction": "none"}, "tolerance", [TA, TP, TN],
         lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=0.5, p=1,
                                               eps=0.01, swap=True,
                                               reduction="none"))
    case("triplet_1d", "triplet_margin_loss", {"margin": 2}, "tolerance",
         [f32([3], [1, 2, 3]), f32([3], [1, 2, 2]), f32([3], [0, 2, 3])],
         lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0))

    # --- activations ---------------------------------------------------------
    V = f32([len(VALUES)], VALUES)
    for op, attrs, cls, fn in [
            ("sigmoid", {}, "tolerance", torch.sigmoid),
            ("tanh", {}, "tolerance", torch.tanh),
            ("exp", {}, "tolerance", torch.exp),
            ("log", {}, "tolerance", torch.log),
            ("softplus", {}, "tolerance", F.softplus),
            ("softplus", {"beta": 2, "threshold": 10}, "tolerance",
             lambda x: F.softplus(x, beta=2, threshold=10)),
            ("elu", {}, "tolerance", F.elu),
            ("elu", {"alpha": 0.5}, "tolerance", lambda x: F.elu(x, 0.5)),
            ("selu", {}, "tolerance", F.selu),
            ("gelu", {}, "tolerance", F.gelu),
            ("gelu", {"approximate": "tanh"}, "tolerance",
             lambda x: F.gelu(x, approximate="tanh")),
            ("silu", {}, "tolerance", F.silu),
            ("mish", {}, "tolerance", F.mish),
            ("softsign", {}, "exact", F.softsign)]:
        suffix = "_" + "_".join(f"{k}{v}" for k, v in attrs.items())
        case(op + (suffix if attrs else ""), op, attrs, cls, [V], fn)

    # --- losses --------------------------------------------------------------
    LX = f32([6], [1, 2, 3, NAN, 0.5, -2])
    LY = f32([6], [1, 0, 0, 1, 1, 1])
    for red in ("none", "mean", "sum"):
        cls = "exact" if red == "none" else "tolerance"
        case(f"mse_{red}", "mse_loss", {"reduction": red}, cls, [LX, LY],
             lambda x, y, red=red: F.mse_loss(x, y, reduction=red))
        case(f"huber_{red}", "huber_loss", {"reduction": red, "delta": 1.5},
             cls, [LX, LY],
             lambda x, y, red=red: F.huber_loss(x, y, reduction=red,
                                                delta=1.5))
        case(f"hinge_{red}", "hinge_loss", {"reduction": red}, cls, [LX, LY],
             lambda x, y, red=red: {"none": lambda t: t,
                                    "mean": torch.mean,
                                    "sum": torch.sum}[red](
                 torch.clamp(1 - y * x, min=0)))
    CE = f32([4, 3], [0, 0, 0, 1, 2, 3, 1000, 0, -1000, -INF, 0, 1])
    CT = i64([4], [0, 2, 1, -100])
    for red in ("none", "mean", "sum"):
        case(f"ce_idx_{red}", "cross_entropy", {"reduction": red},
             "tolerance", [CE, CT],
             lambda x, t, red=red: F.cross_entropy(x, t, reduction=red))
    case("ce_ignore1", "cross_entropy", {"ignore_index": 1}, "tolerance",
         [CE, i64([4], [1, 1, 0, 2])],
         lambda x, t: F.cross_entropy(x, t, ignore_index=1))
    case("ce_all_ignored", "cross_entropy", {}, "tolerance",
         [CE, i64([4], [-100, -100, -100, -100])],
         lambda x, t: F.cross_entropy(x, t))
    CP = f32([4, 3], [1, 0, 0, 0, 0.5, 0.5, 0.2, 0.3, 0.5, 0, 0, 1])
    for red in ("none", "mean"):
        case(f"ce_prob_{red}", "cross_entropy", {"reduction": red},
             "tolerance", [CE, CP],
             lambda x, p, red=red: F.cross_entropy(x, p, reduction=red))


def run(device):
    out = []
    for c in CASES:
        rec = {"id": c["id"], "op": c["op"], "attrs": c["attrs"],
               "class": c["class"], "inputs": c["inputs"], "backend": device}
        try:
            args = [tensor_from(s, device) for s in c["inputs"]]
            rec["output"] = describe(c["fn"](*args))
        except Exception as e:  # recorded, not fatal
            rec["error"] = f"{type(e).__name__}: {e}"
        out.append(rec)
    return out


def main():
    # float32 convolutions on CUDA would otherwise use TF32.
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    build()
    meta = {"torch": torch.__version__, "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "threads": torch.get_num_threads()}
    records = run("cpu")
    if torch.cuda.is_available():
        meta["cuda_device"] = torch.cuda.get_device_name(0)
        meta["cuda_version"] = torch.version.cuda
        records += run("cuda")
    sys.stdout.write('{"meta": ' + json.dumps(meta) + ',\n "records": [\n')
    sys.stdout.write(",\n".join("  " + json.dumps(r, separators=(",", ":"))
                                for r in records))
    sys.stdout.write("\n ]}\n")
    errors = [r["id"] + " (" + r["backend"] + "): " + r["error"]
              for r in records if "error" in r]
    print(f"{len(records)} records, {len(errors)} errors", file=sys.stderr)
    for e in errors:
        print("  " + e, file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
