// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/leaky_relu.json
// MANIFEST: {"build_options":["-cl-denorms-are-zero"],"launches":[{"kernel":"leaky_relu","args":["x","y","N"],"global":["N"]}]}
// BUG: under -cl-denorms-are-zero a subnormal product v * 0.01f may be flushed to zero
//
// proved/leaky_relu_mul.cl built with -cl-denorms-are-zero: where v * 0.01f
// is subnormal the device may return -0 instead of it (or v may be flushed
// first). The counterexample depends on that implementation choice and
// says so (depends_on_implementation_choice).
__kernel void leaky_relu(__global const float *x, __global float *y,
                         const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v > 0.0f ? v : v * 0.01f;
  }
}
