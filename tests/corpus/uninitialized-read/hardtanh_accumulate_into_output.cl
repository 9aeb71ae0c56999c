// EXPECT: refuted
// OBLIGATION: uninitialized-read
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: relies on stale output contents: y[i] += r assumes the output buffer was zeroed
//
// Right after a memset(0) of y (PyTorch's torch.zeros output), wrong for a
// fresh buffer. The read of y[i] before any write is the violation (the
// resulting value is also wrong; the read is reported first).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] += v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
