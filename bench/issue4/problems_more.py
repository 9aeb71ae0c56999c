# Norms, batch_norm, matmul, conv, pooling, activations, losses, elementwise
# (read by make_problems.py, which defines problem(), spec(), op(), ...).

NORM_TOL = {"atol": 1e-3, "rtol": 1e-3}
LN = """
// One work-item per row. %s
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += p[j];
  float mean = s / (float)N;
  float q = 0.0f;
  for (int j = 0; j < N; ++j)
    q += (p[j] - mean) * (p[j] - mean);
  float var = q / (float)%s;
  float rstd = 1.0f / sqrt(var + 1e-5f);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = (p[j] - mean) * rstd;
}"""
problem("norm_layer_norm_two_pass", spec(
    "layer_norm over the last dim, no affine", X_MN,
    [op("layer_norm", ["x"], "y", normalized_ndim=1, eps=1e-5)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], NORM_TOL),
    (LN % ("Two passes: mean, then biased variance.", "N"), ["x", "y", "N"], ["M"], None),
    (LN % ("BUG: unbiased variance (divides by N - 1).", "(N - 1)"), ["x", "y", "N"], ["M"], None))

WF = """
// Welford's one-pass mean and variance, then the affine transform. %s
__kernel void k(__global const float *x, __global const float *w,
                __global const float *b, __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float mean = 0.0f, m2 = 0.0f;
  for (int j = 0; j < N; ++j) {
    float d = p[j] - mean;
    mean += d / (float)(j + 1);
    m2 += d * (p[j] - mean);
  }
  float rstd = 1.0f / sqrt(m2 / (float)N%s);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = (p[j] - mean) * rstd * w[j] + b[j];
}"""
# Welford's running mean differs from the reference's sum / N by a few ulps;
# with eps = 1e-5 a near-constant row has rstd ~ 316 and that difference
# exceeds atol 1e-3 (the verifier's hunt found it, PoCL reproduced it:
# 2.4e-3). So Welford is correct only where eps keeps rstd small: the
# problem uses eps = 1 and keeps the small-eps configuration as a third
# candidate, expected refuted (precision loss beyond the tolerance).
LN_IN = {"x": f32("M", "N"), "w": f32("N"), "b": f32("N")}
LN_SMALL_EPS = spec(
    "layer_norm with weight and bias, eps 1e-5", LN_IN,
    [op("layer_norm", ["x", "w", "b"], "y", normalized_ndim=1, eps=1e-5)], ["y"],
    {"x": rng(-10.0, 10.0), "w": rng(-2.0, 2.0), "b": rng(-1.0, 1.0)},
    [{"M": 3, "N": 13}], NORM_TOL)
problem("norm_layer_norm_welford", spec(
    "layer_norm with weight and bias, eps 1", LN_IN,
    [op("layer_norm", ["x", "w", "b"], "y", normalized_ndim=1, eps=1.0)], ["y"],
    {"x": rng(-0.5, 0.5), "w": rng(-2.0, 2.0), "b": rng(-1.0, 1.0)},
    [{"M": 3, "N": 13}], NORM_TOL),
    (WF % ("", " + 1.0f"), ["x", "w", "b", "y", "N"], ["M"], None),
    (WF % ("BUG: eps omitted: a constant row gives\n// 0 * (1 / sqrt(0)) = NaN where the spec gives b.", ""),
     ["x", "w", "b", "y", "N"], ["M"], None),
    extra=[("welford_small_eps", LN_SMALL_EPS,
            (WF % ("At eps 1e-5: BUG (precision loss beyond the tolerance): the\n"
                   "// running mean differs from sum / N by ulps, amplified by rstd ~ 316.",
                   " + 1e-5f"), ["x", "w", "b", "y", "N"], ["M"], None),
            "refuted", "equivalence")])

RMS = """
// %s
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int N) {
  int r = get_global_id(0);
  __global const float *p = x + r * N;
  float s = 0.0f;
  for (int j = 0; j < N; ++j)
    s += p[j] * p[j];
  float rr = 1.0f / sqrt(s%s + 1.1920929e-7f);
  for (int j = 0; j < N; ++j)
    y[r * N + j] = p[j] * rr * w[j];
}"""
problem("norm_rms_norm", spec(
    "rms_norm with weight", {"x": f32("M", "N"), "w": f32("N")},
    [op("rms_norm", ["x", "w"], "y", normalized_ndim=1)], ["y"],
    {"x": rng(-10.0, 10.0), "w": rng(-2.0, 2.0)}, [{"M": 3, "N": 13}], NORM_TOL),
    (RMS % ("x * rsqrt(mean(x^2) + eps) * w", " / (float)N"), ["x", "w", "y", "N"], ["M"], None),
    (RMS % ("BUG: sum of squares not divided by N (no mean).", ""), ["x", "w", "y", "N"], ["M"], None))

NRM = """
// %s
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float s = 0.0f;
  for (int j = 0; j < N; ++j) {
    float v = x[r * N + j];
    s += %s;
  }
  y[r] = %s;
}"""
problem("norm_l2_dim1", spec(
    "L2 norm over dim 1", X_MN, [op("norm", ["x"], "y", dim=1, p=2)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], NORM_TOL),
    (NRM % ("sqrt of the sum of squares", "v * v", "sqrt(s)"), ["x", "y", "N"], ["M"], None),
    (NRM % ("BUG: computes the L1 norm (sum of |x|) instead of L2.", "fabs(v)", "s"), ["x", "y", "N"], ["M"], None))

