// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/sigmoid_wide.json
// MANIFEST: {"launches":[{"kernel":"sigmoid","args":["x","y"],"global":["N"]}]}
// BUG: sigmoid as exp(x) / (1 + exp(x)): exp(x) overflows for x > 88.7, inf / inf = NaN where sigmoid is 1
//
// Right (within tolerance) for moderate x; at x = 100 every value exp may
// return within OpenCL's 3 ulp is +inf, so the result is NaN whatever the
// approximations (exp, and the 2.5-ulp default division) return.
__kernel void sigmoid(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float e = exp(x[i]);
  y[i] = e / (1.0f + e);
}
