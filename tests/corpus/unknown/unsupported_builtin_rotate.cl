// EXPECT: unknown
// UNKNOWN_KIND: unsupported
// REASON: unsupported_builtin_rotate.cl:12:11: OpenCL builtin rotate(int, int) is not modelled
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// A builtin the verifier does not model: the reason names it in OpenCL
// terms and gives its line in the kernel's source, never an LLVM name.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  int j = rotate(i, 0);
  if (j < n) {
    float v = x[j];
    y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
