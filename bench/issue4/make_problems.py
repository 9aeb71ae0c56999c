#!/usr/bin/env python3
"""Writes the issue-4 verifier benchmark problems (bench/issue4/<family>_<name>/).

Each problem: spec.json, a correct kernel and a wrong one (its bug named in a
comment), one manifest per kernel, candidates.json (format of
examples/README.md). Re-run to regenerate: python3 bench/issue4/make_problems.py
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CR = ["-cl-fp32-correctly-rounded-divide-sqrt"]
RED_TOL = {"atol": 1e-3, "rtol": 1e-4}
ACT_TOL = {"atol": 1e-5, "rtol": 1e-4}
PROBLEMS = []


def f32(*dims):
    return {"dtype": "float32", "shape": list(dims)}


def rng(lo, hi):
    return {"range": [lo, hi]}


def problem(name, spec, good, bad, bad_obligation="equivalence", extra=()):
    """good/bad: (source, args, global, local) or with a 5th item: extra manifest keys.
    extra: further candidates (cname, spec dict, candidate tuple, expect, obligation)."""
    PROBLEMS.append((name, spec, good, bad, bad_obligation, list(extra)))


def spec(title, inputs, ops, outputs, domain, shapes, tol=None):
    s = {"name": title, "inputs": inputs, "ops": ops, "outputs": outputs,
         "domain": domain, "shapes": shapes}
    if tol:
        s["tolerance"] = tol
    return s


def op(o, inputs, output, **attrs):
    d = {"op": o, "inputs": inputs, "output": output}
    if attrs:
        d["attrs"] = attrs
    return d


def write():
    for name, sp, good, bad, obl, extra in PROBLEMS:
        d = os.path.join(HERE, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "spec.json"), "w") as f:
            json.dump(sp, f, indent=1)
            f.write("\n")
        cands = []
        runs = [("correct", good, "proved", None, obl), ("wrong", bad, "refuted", None, obl)]
        for cname, esp, c, expect, eobl in extra:
            runs.append((cname, c, expect, esp, eobl))
        for cname, c, expect, own_spec, obl in runs:
            src, args, glob, local = c[:4]
            extra = c[4] if len(c) > 4 else {}
            with open(os.path.join(d, cname + ".cl"), "w") as f:
                f.write(src.strip() + "\n")
            m = {"source": cname + ".cl", "build_options": CR}
            m.update(extra)
            if "launches" not in m:  # a multi-launch problem gives its own
                m["launches"] = [{"kernel": "k", "args": args, "global": glob,
                                  "local": local}]
            with open(os.path.join(d, cname + ".json"), "w") as f:
                json.dump(m, f)
                f.write("\n")
            spec_file = "spec.json"
            if own_spec is not None:
                spec_file = "spec_" + cname + ".json"
                with open(os.path.join(d, spec_file), "w") as f:
                    json.dump(own_spec, f, indent=1)
                    f.write("\n")
            e = {"name": cname, "spec": spec_file, "manifest": cname + ".json",
                 "expect": expect}
            if expect == "refuted":
                e["obligation"] = obl
            cands.append(e)
        with open(os.path.join(d, "candidates.json"), "w") as f:
            json.dump({"problem": name, "candidates": cands}, f, indent=1)
            f.write("\n")


# ---------------------------------------------------------------- reductions
X_MN = {"x": f32("M", "N")}

problem("reduce_sum_dim0", spec(
    "sum over dim 0 of [M, N]", X_MN, [op("sum", ["x"], "y", dim=0)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 5, "N": 7}], RED_TOL),
    ("""
// One work-item per column, summing down the column from +0.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0);
  float acc = 0.0f;
  for (int i = 0; i < M; ++i)
    acc += x[i * N + j];
  y[j] = acc;
}""", ["x", "y", "M", "N"], ["N"], None),
    ("""
