// EXPECT: refuted
// OBLIGATION: equivalence
// SHAPE: {"N": 16777216}
// SPEC: ../specs/gelu_tanh_16m.json
// MANIFEST: {"launches":[{"kernel":"gelu","args":["x","y"],"global":["N"]}]}
// BUG: cubic coefficient 0.44715 instead of 0.044715 in the tanh approximation
//
// Refuted at N = 2^24 (one arbitrary work-item) on concrete inputs: every
// value OpenCL's tanh may return within 5 ulp leaves the result outside
// the tolerance of every value the reference may take.
__kernel void gelu(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = 0.5f * v * (1.0f + tanh(0.7978846f * (v + 0.44715f * (v * v * v))));
}
