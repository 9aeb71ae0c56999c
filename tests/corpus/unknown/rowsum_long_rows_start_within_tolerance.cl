// EXPECT: unknown
// UNKNOWN_KIND: approximation
// SPEC: ../specs/rowsum_long.json
// MANIFEST: {"launches":[{"kernel":"rowsum","args":["x","y","M","N"],"global":["M"]}]}
// REASON: its initial state is not proved equal to the reference's (1e-30 0x0da24260 against the reference's 0 0x00000000)
//
// The accumulator starts at 1e-30f where the reference's sum starts at +0.
// Under the spec's tolerance (atol 1e-3) the start is absorbed: the kernel
// is correct. At 2^17 columns the loop is summarised, and a summary is used
// only where it equals the reference's fold by induction, with equal starts
// or starts equal up to the sign of zero; a start the tolerance absorbs is
// not proved that way. Issue 17 asks for such a start to be proved or the
// verdict to say exactly why not: the reason names the initial state and
// both values. (At the small shape the enumeration proves it.)
__kernel void rowsum(__global const float *x, __global float *y, int M,
                     int N) {
  int r = get_global_id(0);
  if (r >= M)
    return;
  float acc = 1e-30f;
  for (int c = 0; c < N; ++c)
    acc += x[r * N + c];
  y[r] = acc;
}
