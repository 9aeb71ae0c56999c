// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/elu_selu_16m.json
// MANIFEST: {"launches":[{"kernel":"elu_selu","args":["x","y","z","N"],"global":["N"]}]}
// BUG: the branch compares x < -1 instead of x < 0
//
// For x in [-1, 0) the kernel returns x where ELU is expm1(x) (x = -1:
// -1 against -0.632). The candidate's value on the path x >= -1 equals the
// reference only where x >= 0 too: the path's comparison (x >= -1) must not
// be mistaken for the reference's (x >= 0).
__kernel void elu_selu(__global const float *x, __global float *y,
                       __global float *z, const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float v = x[i];
  if (v < -1.0f) {
    float e = expm1(v);
    y[i] = e;
    z[i] = e * (1.67326319f * 1.05070102f);
  } else {
    y[i] = v;
    z[i] = v * 1.05070102f;
  }
}
