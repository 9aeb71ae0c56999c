// EXPECT: unknown
// SPEC: ../specs/rowmean_16x16384.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"row_reduce","args":["x","y","N"],"global":["64*M"],"local":[64]}]}
//
// A row mean by one work-group of 64 per row (strided partial sums, a
// __local tree), as the synthesizer's built-in generator writes it, over
// rows of 16384. Each of the 64 work-items sums 256 elements (fewer than
// the 4096 that would be summarised), so the row's value is a term with
// 16384 leaves and the reference's left fold a chain 16384 deep: walking
// it recursively overflowed the default 8 MiB stack and the verifier died
// of SIGSEGV. The answer must be a verdict: the reordered sum is not within
// atol + rtol |ref| on every input (cancellation), and the bit-exact query
// does not finish, so unknown.
__kernel void row_reduce(__global const float *x, __global float *y,
                         const int n) {
  __local float part[64];
  const int row = get_group_id(0), lid = get_local_id(0);
  float acc = 0.0f;
  for (int j = lid; j < n; j += 64) {
    const float v = x[row * n + j];
    acc += v;
  }
  part[lid] = acc;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = 32; s > 0; s >>= 1) {
    if (lid < s) {
      const float v = part[lid + s];
      float a = part[lid];
      a += v;
      part[lid] = a;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0)
    y[row] = part[0] / (float)n;
}
