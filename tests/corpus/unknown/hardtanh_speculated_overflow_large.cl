// EXPECT: unknown
// UNKNOWN_KIND: unsupported
// SPEC: ../specs/hardtanh_16m.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// REASON: whether the poison is used is not tracked
//
// A correct kernel whose -O2 code computes `i * n * 256` (mul nsw) for
// every work-item and selects it only where i < 8: the multiplication
// overflows (LLVM poison) for i >= 512 (n = 2^24), but the poison is never used. The
// symbolic work-item method sees the overflow and must not call it
// undefined behaviour: unknown, never refuted.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  int j = i < 8 ? i * n * 256 : 0;
  float v = fmin(fmax(x[i], -1.0f), 1.0f);
  y[i] = j < 0 ? 0.0f : (isnan(x[i]) ? x[i] : v);
}
