// EXPECT: proved
// SPEC: ../specs/sigmoid_16m.json
// MANIFEST: {"launches":[{"kernel":"sigmoid","args":["x","y","N"],"global":["N"]}]}
//
// Sigmoid with OpenCL's exp (3 ulp) and default division (2.5 ulp) at
// N = 2^24 and 2^24 + 3: one arbitrary symbolic work-item; its store is
// proved at level "rounding" (the read x[i] is one real variable over the
// domain [-20, 20]; both sides are 1 / (1 + e^-x) over the reals and the
// forward error bounds fit atol 1e-5 + rtol 1e-4).
__kernel void sigmoid(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = 1.0f / (1.0f + exp(-x[i]));
}
