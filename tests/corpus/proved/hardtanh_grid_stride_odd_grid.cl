// EXPECT: proved
// SPEC: ../specs/hardtanh_grid.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["33792"],"local":[256]}]}
// LEVEL: bit-exact
//
// Grid-stride loop as a performance engineer launches it: a fixed grid of
// 132 work-groups of 256 (33792 work-items, not a power of two), each
// work-item striding over the tensor. N = 1000003 (29-30 iterations) and
// N = 2^26 (1985-1986 iterations): the loop is verified by one arbitrary
// iteration k of the arbitrary work-item (docs/loop-summaries.md, "Loops
// that store"), coverage inverts i = g + 33792k.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
