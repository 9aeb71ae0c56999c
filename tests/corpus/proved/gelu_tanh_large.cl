// EXPECT: proved
// SPEC: ../specs/gelu_tanh_16m.json
// MANIFEST: {"launches":[{"kernel":"gelu","args":["x","y"],"global":["N"]}]}
//
// GELU, tanh approximation, with OpenCL's tanh (5 ulp) at N = 2^24: one
// arbitrary symbolic work-item, the store proved at level "rounding"
// against PyTorch's gelu(x, approximate='tanh') (tanh assumed within 2 ulp).
__kernel void gelu(__global const float *x, __global float *y) {
  int i = get_global_id(0);
  float v = x[i];
  y[i] = 0.5f * v * (1.0f + tanh(0.7978846f * (v + 0.044715f * (v * v * v))));
}
