// EXPECT: proved
// SPEC: ../specs/leaky_relu.json
// MANIFEST: {"launches":[{"kernel":"leaky_relu","args":["x","y","N"],"global":["N"]}]}
//
// PyTorch's formula with the slope rounded to float32: v > 0 ? v : v * 0.01f.
__kernel void leaky_relu(__global const float *x, __global float *y,
                         const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v : v * 0.01f;
  }
}