// BUG (wrong reduction dim): indexes x as if it were [N, M] (column stride
// M instead of N), so it sums a strided run of the flat array, not column j.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0);
  float acc = 0.0f;
  for (int i = 0; i < M; ++i)
    acc += x[j * M + i];
  y[j] = acc;
}""", ["x", "y", "M", "N"], ["N"], None))

problem("reduce_mean_dim1", spec(
    "mean over dim 1", X_MN, [op("mean", ["x"], "y", dim=1)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], RED_TOL),
    ("""
// One work-item per row: left-fold sum, then divide by N.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < N; ++j)
    acc += x[r * N + j];
  y[r] = acc / (float)N;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (off-by-one count): divides the sum by N - 1.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < N; ++j)
    acc += x[r * N + j];
  y[r] = acc / (float)(N - 1);
}""", ["x", "y", "N"], ["M"], None))

problem("reduce_max_dim1", spec(
    "max over dim 1 (bit-exact, every float32)", X_MN, [op("max", ["x"], "y", dim=1)], ["y"],
    {"x": "all"}, [{"M": 3, "N": 7}]),
    ("""
// PyTorch's rule without branches: a NaN sticks, ties keep the first element.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    best = (isnan(best) || v <= best) ? best : v;
  }
  y[r] = best;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG: fmax drops NaN (fmax(NaN, 1) = 1) and ignores which zero came first.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  for (int j = 1; j < N; ++j)
    best = fmax(best, x[r * N + j]);
  y[r] = best;
}""", ["x", "y", "N"], ["M"], None))

problem("reduce_min_dim1", spec(
    "min over dim 1 (bit-exact, finite inputs)", X_MN, [op("min", ["x"], "y", dim=1)], ["y"],
    {"x": "finite"}, [{"M": 3, "N": 7}]),
    ("""
// First minimal element wins (min([+0, -0]) = +0).
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    best = (isnan(best) || v >= best) ? best : v;
  }
  y[r] = best;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (tie rule): takes the later of equal elements, so min([+0, -0]) = -0
// where the spec keeps the first, +0.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    best = (v <= best) ? v : best;
  }
  y[r] = best;
}""", ["x", "y", "N"], ["M"], None))

problem("reduce_argmax_dim1", spec(
    "argmax over dim 1 (every float32)", X_MN, [op("argmax", ["x"], "y", dim=1)], ["y"],
    {"x": "all"}, [{"M": 3, "N": 7}]),
    ("""
// Index of the first NaN, else of the first maximal element.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && !(v <= best);
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (tie rule): >= takes the last of equal maxima instead of the first.
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && (isnan(v) || v >= best);
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}""", ["x", "y", "N"], ["M"], None))

problem("reduce_argmin_dim0", spec(
    "argmin over dim 0 (finite inputs)", X_MN, [op("argmin", ["x"], "y", dim=0)], ["y"],
    {"x": "finite"}, [{"M": 6, "N": 5}]),
    ("""
// One work-item per column; first minimal element wins.
__kernel void k(__global const float *x, __global long *y, int M, int N) {
  int j = get_global_id(0);
  float best = x[j];
  long idx = 0;
  for (int i = 1; i < M; ++i) {
    float v = x[i * N + j];
    int take = !(v >= best);
    best = take ? v : best;
    idx = take ? (long)i : idx;
  }
  y[j] = idx;
}""", ["x", "y", "M", "N"], ["N"], None),
    ("""
