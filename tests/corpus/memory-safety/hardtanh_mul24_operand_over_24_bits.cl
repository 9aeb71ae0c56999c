// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: mul24 operand 1 << 24 does not fit in 24 bits: the product is implementation-defined (GPUs keep the low 24 bits: 0), so the index is arbitrary
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = mul24((int)get_global_id(0), 1 << 24) >> 24;
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
