// EXPECT: proved
// SPEC: ../specs/kl_div_batchmean.json
// MANIFEST: {"launches":[{"kernel":"kl_div","args":["x","t","y","B","N"],"global":["1"]}],"build_options":["-cl-fp32-correctly-rounded-divide-sqrt"]}
//
// One work-item: the sum of t * log(t) - t * x, divided by the batch size
// B. The target's domain starts at 0.001, so xlogy's zero rule (t == 0
// gives 0) does not arise.
__kernel void kl_div(__global const float *x, __global const float *t,
                     __global float *y, int B, int N) {
  float s = 0.0f;
  for (int i = 0; i < B * N; ++i) {
    float ti = t[i];
    s += ti * log(ti) - ti * x[i];
  }
  y[0] = s / (float)B;
}
