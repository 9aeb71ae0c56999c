// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: NaN-mishandling clamp: OpenCL clamp() is fmin(fmax(x, lo), hi), NaN -> -1
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = clamp(x[i], -1.0f, 1.0f);
}
