// EXPECT: refuted
// OBLIGATION: equivalence
// SPEC: ../specs/kl_div_batchmean.json
// MANIFEST: {"launches":[{"kernel":"kl_div","args":["x","t","y","B","N"],"global":["1"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
// BUG: divides by the element count B * N (reduction "mean") instead of the batch size B ("batchmean")
__kernel void kl_div(__global const float *x, __global const float *t,
                     __global float *y, int B, int N) {
  float s = 0.0f;
  for (int i = 0; i < B * N; ++i) {
    float ti = t[i];
    float xlogy = ti == 0.0f ? 0.0f : ti * log(ti);
    s += xlogy - ti * x[i];
  }
  y[0] = s / (float)(B * N);
}
