// Sigmoid, one element per work-item, with OpenCL's exp (3 ulp) and
// default division (2.5 ulp). Within the spec's tolerance on [-20, 20]:
// both sides are 1 / (1 + e^-x) over the reals, and the forward error
// bounds of both fit atol + rtol*|y| (the rounding level). The guard makes
// a global size larger than n safe.
__kernel void sigmoid(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = 1.0f / (1.0f + exp(-x[i]));
}