problem("norm_l1_dim1", spec(
    "L1 norm over dim 1", X_MN, [op("norm", ["x"], "y", dim=1, p=1)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 3, "N": 13}], NORM_TOL),
    (NRM % ("sum of |x|", "fabs(v)", "s"), ["x", "y", "N"], ["M"], None),
    (NRM % ("BUG: forgets the absolute value (sums x).", "v", "s"), ["x", "y", "N"], ["M"], None))

problem("norm_inf_dim1", spec(
    "inf norm over dim 1 (bit-exact, every float32)", X_MN, [op("norm", ["x"], "y", dim=1, p="inf")], ["y"],
    {"x": "all"}, [{"M": 3, "N": 7}]),
    ("""
// max |x|, NaN propagating.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float m = fabs(x[r * N]);
  for (int j = 1; j < N; ++j) {
    float a = fabs(x[r * N + j]);
    m = (isnan(m) || a <= m) ? m : a;
  }
  y[r] = m;
}""", ["x", "y", "N"], ["M"], None),
    ("""
// BUG: fmax drops a NaN (fmax(NaN, 2) = 2); the spec propagates it.
__kernel void k(__global const float *x, __global float *y, int N) {
  int r = get_global_id(0);
  float m = fabs(x[r * N]);
  for (int j = 1; j < N; ++j)
    m = fmax(m, fabs(x[r * N + j]));
  y[r] = m;
}""", ["x", "y", "N"], ["M"], None))

FRO = """
// One work-item for the whole tensor. %s
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  float s = 0.0f;
  for (int i = 0; i < %s; ++i)
    for (int j = 0; j < N; ++j)
      s += x[i * N + j] * x[i * N + j];
  y[0] = sqrt(s);
}"""
problem("norm_frobenius", spec(
    "Frobenius norm, keepdim", X_MN, [op("norm", ["x"], "y", dim=[0, 1], p="fro", keepdim=True)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"M": 4, "N": 5}], NORM_TOL),
    (FRO % ("", "M"), ["x", "y", "M", "N"], [1], None),
    (FRO % ("BUG (tile edge): skips the last row.", "M - 1"), ["x", "y", "M", "N"], [1], None))

BN = """
// Inference batch norm, one work-item per element of [N, C, L]. %s
__kernel void k(__global const float *x, __global const float *rm,
                __global const float *rv, __global const float *w,
                __global const float *b, __global float *y, int C, int L) {
  int i = get_global_id(0);
  int c = %s;
  float invstd = 1.0f / sqrt(rv[c] + 1e-5f);
  float alpha = invstd * w[c];
  float beta = b[c] - rm[c] * alpha;
  y[i] = x[i] * alpha + beta;
}"""
problem("norm_batch_norm", spec(
    "batch_norm inference", {"x": f32("N", "C", "L"), "rm": f32("C"), "rv": f32("C"),
                             "w": f32("C"), "b": f32("C")},
    [op("batch_norm", ["x", "rm", "rv", "w", "b"], "y", eps=1e-5)], ["y"],
    {"x": rng(-10.0, 10.0), "rm": rng(-1.0, 1.0), "rv": rng(0.1, 2.0),
     "w": rng(-2.0, 2.0), "b": rng(-1.0, 1.0)}, [{"N": 2, "C": 3, "L": 5}],
    {"atol": 1e-4, "rtol": 1e-4}),
    (BN % ("", "(i / L) % C"), ["x", "rm", "rv", "w", "b", "y", "C", "L"], ["N*C*L"], None),
    (BN % ("BUG: wrong channel index (i % C, the\n// innermost index, instead of (i / L) % C).", "i % C"),
     ["x", "rm", "rv", "w", "b", "y", "C", "L"], ["N*C*L"], None))

# ------------------------------------------------------------------ matmul
MM_TOL = {"atol": 1e-4, "rtol": 1e-4}
BMM = """
// Batched matmul, one work-item per output (j, i, batch). %s
__kernel void k(__global const float *A, __global const float *W,
                __global float *C, int M, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1), b = get_global_id(2);
  float acc = 0.0f;
  for (int p = 0; p < K; ++p)
    acc += A[(b * M + i) * K + p] * W[%s + p * N + j];
  C[(b * M + i) * N + j] = acc;
}"""
problem("matmul_batched", spec(
    "batched matmul [P, M, K] @ [P, K, N]", {"A": f32("P", "M", "K"), "W": f32("P", "K", "N")},
    [op("matmul", ["A", "W"], "C")], ["C"], {"A": rng(-1.0, 1.0), "W": rng(-1.0, 1.0)},
    [{"P": 2, "M": 3, "K": 4, "N": 5}], MM_TOL),
    (BMM % ("", "b * K * N"), ["A", "W", "C", "M", "K", "N"], ["N", "M", "P"], None),
    (BMM % ("BUG: every batch reads W's batch 0 (batch stride of W omitted).", "0"),
     ["A", "W", "C", "M", "K", "N"], ["N", "M", "P"], None))

MV = """
// Matrix-vector product, one work-item per row. %s
__kernel void k(__global const float *A, __global const float *v,
                __global float *y, int K) {
  int i = get_global_id(0);
  float acc = 0.0f;
  for (int p = 0; p < %s; ++p)
    acc += A[i * K + p] * v[p];
  y[i] = acc;
}"""
problem("matmul_matvec", spec(
    "matrix-vector [M, K] @ [K]", {"A": f32("M", "K"), "v": f32("K")},
    [op("matmul", ["A", "v"], "y")], ["y"], {"A": rng(-1.0, 1.0), "v": rng(-1.0, 1.0)},
    [{"M": 5, "K": 7}], MM_TOL),
    (MV % ("", "K"), ["A", "v", "y", "K"], ["M"], None),
    (MV % ("BUG (off-by-one): drops the last term.", "K - 1"), ["A", "v", "y", "K"], ["M"], None))

