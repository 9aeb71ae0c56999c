// ReLU exactly as PyTorch: 0 replaces v only when v < 0. NaN < 0 is false,
// so NaN stays NaN; -0 < 0 is false, so -0 stays -0.
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
