// EXPECT: unknown
// UNKNOWN_KIND: bound
// SPEC: ../specs/rowsum_small.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
// BUG: j++ turned into j--: the loop never ends
//
// The source reads x[r*N - 1] in its second iteration, but clang -O2 may
// assume a side-effect-free loop terminates: the compiled program (what
// the verifier analyses and the device runs) is an empty infinite loop
// with no access at all. Non-termination is not an obligation yet, so the
// honest answer is unknown at the unroll bound (never proved).
__kernel void rowsum(__global const float *x, __global float *y,
                     const int m, const int n) {
  size_t r = get_global_id(0);
  if (r >= (size_t)m)
    return;
  float s = 0.0f;
  for (int j = 0; j < n; --j)
    s += x[r * n + j];
  y[r] = s;
}
