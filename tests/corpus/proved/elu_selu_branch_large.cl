// EXPECT: proved
// SPEC: ../specs/elu_selu_16m.json
// MANIFEST: {"launches":[{"kernel":"elu_selu","args":["x","y","z","N"],"global":["N"]}]}
//
// ELU and SELU with OpenCL's expm1 (3 ulp) behind a branch on x < 0, at
// N = 2^24 and 2^24 + 3: one arbitrary symbolic work-item. The branch
// splits the work-item into two paths; on each, the store is proved at
// level "rounding" with the path's float comparison (x < 0 or not) as the
// condition under which the candidate's value counts (the comparison is
// exact, so it is the same branch over the reals).
__kernel void elu_selu(__global const float *x, __global float *y,
                       __global float *z, const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float v = x[i];
  if (v < 0.0f) {
    float e = expm1(v);
    y[i] = e * 1.0f;
    z[i] = e * (1.67326319f * 1.05070102f);
  } else {
    y[i] = v;
    z[i] = v * 1.05070102f;
  }
}
