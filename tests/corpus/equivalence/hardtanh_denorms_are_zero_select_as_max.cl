// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"build_options":["-cl-denorms-are-zero"],"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: under -cl-denorms-are-zero a float select may flush a subnormal it passes through
//
// The textbook hardtanh built with -cl-denorms-are-zero. The select that
// passes v through is a float operation: code generators turn
// select(fcmp) into min/max, which flush a subnormal operand (PoCL's maxss
// under DAZ returns 0 for 0x007fffff, where the reference keeps it). The
// counterexample is a subnormal x and depends on that implementation
// choice (depends_on_implementation_choice). This kernel was once proved:
// the model flushed only arithmetic, comparisons and builtins, and the
// self-check on PoCL contradicted the proof.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