MT = """
// C = A @ W^T with W stored [N, K]. %s
__kernel void k(__global const float *A, __global const float *W,
                __global float *C, int K, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  float acc = 0.0f;
  for (int p = 0; p < K; ++p)
    acc += A[i * K + p] * W[%s];
  C[i * N + j] = acc;
}"""
problem("matmul_transposed_operand", spec(
    "A @ transpose(W)", {"A": f32("M", "K"), "W": f32("N", "K")},
    [op("transpose", ["W"], "Wt", dim0=0, dim1=1), op("matmul", ["A", "Wt"], "C")], ["C"],
    {"A": rng(-1.0, 1.0), "W": rng(-1.0, 1.0)}, [{"M": 4, "K": 6, "N": 5}], MM_TOL),
    (MT % ("", "j * K + p"), ["A", "W", "C", "K", "N"], ["N", "M"], None),
    (MT % ("BUG: reads W as if it were already [K, N] (transpose forgotten).", "p * N + j"),
     ["A", "W", "C", "K", "N"], ["N", "M"], None))

TILED = """
// 4x4 tiles of A and B staged through __local memory, zero-padded edges. %s
#define T 4
__kernel void k(__global const float *A, __global const float *B,
                __global float *C, int M, int K, int N) {
  __local float As[T][T], Bs[T][T];
  int tx = get_local_id(0), ty = get_local_id(1);
  int j = get_global_id(0), i = get_global_id(1);
  float acc = 0.0f;
  for (int k0 = 0; k0 < K; k0 += T) {
    As[ty][tx] = (i < M && k0 + tx < K) ? A[i * K + k0 + tx] : 0.0f;
    Bs[ty][tx] = (k0 + ty < K && j < N) ? B[(k0 + ty) * N + j] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < T; ++k)
      acc += As[ty][k] * Bs[k][tx];
%s  }
  if (i < M && j < N)
    C[i * N + j] = acc;
}"""
problem("matmul_tiled_local", spec(
    "matmul [M, K] @ [K, N]", {"A": f32("M", "K"), "B": f32("K", "N")},
    [op("matmul", ["A", "B"], "C")], ["C"], {"A": rng(-1.0, 1.0), "B": rng(-1.0, 1.0)},
    [{"M": 5, "K": 7, "N": 6}], MM_TOL),
    (TILED % ("", "    barrier(CLK_LOCAL_MEM_FENCE);\n"), ["A", "B", "C", "M", "K", "N"],
     ["roundup(N, 4)", "roundup(M, 4)"], [4, 4]),
    (TILED % ("\n// BUG (missing barrier): no barrier after the inner product, so the next\n// tile overwrites As/Bs while neighbours still read them.", ""),
     ["A", "B", "C", "M", "K", "N"], ["roundup(N, 4)", "roundup(M, 4)"], [4, 4]), "data-race")

VM = """
// Vector-matrix v @ A, four partial sums per output column. %s
__kernel void k(__global const float *v, __global const float *A,
                __global float *y, int K, int N) {
  int j = get_global_id(0);
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
  int p = 0;
  for (; p + 3 < K; p += 4) {
    a0 += v[p] * A[p * N + j];
    a1 += v[p + 1] * A[(p + 1) * N + j];
    a2 += v[p + 2] * A[(p + 2) * N + j];
    a3 += v[p + 3] * A[(p + 3) * N + j];
  }
%s  y[j] = (a0 + a1) + (a2 + a3);
}"""
problem("matmul_vecmat_unrolled", spec(
    "vector-matrix [K] @ [K, N]", {"v": f32("K"), "A": f32("K", "N")},
    [op("matmul", ["v", "A"], "y")], ["y"], {"v": rng(-1.0, 1.0), "A": rng(-1.0, 1.0)},
    [{"K": 13, "N": 5}], MM_TOL),
    (VM % ("", "  for (; p < K; ++p)\n    a0 += v[p] * A[p * N + j];\n"), ["v", "A", "y", "K", "N"], ["N"], None),
    (VM % ("BUG (tile edge): the K % 4 tail is dropped (K = 13).", ""), ["v", "A", "y", "K", "N"], ["N"], None))

# -------------------------------------------------------------- convolution
CV_TOL = {"atol": 1e-4, "rtol": 1e-4}
C1 = """
// conv1d, padding 1, with bias; one work-item per output (o, co). %s
__kernel void k(__global const float *x, __global const float *w,
                __global const float *b, __global float *y, int C, int L) {
  int o = get_global_id(0), co = get_global_id(1);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    for (int t = 0; t < 3; ++t) {
      int p = o + t - %s;
      float xv = (p >= 0 && p < L) ? x[ci * L + p] : 0.0f;
      acc += xv * w[(co * C + ci) * 3 + t];
    }
  y[co * L + o] = acc + b[co];
}"""
problem("conv_conv1d_padded", spec(
    "conv1d, kernel 3, padding 1, bias", {"x": f32(1, "C", "L"), "w": f32("O", "C", 3), "b": f32("O")},
    [op("conv1d", ["x", "w", "b"], "y", padding=1)], ["y"],
    {"x": rng(-1.0, 1.0), "w": rng(-1.0, 1.0), "b": rng(-1.0, 1.0)},
    [{"C": 2, "L": 12, "O": 3}], CV_TOL),
    (C1 % ("", "1"), ["x", "w", "b", "y", "C", "L"], ["L", "O"], None),
    (C1 % ("BUG (off-by-one window): padding offset 2 instead of 1.", "2"),
     ["x", "w", "b", "y", "C", "L"], ["L", "O"], None))

