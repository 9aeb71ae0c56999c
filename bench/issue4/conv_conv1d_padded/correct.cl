// conv1d, padding 1, with bias; one work-item per output (o, co). 
__kernel void k(__global const float *x, __global const float *w,
                __global const float *b, __global float *y, int C, int L) {
  int o = get_global_id(0), co = get_global_id(1);
  float acc = 0.0f;
  for (int ci = 0; ci < C; ++ci)
    for (int t = 0; t < 3; ++t) {
      int p = o + t - 1;
      float xv = (p >= 0 && p < L) ? x[ci * L + p] : 0.0f;
      acc += xv * w[(co * C + ci) * 3 + t];
    }
  y[co * L + o] = acc + b[co];
}
