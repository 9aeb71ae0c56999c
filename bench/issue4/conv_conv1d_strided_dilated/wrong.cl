// conv1d, stride 2, dilation 2, no padding. BUG: dilation ignored (taps adjacent).
__kernel void k(__global const float *x, __global const float *w,
                __global float *y, int C, int L, int OL) {
  int o = get_global_id(0), co = get_global_id(1);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    for (int t = 0; t < 3; ++t)
      acc += x[ci * L + o * 2 + t * 1] * w[(co * C + ci) * 3 + t];
  y[co * OL + o] = acc;
}