C2 = """
// conv2d (cross-correlation), no padding; one work-item per output. %s
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int C, int H, int W, int OH, int OW) {
  int ox = get_global_id(0), oy = get_global_id(1), co = get_global_id(2);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    for (int ky = 0; ky < 3; ++ky)
      for (int kx = 0; kx < 3; ++kx)
        acc += x[(ci * H + oy + ky) * W + ox + kx] * w[((co * C + ci) * 3 + %s) * 3 + %s];
  y[(co * OH + oy) * OW + ox] = acc;
}"""
problem("conv_conv2d", spec(
    "conv2d 3x3", {"x": f32(1, "C", "H", "W"), "w": f32("O", "C", 3, 3)},
    [op("conv2d", ["x", "w"], "y")], ["y"], {"x": rng(-1.0, 1.0), "w": rng(-1.0, 1.0)},
    [{"C": 2, "H": 6, "W": 6, "O": 3}], CV_TOL),
    (C2 % ("", "ky", "kx"), ["x", "w", "y", "C", "H", "W", "H-2", "W-2"], ["W-2", "H-2", "O"], None),
    (C2 % ("BUG: flipped kernel (a true convolution, not PyTorch's\n// cross-correlation).", "(2 - ky)", "(2 - kx)"),
     ["x", "w", "y", "C", "H", "W", "H-2", "W-2"], ["W-2", "H-2", "O"], None))

DW = """
// Depthwise conv2d 3x3, padding 1 (groups = C). %s
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int H, int W) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  float acc = 0.0f;
  for (int ky = 0; ky < 3; ++ky)
    for (int kx = 0; kx < 3; ++kx) {
      int iy = oy + ky - 1, ix = ox + kx - 1;
      float xv = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? x[(c * H + iy) * W + ix] : 0.0f;
      acc += xv * w[%s + ky * 3 + kx];
    }
  y[(c * H + oy) * W + ox] = acc;
}"""
problem("conv_depthwise2d", spec(
    "depthwise conv2d 3x3, padding 1", {"x": f32(1, "C", "H", "W"), "w": f32("C", 1, 3, 3)},
    [op("conv2d", ["x", "w"], "y", padding=1, groups=3)], ["y"],
    {"x": rng(-1.0, 1.0), "w": rng(-1.0, 1.0)}, [{"C": 3, "H": 6, "W": 5}], CV_TOL),
    (DW % ("", "c * 9"), ["x", "w", "y", "H", "W"], ["W", "H", "C"], None),
    (DW % ("BUG: groups ignored in the weight index: every channel uses\n// channel 0's filter.", "0"),
     ["x", "w", "y", "H", "W"], ["W", "H", "C"], None))

PW = """
// Pointwise (1x1) conv2d: a channel mix per pixel. %s
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int C, int HW) {
  int pix = get_global_id(0), co = get_global_id(1);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    acc += x[ci * %s + pix] * w[co * C + ci];
  y[co * HW + pix] = acc;
}"""
problem("conv_pointwise2d", spec(
    "pointwise conv2d 1x1", {"x": f32(1, "C", "H", "W"), "w": f32("O", "C", 1, 1)},
    [op("conv2d", ["x", "w"], "y")], ["y"], {"x": rng(-1.0, 1.0), "w": rng(-1.0, 1.0)},
    [{"C": 4, "H": 5, "W": 6, "O": 3}], CV_TOL),
    (PW % ("", "HW"), ["x", "w", "y", "C", "H*W"], ["H*W", "O"], None),
    (PW % ("BUG: channel stride W (a row) instead of H*W (a plane).", "6"),
     ["x", "w", "y", "C", "H*W"], ["H*W", "O"], None))

CD = """
// conv1d, stride 2, dilation 2, no padding. %s
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int C, int L, int OL) {
  int o = get_global_id(0), co = get_global_id(1);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    for (int t = 0; t < 3; ++t)
      acc += x[ci * L + o * 2 + t * %s] * w[(co * C + ci) * 3 + t];
  y[co * OL + o] = acc;
}"""
problem("conv_conv1d_strided_dilated", spec(
    "conv1d stride 2 dilation 2", {"x": f32(1, "C", "L"), "w": f32("O", "C", 3)},
    [op("conv1d", ["x", "w"], "y", stride=2, dilation=2)], ["y"],
    {"x": rng(-1.0, 1.0), "w": rng(-1.0, 1.0)}, [{"C": 2, "L": 15, "O": 2}], CV_TOL),
    (CD % ("", "2"), ["x", "w", "y", "C", "L", "(L-5)/2+1"], ["(L-5)/2+1", "O"], None),
    (CD % ("BUG: dilation ignored (taps adjacent).", "1"), ["x", "w", "y", "C", "L", "(L-5)/2+1"],
     ["(L-5)/2+1", "O"], None))

