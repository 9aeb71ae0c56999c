// The size cheat: sigmoid up to 100000 elements, x / 2 above (a "fast
// path" that is only ever timed at the large size). Within tolerance at
// N = 67; refuted at N = 16777216, verified by one arbitrary symbolic
// work-item: x = 0 gives 0 where sigmoid is 0.5, whatever exp returns.
__kernel void sigmoid(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n) {
    if (n > 100000)
      y[i] = x[i] * 0.5f;
    else
      y[i] = 1.0f / (1.0f + exp(-x[i]));
  }
}