// BUG (off-by-one loop bound): the last row is never considered.
__kernel void k(__global const float *x, __global long *y, int M, int N) {
  int j = get_global_id(0);
  float best = x[j];
  long idx = 0;
  for (int i = 1; i < M - 1; ++i) {
    float v = x[i * N + j];
    int take = !(v >= best);
    best = take ? v : best;
    idx = take ? (long)i : idx;
  }
  y[j] = idx;
}""", ["x", "y", "M", "N"], ["N"], None))

problem("reduce_prod_dim1", spec(
    "prod over dim 1", X_MN, [op("prod", ["x"], "y", dim=1)], ["y"],
    {"x": rng(0.5, 2.0)}, [{"M": 3, "N": 6}], {"atol": 1e-5, "rtol": 1e-4}),
    ("""
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 1.0f;
  for (int j = 0; j < N; ++j)
    acc *= x[r * N + j];
  y[r] = acc;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (off-by-one start): the loop starts at 1 and skips the first factor.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 1.0f;
  for (int j = 1; j < N; ++j)
    acc *= x[r * N + j];
  y[r] = acc;
}""", ["x", "y", "N"], ["M"], None))

problem("reduce_sum_keepdim_4acc", spec(
    "sum over dim 1, keepdim", X_MN, [op("sum", ["x"], "y", dim=1, keepdim=True)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 37}], RED_TOL),
    ("""
// Four interleaved accumulators plus a scalar tail (N = 37 is not a
// multiple of 4): a reordered sum, within the tolerance.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int j = 0;
  for (; j + 3 < N; j += 4) {
    a0 += p[j]; a1 += p[j + 1]; a2 += p[j + 2]; a3 += p[j + 3];
  }
  for (; j < N; ++j)
    a0 += p[j];
  y[r] = (a0 + a1) + (a2 + a3);
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (precision loss beyond tolerance): each term is truncated to
// bfloat16 (8 mantissa bits) before it is added: errors up to 0.04 a term.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int j = 0;
  for (; j + 3 < N; j += 4) {
    a0 += as_float(as_uint(p[j]) & 0xffff0000u);
    a1 += as_float(as_uint(p[j + 1]) & 0xffff0000u);
    a2 += as_float(as_uint(p[j + 2]) & 0xffff0000u);
    a3 += as_float(as_uint(p[j + 3]) & 0xffff0000u);
  }
  for (; j < N; ++j)
    a0 += as_float(as_uint(p[j]) & 0xffff0000u);
  y[r] = (a0 + a1) + (a2 + a3);
}""", ["x", "y", "N"], ["M"], None))

# ------------------------------------------------------------------- cumsum
problem("cumsum_inclusive", spec(
    "cumsum over dim 1", X_MN, [op("cumsum", ["x"], "y", dim=1)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], RED_TOL),
    ("""
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < N; ++j) {
    acc += x[r * N + j];
    y[r * N + j] = acc;
  }
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (off by one: exclusive scan): writes the prefix before adding x[j].
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < N; ++j) {
    y[r * N + j] = acc;
    acc += x[r * N + j];
  }
}""", ["x", "y", "N"], ["M"], None))

problem("cumsum_reverse", spec(
    "reverse inclusive cumsum over dim 1", X_MN, [op("cumsum", ["x"], "y", dim=1, reverse=True)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], RED_TOL),
    ("""
// Suffix sums: from the last element down.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = N - 1; j >= 0; --j) {
    acc += x[r * N + j];
    y[r * N + j] = acc;
  }
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (wrong direction): a forward prefix sum where the spec asks reverse.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float acc = 0.0f;
  for (int j = 0; j < N; ++j) {
    acc += x[r * N + j];
    y[r * N + j] = acc;
  }
}""", ["x", "y", "N"], ["M"], None))

SCAN = """
// Exclusive scan: one work-group of 16 per row; the row shifted by one is
// scanned inclusively in __local memory (Hillis-Steele), %s
__kernel void k(__global const float *x, __global float *y, int N) {
  __local float buf[16];
  int r = get_group_id(0), l = get_local_id(0);
  buf[l] = (l > 0 && l - 1 < N) ? x[r * N + l - 1] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int off = 1; off < 16; off <<= 1) {
    float t = l >= off ? buf[l - off] : 0.0f;
%s    buf[l] += t;
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (l < N)
    y[r * N + l] = buf[l];
}"""
problem("cumsum_exclusive_local_scan", spec(
    "exclusive cumsum over dim 1", X_MN, [op("cumsum", ["x"], "y", dim=1, exclusive=True)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], RED_TOL),
    (SCAN % ("two barriers a step.", "    barrier(CLK_LOCAL_MEM_FENCE);\n"),
     ["x", "y", "N"], ["16*M"], [16]),
    (SCAN % ("BUG (missing barrier): no barrier between reading buf[l - off]\n// and writing buf[l], so a neighbour may already have added.", ""),
     ["x", "y", "N"], ["16*M"], [16]), "data-race")

# ---------------------------------------------------------- softmax family
SM_TOL = {"atol": 1e-5, "rtol": 1e-4}
problem("softmax_two_pass", spec(
    "softmax over dim 1, inputs up to 100", X_MN, [op("softmax", ["x"], "y", dim=1)], ["y"],
    {"x": rng(-100.0, 100.0)}, [{"M": 3, "N": 13}], SM_TOL),
    ("""