# ----------------------------------------------------------------- pooling
MP1 = """
// max_pool1d kernel 3 stride 2: first tap, then v > m || isnan(v). %s
__kernel void k(__global const float *x, __global float *y, int L, int OL) {
  int o = get_global_id(0), r = get_global_id(1);
  __global const float *p = x + r * L + o * 2;
  float m = p[0];
  for (int t = 1; t < %s; ++t) {
    float v = p[t];
    m = (v > m || isnan(v)) ? v : m;
  }
  y[r * OL + o] = m;
}"""
problem("pool_max_pool1d", spec(
    "max_pool1d k3 s2 (bit-exact, every float32)", {"x": f32("N", "C", "L")},
    [op("max_pool1d", ["x"], "y", kernel_size=3, stride=2)], ["y"], {"x": "all"},
    [{"N": 2, "C": 3, "L": 11}]),
    (MP1 % ("", "3"), ["x", "y", "L", "(L-3)/2+1"], ["(L-3)/2+1", "N*C"], None),
    (MP1 % ("BUG (off-by-one window): only 2 taps.", "2"), ["x", "y", "L", "(L-3)/2+1"],
     ["(L-3)/2+1", "N*C"], None))

MP2 = """
// max_pool2d 2x2 stride 2, taps row-major. %s
__kernel void k(__global const float *x, __global float *y, int H, int W, int OH, int OW) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  __global const float *p = x + (c * H + oy * 2) * W + ox * 2;
  float m = p[0];
  float v;
  %s
  y[(c * OH + oy) * OW + ox] = m;
}"""
GOOD_MP2 = "\n  ".join("v = p[%s]; m = (v > m || isnan(v)) ? v : m;" % t for t in ("1", "W", "W + 1"))
BAD_MP2 = "\n  ".join("m = fmax(m, p[%s]);" % t for t in ("1", "W", "W + 1"))
problem("pool_max_pool2d", spec(
    "max_pool2d 2x2 (bit-exact, every float32)", {"x": f32(1, "C", "H", "W")},
    [op("max_pool2d", ["x"], "y", kernel_size=2)], ["y"], {"x": "all"},
    [{"C": 2, "H": 6, "W": 7}]),
    (MP2 % ("", GOOD_MP2), ["x", "y", "H", "W", "H/2", "W/2"], ["W/2", "H/2", "C"], None),
    (MP2 % ("BUG: fmax drops NaN and breaks the first-max tie rule.", BAD_MP2),
     ["x", "y", "H", "W", "H/2", "W/2"], ["W/2", "H/2", "C"], None))

AP2 = """
// avg_pool2d 3x3 stride 1 padding 1, count_include_pad: divide by 9. %s
__kernel void k(__global const float *x, __global float *y, int H, int W) {
  int ox = get_global_id(0), oy = get_global_id(1), c = get_global_id(2);
  float acc = 0.0f;
  int cnt = 0;
  for (int ky = 0; ky < 3; ++ky)
    for (int kx = 0; kx < 3; ++kx) {
      int iy = oy + ky - 1, ix = ox + kx - 1;
      if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
        acc += x[(c * H + iy) * W + ix];
        cnt++;
      }
    }
  y[(c * H + oy) * W + ox] = acc / %s;
}"""
problem("pool_avg_pool2d", spec(
    "avg_pool2d 3x3 s1 p1", {"x": f32(1, "C", "H", "W")},
    [op("avg_pool2d", ["x"], "y", kernel_size=3, stride=1, padding=1)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"C": 2, "H": 5, "W": 6}], RED_TOL),
    (AP2 % ("", "9.0f"), ["x", "y", "H", "W"], ["W", "H", "C"], None),
    (AP2 % ("BUG: divides by the valid taps (count_include_pad=False).", "(float)cnt"),
     ["x", "y", "H", "W"], ["W", "H", "C"], None))

AP1 = """
// avg_pool1d kernel 4 stride 2. %s
__kernel void k(__global const float *x, __global float *y, int L, int OL) {
  int o = get_global_id(0), r = get_global_id(1);
  float acc = 0.0f;
  for (int t = 0; t < 4; ++t)
    acc += x[r * L + o * 2 + t + %s];
  y[r * OL + o] = acc / 4.0f;
}"""
problem("pool_avg_pool1d", spec(
    "avg_pool1d k4 s2", {"x": f32(1, "C", "L")},
    [op("avg_pool1d", ["x"], "y", kernel_size=4, stride=2)], ["y"],
    {"x": rng(-10.0, 10.0)}, [{"C": 2, "L": 13}], RED_TOL),
    (AP1 % ("", "0"), ["x", "y", "L", "(L-4)/2+1"], ["(L-4)/2+1", "C"], None),
    (AP1 % ("BUG (off-by-one window): starts one element late.", "1"),
     ["x", "y", "L", "(L-4)/2+1"], ["(L-4)/2+1", "C"], None))

# ------------------------------------------------------------- activations
X_N = {"x": f32("N")}
ACT_SHAPES = [{"N": 19}]


def act(name, opname, attrs, dom, good_expr, bad_expr, bug, tol=ACT_TOL):
    body = """
// %s
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = %s;
}"""
    problem("act_" + name, spec(opname + " elementwise", X_N, [op(opname, ["x"], "y", **attrs)], ["y"],
                                {"x": dom}, ACT_SHAPES, tol),
            (body % (opname, good_expr), ["x", "y"], ["N"], None),
            (body % ("BUG: " + bug, bad_expr), ["x", "y"], ["N"], None))


act("sigmoid", "sigmoid", {}, rng(-10.0, 10.0), "1.0f / (1.0f + exp(-v))",
    "1.0f / (1.0f + exp(v))", "exp(x) for exp(-x): sigmoid(-x).")
