// EXPECT: unknown
// UNKNOWN_KIND: approximation
// SPEC: ../specs/sigmoid_16m.json
// MANIFEST: {"launches":[{"kernel":"sigmoid","args":["x","y","N"],"global":["N"]}]}
//
// native_exp has an implementation-defined accuracy (an arbitrary value):
// neither provable within the tolerance nor refutable at N = 2^24.
__kernel void sigmoid(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = 1.0f / (1.0f + native_exp(-x[i]));
}
