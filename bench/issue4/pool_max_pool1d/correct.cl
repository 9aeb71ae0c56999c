// max_pool1d kernel 3 stride 2: first tap, then v > m || isnan(v). 
__kernel void k(__global const float *x, __global float *y, int L, int OL) {
  int o = get_global_id(0), r = get_global_id(1);
  __global const float *p = x + r * L + o * 2;
  float m = p[0];
  for (int t = 1; t < 3; ++t) {
    float v = p[t];
    m = (v > m || isnan(v)) ? v : m;
  }
  y[r * OL + o] = m;
}
