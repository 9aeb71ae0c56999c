// HardTanh, one element per work-item. Correct for every float32:
// a bound replaces v only when v is strictly outside [-1, 1], so NaN
// (both comparisons false) and -0 pass through unchanged, as in PyTorch.
// The guard makes a global size larger than n safe.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
