// EXPECT: proved
// SPEC: ../specs/rownorm_l2_long.json
// MANIFEST: {"fp_contract":false,"launches":[{"kernel":"rownorm","args":["x","y","M","N"],"global":["M"]}]}
//
// L2 norm of rows of 2^16: the loop is summarised and equals the
// reference's sum-of-squares fold by induction (fp_contract false: acc +
// x*x, not a fused multiply-add), so both sides take the square root of one
// value s. OpenCL's sqrt is only within 3 ulp: the rounding level proves
// cl.sqrt(s) within the tolerance of sqrt(s) for every s in the range of
// the computed fold, [0, n * (1 + u)^(n + 2)] for inputs in [-1, 1].
__kernel void rownorm(__global const float *x, __global float *y,
                      const int m, const int n) {
  size_t r = get_global_id(0);
  __global const float *row = x + r * n;
  float acc = 0.0f;
  for (int j = 0; j < n; ++j)
    acc += row[j] * row[j];
  y[r] = sqrt(acc);
}
