// LeakyReLU(0.01) exactly as PyTorch computes it: x > 0 ? x : x * slope,
// with the slope rounded to float32 (0.01f), one multiply, one rounding.
// NaN: NaN > 0 is false and NaN * 0.01f is NaN. -0: -0 * 0.01f = -0.
__kernel void leaky_relu(__global const float *x, __global float *y,
                         const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v : v * 0.01f;
  }
}