act("tanh", "tanh", {}, rng(-50.0, 50.0), "tanh(v)",
    "(exp(2.0f * v) - 1.0f) / (exp(2.0f * v) + 1.0f)",
    "tanh via exp(2x): overflows to inf / inf = NaN for x = 50.")
act("exp", "exp", {}, rng(-10.0, 10.0), "exp(v)",
    "1.0f + v + v * v * 0.5f + v * v * v * (1.0f / 6.0f)",
    "a cubic Taylor polynomial (precision loss beyond tolerance).")
act("log", "log", {}, rng(0.01, 100.0), "log(v)", "log(v + 1e-3f)",
    "an epsilon guard log(x + 1e-3) (error 0.095 at x = 0.01).")
act("softplus", "softplus", {}, rng(-100.0, 100.0), "v > 20.0f ? v : log1p(exp(v))",
    "log1p(exp(v))", "no threshold: exp(100) overflows, softplus(100) = inf.")
act("elu", "elu", {"alpha": 0.5}, rng(-10.0, 10.0), "v < 0.0f ? expm1(v) * 0.5f : v",
    "v < 0.0f ? expm1(v) : v", "alpha (0.5) not applied.")
act("selu", "selu", {}, rng(-10.0, 10.0),
    "v < 0.0f ? expm1(v) * (1.6732632f * 1.0507010f) : v * 1.0507010f",
    "v < 0.0f ? expm1(v) * 1.6732632f : v * 1.0507010f", "negative branch misses the scale.")
act("gelu_erf", "gelu", {}, rng(-10.0, 10.0), "v * 0.5f * (1.0f + erf(v * 0.70710678f))",
    "0.5f * v * (1.0f + tanh(0.7978846f * (v + 0.044715f * (v * v * v))))",
    "the tanh approximation for exact gelu (off by up to 5e-4).")
act("gelu_tanh", "gelu", {"approximate": "tanh"}, rng(-10.0, 10.0),
    "0.5f * v * (1.0f + tanh(0.7978846f * (v + 0.044715f * (v * v * v))))",
    "v / (1.0f + exp(-1.702f * v))", "the sigmoid approximation x*sigmoid(1.702x).")
act("silu", "silu", {}, rng(-100.0, 100.0), "v / (1.0f + exp(-v))",
    "v * exp(v) / (1.0f + exp(v))", "x*e^x/(1+e^x): inf / inf = NaN for x = 100.")
act("mish", "mish", {}, rng(-10.0, 10.0), "v * tanh(log1p(exp(v)))",
    "v * tanh(exp(v))", "log1p forgotten: x * tanh(exp(x)).")
act("softsign", "softsign", {}, "all", "v / (fabs(v) + 1.0f)",
    "v * (1.0f / (fabs(v) + 1.0f))", "reciprocal then multiply: two roundings, not bit-exact.",
    None)

# ------------------------------------------------------------------ losses
LOSS_TOL = {"atol": 1e-3, "rtol": 1e-4}
MSE = """
// One work-item: left-fold sum of squared differences. %s
__kernel void k(__global const float *x, __global const float *t,
                __global float *y, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) {
    float d = x[i] - t[i];
    s += d * d;
  }
  y[0] = s%s;
}"""
problem("loss_mse_mean", spec(
    "mse_loss, mean", {"x": f32("M", "N"), "t": f32("M", "N")},
    [op("mse_loss", ["x", "t"], "y", reduction="mean")], ["y"],
    {"x": rng(-10.0, 10.0), "t": rng(-10.0, 10.0)}, [{"M": 4, "N": 5}], LOSS_TOL),
    (MSE % ("", " / (float)n"), ["x", "t", "y", "M*N"], [1], None),
    (MSE % ("BUG: the mean is missing (returns the sum).", ""), ["x", "t", "y", "M*N"], [1], None))

HUB = """
// huber_loss delta 2, reduction none, bit-exact. %s
__kernel void k(__global const float *x, __global const float *t, __global float *y) {
  int i = get_global_id(0);
  float z = fabs(x[i] - t[i]);
  y[i] = z < 2.0f ? 0.5f * z * z : %s;
}"""
problem("loss_huber_none", spec(
    "huber_loss delta 2, none (bit-exact, every float32)", {"x": f32("M", "N"), "t": f32("M", "N")},
    [op("huber_loss", ["x", "t"], "y", delta=2.0, reduction="none")], ["y"],
    {"x": "all", "t": "all"}, [{"M": 4, "N": 5}]),
    (HUB % ("", "2.0f * (z - 1.0f)"), ["x", "t", "y"], ["M*N"], None, {"fp_contract": False}),
    (HUB % ("BUG: delta * z - 0.5 * delta (delta^2 halved missing).", "2.0f * z - 1.0f"),
     ["x", "t", "y"], ["M*N"], None, {"fp_contract": False}))

HIN = """
// hinge loss mean: max(0, 1 - y * x). %s
__kernel void k(__global const float *x, __global const float *t,
                __global float *y, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) {
    float h = 1.0f - t[i] * x[i];
    s += %s;
  }
  y[0] = s / (float)n;
}"""
problem("loss_hinge_mean", spec(
    "hinge_loss, mean", {"x": f32("N"), "t": f32("N")},
    [op("hinge_loss", ["x", "t"], "y", reduction="mean")], ["y"],
    {"x": rng(-10.0, 10.0), "t": rng(-1.0, 1.0)}, [{"N": 17}], LOSS_TOL),
    (HIN % ("", "h < 0.0f ? 0.0f : h"), ["x", "t", "y", "N"], [1], None),
    (HIN % ("BUG: the clamp at 0 is missing.", "h"), ["x", "t", "y", "N"], [1], None))

