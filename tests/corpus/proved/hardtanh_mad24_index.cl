// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"],"local":[1]}]}
//
// The global index computed with mad24 (group id * local size + local id):
// every operand fits in 24 bits, where mad24 is the exact a * b + c.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = mad24((int)get_group_id(0), (int)get_local_size(0),
                (int)get_local_id(0));
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
