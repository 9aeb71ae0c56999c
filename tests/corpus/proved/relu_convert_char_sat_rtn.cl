// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
//
// The sign of floor(v) saturated to a char: negative exactly when v < 0
// (-inf and huge negatives saturate to -128, NaN converts to 0).
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = convert_char_sat_rtn(v) < 0 ? 0.0f : v;
  }
}
