// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/mse_loss_4m.json
// MANIFEST: {"launches":[{"kernel":"mse","args":["x","t","y","N"],"global":["N"]}]}
// BUG: elements past index 4000000 square |x - t| as |d| * d (negative when x < t)
//
// Right at every shape of at most 4000001 elements, so enumeration at
// small shapes passes it; the arbitrary work-item at 2^22 + 3 finds an
// index above 4000000 with x < t, where |d| * d is -(d * d).
__kernel void mse(__global const float *x, __global const float *t,
                  __global float *y, const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float d = x[i] - t[i];
  y[i] = (i > 4000000 ? fabs(d) : d) * d;
}