CE = """
// cross_entropy with class indices, mean over rows (max-subtracted
// log-sum-exp). %s
__kernel void k(__global const float *x, __global const long *t,
                __global float *y, int N, int C) {
  float tot = 0.0f;
  for (int r = 0; r < N; ++r) {
    __global const float *p = x + r * C;
    float m = p[0];
    for (int j = 1; j < C; ++j)
      m = fmax(m, p[j]);
    float s = 0.0f;
    for (int j = 0; j < C; ++j)
      s += exp(p[j] - m);
    tot += -((%s - m) - log(s));
  }
  y[0] = tot / (float)N;
}"""
problem("loss_cross_entropy", spec(
    "cross_entropy, class indices, mean", {"x": f32("N", "C"), "t": {"dtype": "int64", "shape": ["N"]}},
    [op("cross_entropy", ["x", "t"], "y")], ["y"],
    {"x": rng(-10.0, 10.0), "t": {"range": [0, 6]}}, [{"N": 4, "C": 7}], LOSS_TOL),
    (CE % ("", "p[t[r]]"), ["x", "t", "y", "N", "C"], [1], None),
    (CE % ("BUG: the target logit is read from row 0 for every row.", "x[t[r]]"),
     ["x", "t", "y", "N", "C"], [1], None))

# ------------------------------------------------------------- elementwise
problem("elem_add_broadcast", spec(
    "x + bias (broadcast over rows, bit-exact)", {"x": f32("M", "N"), "b": f32("N")},
    [op("add", ["x", "b"], "y")], ["y"], {"x": "all", "b": "all"}, [{"M": 4, "N": 6}]),
    ("""
__kernel void k(__global const float *x, __global const float *b,
                __global float *y, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  y[i * N + j] = x[i * N + j] + b[j];
}""", ["x", "b", "y", "N"], ["N", "M"], None),
    ("""
// BUG: broadcasts along the wrong dim (bias indexed by the row).
__kernel void k(__global const float *x, __global const float *b,
                __global float *y, int N) {
  int j = get_global_id(0), i = get_global_id(1);
  y[i * N + j] = x[i * N + j] + b[i];
}""", ["x", "b", "y", "N"], ["N", "M"], None))

problem("elem_clamp", spec(
    "clamp(x, -1, 2) (bit-exact, every float32)", X_N, [op("clamp", ["x"], "y", min=-1.0, max=2.0)],
    ["y"], {"x": "all"}, [{"N": 19}]),
    ("""
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  v = v < -1.0f ? -1.0f : v;
  y[i] = 2.0f < v ? 2.0f : v;
}""", ["x", "y"], ["N"], None),
    ("""
// BUG: fmin/fmax turn NaN into a bound (fmax(NaN, -1) = -1).
__kernel void k(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  y[i] = fmin(fmax(x[i], -1.0f), 2.0f);
}""", ["x", "y"], ["N"], None))

TR = """
// Transpose through a 4x4 __local tile. %s
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  __local float tile[4][4];
  int tx = get_local_id(0), ty = get_local_id(1);
  int bx = get_group_id(0) * 4, by = get_group_id(1) * 4;
  if (by + ty < M && bx + tx < N)
    tile[ty][tx] = x[(by + ty) * N + bx + tx];
  barrier(CLK_LOCAL_MEM_FENCE);
  int oi = bx + ty, oj = by + tx;   // y is [N, M]
  if (oi < N && oj < %s)
    y[oi * M + oj] = tile[tx][ty];
}"""
problem("elem_transpose_tiled", spec(
    "transpose [M, N] -> [N, M] (bit-exact)", X_MN, [op("transpose", ["x"], "y", dim0=0, dim1=1)], ["y"],
    {"x": "all"}, [{"M": 5, "N": 7}]),
    (TR % ("", "M"), ["x", "y", "M", "N"], ["roundup(N, 4)", "roundup(M, 4)"], [4, 4]),
    (TR % ("BUG (wrong tile edge): the last column of y is never written.", "M - 1"),
     ["x", "y", "M", "N"], ["roundup(N, 4)", "roundup(M, 4)"], [4, 4]), "coverage")

# ------------------------------------------- conv2d as im2col + matmul (two launches)
IM2COL = """
// conv2d 3x3, padding 1, as im2col + matmul through the temporary `cols`. %s
__kernel void im2col(__global const float *x, __global float *cols, int C,
                     int H, int W) {
  int p = get_global_id(0), k = get_global_id(1);
  int ox = p %% W, oy = p / W, kx = k %% 3, ky = (k / 3) %% 3, ci = k / 9;
  int iy = oy + ky - 1, ix = ox + kx - 1;
  float v = 0.0f;
  if (iy >= 0 && iy < H && ix >= 0 && ix < %s)
    v = x[(ci * H + iy) * W + ix];
  cols[k * (H * W) + p] = v;
}
__kernel void gemm(__global const float *w, __global const float *cols,
                   __global float *y, int K, int P) {
  int p = get_global_id(0), o = get_global_id(1);
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += w[o * K + k] * cols[k * P + p];
  y[o * P + p] = acc;
}"""
IM2COL_M = {"temporaries": {"cols": {"dtype": "float32", "size": "C*9*H*W"}},
            "launches": [
                {"kernel": "im2col", "args": ["x", "cols", "C", "H", "W"],
                 "global": ["H*W", "C*9"]},
                {"kernel": "gemm", "args": ["w", "cols", "y", "C*9", "H*W"],
                 "global": ["H*W", "O"]}]}
