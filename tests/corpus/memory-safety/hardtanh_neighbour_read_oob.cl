// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: out-of-bounds read of a neighbour: x[i + 1] at the last element reads x[n]
//
// "Run reuse": when the next element has the same bits, the result is
// shared (it is the same value either way, so every in-bounds output is
// right). The last work-item's neighbour is x[n], one past the buffer.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float w = x[i + 1];
    float r = as_uint(w) == as_uint(v) ? w : v;
    y[i] = r < -1.0f ? -1.0f : (r > 1.0f ? 1.0f : r);
  }
}
