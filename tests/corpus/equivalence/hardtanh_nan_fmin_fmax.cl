// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: NaN-mishandling clamp: fmax(NaN, -1) = -1, so NaN becomes a bound
//
// Right for every non-NaN input (proved under a finite domain in
// proved/hardtanh_fmin_fmax_finite_domain.cl); PyTorch gives NaN for NaN.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = fmin(fmax(x[i], -1.0f), 1.0f);
}