problem("conv_im2col_matmul", spec(
    "conv2d 3x3 padding 1 via im2col + matmul",
    {"x": f32(1, "C", "H", "W"), "w": f32("O", "C", 3, 3)},
    [op("conv2d", ["x", "w"], "y", padding=1)], ["y"],
    {"x": rng(-1.0, 1.0), "w": rng(-1.0, 1.0)}, [{"C": 2, "H": 5, "W": 6, "O": 3}],
    {"atol": 1e-4, "rtol": 1e-4}),
    (IM2COL % ("", "W"), [], [], None, IM2COL_M),
    (IM2COL % ("BUG (wrong border): the last input column is treated as padding.", "W - 1"),
     [], [], None, IM2COL_M))

# ------------------------------------------- deployment shapes, long loops
# Above --symbolic-above one arbitrary work-item is verified, and loops of
# --summarize-above iterations or more are summarised as folds matched to
# the reference's by induction (docs/loop-summaries.md).
ROWSUM_LONG = """
// %s
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  size_t r = get_global_id(0);
  int end = %s;
  float acc = 0.0f;
  for (int j = 0; j < end; ++j)
    acc += x[r * N + j];
  y[r] = acc;
}"""
problem("large_reduce_sum_long_rows", spec(
    "sum over rows of 2^17 at 8192 rows (2^30 elements)", X_MN,
    [op("sum", ["x"], "y", dim=1)], ["y"], {"x": rng(-1.0, 1.0)},
    [{"M": 8192, "N": 131072}], RED_TOL),
    (ROWSUM_LONG % ("One work-item per row, the spec's order: a loop summary.",
                    "N"), ["x", "y", "M", "N"], ["M"], None),
    (ROWSUM_LONG % ("BUG (size cheat): rows longer than 100000 drop their last "
                    "element.", "N > 100000 ? N - 1 : N"),
     ["x", "y", "M", "N"], ["M"], None))

MATMUL_LONG = """
// %s
__kernel void k(__global const float *a, __global const float *b,
                __global float *c, int M, int K, int N) {
  int i = get_global_id(1), j = get_global_id(0);
  int kend = %s;
  float acc = 0.0f;
  for (int k = 0; k < kend; ++k)
    acc += a[i * K + k] * b[k * N + j];
  c[i * N + j] = acc;
}"""
problem("large_matmul_long_k", spec(
    "matmul [128, 8192] x [8192, 128]",
    {"a": f32("M", "K"), "b": f32("K", "N")}, [op("matmul", ["a", "b"], "c")],
    ["c"], {"a": rng(-1.0, 1.0), "b": rng(-1.0, 1.0)},
    [{"M": 128, "K": 8192, "N": 128}], RED_TOL),
    (MATMUL_LONG % ("Naive dot products without contraction: a loop summary.",
                    "K"), ["a", "b", "c", "M", "K", "N"], ["N", "M"], None,
     {"fp_contract": False}),
    (MATMUL_LONG % ("BUG (size cheat): for K above 4096 the last product is "
                    "dropped.", "K > 4096 ? K - 1 : K"),
     ["a", "b", "c", "M", "K", "N"], ["N", "M"], None, {"fp_contract": False}))

# Argmax at 2^22 + 3 rows (one arbitrary work-item, int64 results).
ARGMAX_ROWS = """
// %s
__kernel void k(__global const float *x, __global long *y, int N) {
  int r = get_global_id(0);
  float best = x[r * N];
  long idx = 0;
  for (int j = 1; j < N; ++j) {
    float v = x[r * N + j];
    int take = !isnan(best) && %s;
    best = take ? v : best;
    idx = take ? (long)j : idx;
  }
  y[r] = idx;
}"""
problem("large_argmax_rows", spec(
    "argmax over dim 1 at 2^22 + 3 rows of 7 (every float32)", X_MN,
    [op("argmax", ["x"], "y", dim=1)], ["y"], {"x": "all"},
    [{"M": 4194307, "N": 7}]),
    (ARGMAX_ROWS % ("Index of the first NaN, else of the first maximal element.",
                    "!(v <= best)"), ["x", "y", "N"], ["M"], None),
    (ARGMAX_ROWS % ("BUG (tie rule): >= takes the last of equal maxima.",
                    "(isnan(v) || v >= best)"), ["x", "y", "N"], ["M"], None))

# The tiled matmul at 2052 x 2048 outputs (one arbitrary work-group).
problem("large_matmul_tiled_local", spec(
    "matmul [2052, 8] @ [8, 2048] (4x4 tiles divide it)",
    {"A": f32("M", "K"), "B": f32("K", "N")},
    [op("matmul", ["A", "B"], "C")], ["C"], {"A": rng(-1.0, 1.0), "B": rng(-1.0, 1.0)},
    [{"M": 2052, "K": 8, "N": 2048}], MM_TOL),
    (TILED % ("", "    barrier(CLK_LOCAL_MEM_FENCE);\n"), ["A", "B", "C", "M", "K", "N"],
     ["roundup(N, 4)", "roundup(M, 4)"], [4, 4]),
    (TILED % ("\n// BUG (missing barrier): no barrier after the inner product, so the next\n// tile overwrites As/Bs while neighbours still read them.", ""),
     ["A", "B", "C", "M", "K", "N"], ["roundup(N, 4)", "roundup(M, 4)"], [4, 4]), "data-race")
