// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["16"]}]}
//
// Grid-stride loop: 16 work-items cover all n elements, work-item g taking
// g, g + 16, g + 32, ... (N = 67: 5 iterations for g < 3, 4 for the rest).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
