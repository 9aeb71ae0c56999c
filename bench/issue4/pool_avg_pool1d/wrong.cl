// avg_pool1d kernel 4 stride 2. BUG (off-by-one window): starts one element late.
__kernel void k(__global const float *x, __global float *y, int L, int OL) {
  int o = get_global_id(0), r = get_global_id(1);
  float acc = 0.0f;
  for (int t = 0; t < 4; ++t)
    acc += x[r * L + o * 2 + t + 1];
  y[r * OL + o] = acc / 4.0f;
}
