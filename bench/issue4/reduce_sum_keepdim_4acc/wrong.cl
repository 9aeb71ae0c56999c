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
}