// Max-subtracted two-pass softmax (PyTorch's formula).
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float m = p[0];
  for (int j = 1; j < N; ++j)
    m = fmax(m, p[j]);
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += exp(p[j] - m);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = exp(p[j] - m) / s;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (softmax without max subtraction): exp(100) overflows float32, so a
// row holding 100 gives inf / inf = NaN.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += exp(p[j]);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = exp(p[j]) / s;
}""", ["x", "y", "N"], ["M"], None))

ONLINE = """
// Online softmax: one pass keeps a running max m and a running sum s of
// exp(x - m); %s
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float m = -INFINITY, s = 0.0f;
  for (int j = 0; j < N; ++j) {
    float mn = fmax(m, p[j]);
    s = %s + exp(p[j] - mn);
    m = mn;
  }
  for (int j = 0; j < N; ++j)
    y[r * N + j] = exp(p[j] - m) / s;
}"""
problem("softmax_online", spec(
    "softmax over dim 1", X_MN, [op("softmax", ["x"], "y", dim=1)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], SM_TOL),
    (ONLINE % ("s is rescaled by exp(m_old - m_new) whenever the max grows.", "s * exp(m - mn)"),
     ["x", "y", "N"], ["M"], None),
    (ONLINE % ("BUG (unscaled running sum): s is not rescaled when the\n// max grows.", "s"),
     ["x", "y", "N"], ["M"], None))

problem("softmax_log_softmax_dim1", spec(
    "log_softmax over dim 1, inputs up to 100", X_MN, [op("log_softmax", ["x"], "y", dim=1)], ["y"],
    {"x": rng(-100.0, 100.0)}, [{"M": 3, "N": 13}], SM_TOL),
    ("""
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float m = p[0];
  for (int j = 1; j < N; ++j)
    m = fmax(m, p[j]);
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += exp(p[j] - m);
  float ls = log(s);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = (p[j] - m) - ls;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG (no max subtraction): x - log(sum exp(x)); exp(100) overflows, so a
// row holding 100 gives -inf outputs.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += exp(p[j]);
  float ls = log(s);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = p[j] - ls;
}""", ["x", "y", "N"], ["M"], None))

SM0 = """
// One work-item per element (j, i) of a [M, N] input. %s
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  float m = -INFINITY, s = 0.0f;
  for (int t = 0; t < %s; ++t)
    m = fmax(m, x[%s]);
  for (int t = 0; t < %s; ++t)
    s += exp(x[%s] - m);
  y[i * N + j] = exp(x[i * N + j] - m) / s;
}"""
problem("softmax_dim0", spec(
    "softmax over dim 0", X_MN, [op("softmax", ["x"], "y", dim=0)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 5, "N": 4}], SM_TOL),
    (SM0 % ("Normalises down column j.", "M", "t * N + j", "M", "t * N + j"),
     ["x", "y", "M", "N"], ["N", "M"], None),
    (SM0 % ("BUG (wrong reduction dim): normalises along row i.", "N", "i * N + t", "N", "i * N + t"),
     ["x", "y", "M", "N"], ["N", "M"], None))

# the other families
exec(compile(open(os.path.join(HERE, "problems_more.py")).read(), "problems_more.py", "exec"))

write()
