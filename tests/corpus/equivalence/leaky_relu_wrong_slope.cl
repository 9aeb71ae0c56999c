// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/leaky_relu.json
// MANIFEST: {"launches":[{"kernel":"leaky_relu","args":["x","y","N"],"global":["N"]}]}
// BUG: wrong slope rounding: 0.0100001f (0x3c23d776) is not 0.01f (0x3c23d70a)
// LOCATION: 15:10
//
// Within 1e-5 relative of the right answer: passes any allclose test,
// fails bit-exactly, e.g. x = -3: -0.0300003011 vs -0.0299999993.
__kernel void leaky_relu(__global const float *x, __global float *y,
                         const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v : v * 0.0100001f;
  }
}
