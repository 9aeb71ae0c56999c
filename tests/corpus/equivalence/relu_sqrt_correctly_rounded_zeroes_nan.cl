// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/relu.json
// MANIFEST: {"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"],"launches":[{"kernel":"relu","args":["x","y","N"],"global":["N"]}]}
// BUG: NaN inputs give 0: sqrt(NaN) is NaN too, and the test forgets v == v
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    float s = sqrt(v);
    y[i] = (s != s) ? 0.0f : v;
  }
}
