// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/elu_selu_16m.json
// MANIFEST: {"launches":[{"kernel":"elu_selu","args":["x","y","z","N"],"global":["N"]}]}
// BUG: SELU's positive branch returns x instead of scale * x
//
// The negative branch is right, so inputs in [-20, 0) cannot tell; any
// x > 0 shows z = x where the reference has 1.0507 x. The branch on x < 0
// gives two paths; the proof of the first must not carry over to the
// second.
__kernel void elu_selu(__global const float *x, __global float *y,
                       __global float *z, const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float v = x[i];
  if (v < 0.0f) {
    float e = expm1(v);
    y[i] = e;
    z[i] = e * (1.67326319f * 1.05070102f);
  } else {
    y[i] = v;
    z[i] = v;
  }
}
