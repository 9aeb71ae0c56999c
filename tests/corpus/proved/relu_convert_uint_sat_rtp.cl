// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// -v rounded up and saturated to a uint is positive exactly when v < 0
// (positives and NaN saturate to 0, -inf to UINT_MAX).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = convert_uint_sat_rtp(-v) > 0u ? 0.0f : v;
  }
}
