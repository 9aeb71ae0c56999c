// HardSigmoid as PyTorch computes it: min(max(x + 3, 0), 6) / 6, with the
// bounds replacing t only when t is strictly outside [0, 6] (NaN and -0
// pass through) and a true IEEE division by 6.
// The division is correctly rounded only because the manifest passes
// -cl-fp32-correctly-rounded-divide-sqrt; without it OpenCL allows 2.5 ulp
// (clang attaches !fpmath 2.5) and no bit-exact proof is possible.
// t * (1.0f / 6) would be wrong: 1/6 is not a float32.
__kernel void hardsigmoid(__global const float *x, __global float *y,
                          const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float t = x[i] + 3.0f;
    t = t < 0.0f ? 0.0f : t;
    t = t > 6.0f ? 6.0f : t;
    y[i] = t / 6.0f;
  }
}
